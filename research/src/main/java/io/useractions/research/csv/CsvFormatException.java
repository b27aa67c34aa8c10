package io.useractions.research.csv;

import java.io.IOException;

/** Input that is not RFC 4180 CSV, with the physical line it was found on (1-based). */
public final class CsvFormatException extends IOException {
    private final long line;

    public CsvFormatException(long line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
