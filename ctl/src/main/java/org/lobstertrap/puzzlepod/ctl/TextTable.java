package org.lobstertrap.puzzlepod.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows printed as left-aligned columns separated by two spaces; the last column is not padded. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        columns = header.length;
        rows.add(header);
    }

    TextTable row(String... cells) {
        if (cells.length != columns) throw new IllegalArgumentException("row has " + cells.length + " cells, table " + columns);
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
