package org.lobstertrap.puzzlepod.daemon.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a log file as raw byte lines, telling a complete line (ends in '\n') from a torn last one. */
final class LineReader implements Closeable {
    /** One line without its '\n'; offset is where it starts in the file. */
    record Line(byte[] bytes, long offset, long number, boolean complete) {}

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos, limit;
    private long offset;
    private long number;

    LineReader(Path file) throws IOException {
        this.in = Files.newInputStream(file);
    }

    /** The next line, or null at end of file. */
    Line next() throws IOException {
        ByteArrayOutputStream line = null;
        long start = offset;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (line == null) return null;
                    return new Line(line.toByteArray(), start, ++number, false);
                }
            }
            int from = pos;
            while (pos < limit && buf[pos] != '\n') pos++;
            if (line == null) line = new ByteArrayOutputStream(Math.max(256, pos - from));
            line.write(buf, from, pos - from);
            offset += pos - from;
            if (pos < limit) {
                pos++;
                offset++;
                return new Line(line.toByteArray(), start, ++number, true);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
