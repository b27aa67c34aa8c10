package io.useractions.research.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming RFC 4180 reader: comma separated, fields optionally in double quotes with {@code ""} for a quote,
 * quoted fields may span lines. Accepts CRLF, LF or CR line ends, skips a leading UTF-8 byte order mark and
 * blank lines (as R's read.csv and pandas do).
 */
public final class CsvReader implements Closeable {
    private static final int EOF = -1;

    private final Reader in;
    private final char[] buffer = new char[16 * 1024];
    private int position;
    private int limit;
    private long currentLine = 1;
    private long recordLine;
    private boolean started;
    private final StringBuilder field = new StringBuilder();

    public CsvReader(Reader in) {
        this.in = in;
    }

    public static CsvReader utf8(InputStream in) {
        return new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The physical line on which the record last returned by {@link #next()} starts. */
    public long line() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the input. */
    public List<String> next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                position++;
            }
        }
        int c;
        while ((c = peek()) == '\r' || c == '\n') {
            position++;
            if (c == '\r' && peek() == '\n') {
                position++;
            }
            currentLine++;
        }
        if (c == EOF) {
            return null;
        }
        recordLine = currentLine;
        List<String> fields = new ArrayList<>();
        while (true) {
            fields.add(readField());
            c = read();
            if (c == ',') {
                continue;
            }
            if (c == '\r' && peek() == '\n') {
                position++;
            }
            if (c != EOF) {
                currentLine++;
            }
            return fields;
        }
    }

    private String readField() throws IOException {
        field.setLength(0);
        if (peek() != '"') {
            int c;
            while ((c = peek()) != EOF && c != ',' && c != '\r' && c != '\n') {
                if (c == '"') {
                    throw new CsvFormatException(currentLine, "a quote inside an unquoted field");
                }
                field.append((char) c);
                position++;
            }
            return field.toString();
        }
        long openedOn = currentLine;
        position++;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new CsvFormatException(openedOn, "a quoted field is not closed");
            }
            if (c == '"') {
                if (peek() == '"') {
                    position++;
                    field.append('"');
                    continue;
                }
                int after = peek();
                if (after != EOF && after != ',' && after != '\r' && after != '\n') {
                    throw new CsvFormatException(currentLine, "text after the closing quote of a field");
                }
                return field.toString();
            }
            if (c == '\n' || (c == '\r' && peek() != '\n')) {
                currentLine++;
            }
            field.append((char) c);
        }
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        int c = peek();
        if (c != EOF) {
            position++;
        }
        return c;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
