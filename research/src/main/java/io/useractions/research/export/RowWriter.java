package io.useractions.research.export;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;

import io.useractions.model.trial.TrialRow;

/**
 * Writes a table row by row: one call per column in the table's column order, then {@link #endRow()}.
 * Implemented for CSV and Parquet, so derived tables are produced once for both formats. As
 * {@link TrialRow.Values} it writes a trial's row.
 */
public interface RowWriter extends Closeable, TrialRow.Values<IOException> {

    void nullValue() throws IOException;

    void string(String value) throws IOException;

    /** UTF-8 bytes of a string, as read from PostgreSQL's binary COPY; the writer may keep the array. */
    void utf8(byte[] value) throws IOException;

    void integer(long value) throws IOException;

    /** NaN is written as a missing value. */
    void number(double value) throws IOException;

    void bool(boolean value) throws IOException;

    /** Microseconds since 1970-01-01T00:00Z; written at millisecond precision (rounded down). */
    void timestampMicros(long epochMicros) throws IOException;

    void endRow() throws IOException;

    default void string(Object value) throws IOException {
        if (value == null) {
            nullValue();
        } else {
            string(value.toString());
        }
    }

    default void timestamp(Instant t) throws IOException {
        if (t == null) {
            nullValue();
        } else {
            timestampMicros(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
        }
    }

    default void number(Double value) throws IOException {
        if (value == null) {
            nullValue();
        } else {
            number(value.doubleValue());
        }
    }

    @Override
    default void text(String value) throws IOException {
        string((Object) value);
    }

    @Override
    default void time(Instant value) throws IOException {
        timestamp(value);
    }
}
