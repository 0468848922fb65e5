package org.lobstertrap.puzzlepod.rego.ast;

/** A source position: file name, 1-based row and column. */
public record Location(String file, int row, int col) {
    public static final Location NONE = new Location(null, 0, 0);
}
