package io.useractions.research.csv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Streaming RFC 4180 writer. Records end in CRLF as RFC 4180 prescribes (R, pandas and spreadsheets read it as
 * well as LF). A field is quoted only when it holds a comma, a quote, CR or LF. A missing value (null string,
 * NaN) is an empty field, which pandas reads as NaN and R's read.csv as NA for numeric columns.
 */
public final class CsvWriter implements Closeable, Flushable {
    private static final String RECORD_END = "\r\n";

    private final Writer out;
    private boolean firstInRecord = true;

    public CsvWriter(Writer out) {
        this.out = out;
    }

    /** UTF-8 without a byte order mark. */
    public static CsvWriter utf8(OutputStream out) {
        return new CsvWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
    }

    public CsvWriter record(String... fields) throws IOException {
        for (String f : fields) {
            field(f);
        }
        return endRecord();
    }

    public CsvWriter record(Iterable<String> fields) throws IOException {
        for (String f : fields) {
            field(f);
        }
        return endRecord();
    }

    public CsvWriter field(String value) throws IOException {
        separate();
        if (value != null) {
            if (needsQuotes(value)) {
                out.write('"');
                out.write(value.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(value);
            }
        }
        return this;
    }

    /** A number in the shortest form that reads back to the same double; NaN is a missing value. */
    public CsvWriter field(double value) throws IOException {
        separate();
        if (!Double.isNaN(value)) {
            out.write(formatNumber(value));
        }
        return this;
    }

    public CsvWriter field(long value) throws IOException {
        separate();
        out.write(Long.toString(value));
        return this;
    }

    public CsvWriter endRecord() throws IOException {
        out.write(RECORD_END);
        firstInRecord = true;
        return this;
    }

    /**
     * Integral values print without a fraction ({@code 53}, not {@code 53.0}), infinities as R prints them;
     * everything else as {@link Double#toString}, which always reads back to the same double.
     */
    public static String formatNumber(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private void separate() throws IOException {
        if (!firstInRecord) {
            out.write(',');
        }
        firstInRecord = false;
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
