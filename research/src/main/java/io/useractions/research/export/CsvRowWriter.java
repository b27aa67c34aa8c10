package io.useractions.research.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.useractions.research.csv.CsvWriter;

/** A table as CSV (RFC 4180, UTF-8, CRLF, header row): empty for null, ISO-8601 UTC times, true/false. */
final class CsvRowWriter implements RowWriter {

    private final CsvWriter csv;

    CsvRowWriter(OutputStream out, Table table) throws IOException {
        this.csv = CsvWriter.utf8(out);
        csv.record(table.columns().stream().map(Column::name).toList());
    }

    @Override
    public void nullValue() throws IOException {
        csv.field((String) null);
    }

    @Override
    public void string(String value) throws IOException {
        csv.field(value);
    }

    @Override
    public void utf8(byte[] value) throws IOException {
        csv.field(new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public void integer(long value) throws IOException {
        csv.field(value);
    }

    @Override
    public void number(double value) throws IOException {
        csv.field(value);
    }

    @Override
    public void bool(boolean value) throws IOException {
        csv.field(value ? "true" : "false");
    }

    @Override
    public void timestampMicros(long epochMicros) throws IOException {
        csv.field(Times.format(epochMicros));
    }

    @Override
    public void endRow() throws IOException {
        csv.endRecord();
    }

    /** Flushes; the stream stays the caller's (it may be a zip entry). */
    @Override
    public void close() throws IOException {
        csv.flush();
    }
}
