package io.useractions.processor.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Rows in COPY's binary format, the tables of actions: PostgreSQL takes each value as it is stored, where
 * the text format had it split the line, unescape and parse every number, time and id (a fifth of its
 * CPU in the projection). The Java type picks the column's type: {@code long} bigint, {@code int} and
 * {@code Integer} integer, {@code Double} double precision, epoch milliseconds timestamptz. A buffer holds
 * rows only; {@link #HEADER} and {@link #TRAILER} frame them in a COPY.
 */
public final class BinaryRows extends CopyBuffer {
    /** The signature, no flags and no header extension. */
    public static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0,
        0, 0, 0};
    /** A row of -1 columns ends the data. */
    public static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    /** PostgreSQL's epoch, 2000-01-01T00:00Z, in Unix epoch milliseconds. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    private static final String TIMESTAMPTZ = "timestamp with time zone";
    /** Not a timestamp PostgreSQL stores (below its earliest, above -infinity): refused, as its text would be. */
    private static final long OUT_OF_RANGE = Long.MIN_VALUE + 1;

    /** The type of each value written, when asked for ({@link #recordingTypes}); null otherwise. */
    private List<String> types;

    public BinaryRows(int capacity) {
        super(capacity);
    }

    /** A buffer that also notes the PostgreSQL type of each value it is given, null or not. */
    static BinaryRows recordingTypes() {
        BinaryRows rows = new BinaryRows(256);
        rows.types = new ArrayList<>();
        return rows;
    }

    /** The types noted so far (see {@link #recordingTypes}). */
    List<String> types() {
        return types;
    }

    private void type(String name) {
        if (types != null) {
            types.add(name);
        }
    }

    /** Starts a row of {@code columns} values. */
    public void startRow(int columns) {
        room(2);
        bytes[length++] = (byte) (columns >> 8);
        bytes[length++] = (byte) columns;
    }

    private void putInt(int at, int value) {
        bytes[at] = (byte) (value >> 24);
        bytes[at + 1] = (byte) (value >> 16);
        bytes[at + 2] = (byte) (value >> 8);
        bytes[at + 3] = (byte) value;
    }

    private void putLong(long value) {
        putInt(length, (int) (value >> 32));
        putInt(length + 4, (int) value);
        length += 8;
    }

    private void nullValue() {
        room(4);
        putInt(length, -1);
        length += 4;
    }

    /** A value of {@code size} bytes follows. */
    private void sized(int size) {
        room(4 + size);
        putInt(length, size);
        length += 4;
    }

    /** A NULL in a column of {@code type} (as information_schema names it). */
    public void nullOf(String type) {
        type(type);
        nullValue();
    }

    /** Notes the type of a value; writes NULL and returns true when it is null. */
    private boolean typedNull(Object value, String type) {
        if (value == null) {
            nullOf(type);
            return true;
        }
        type(type);
        return false;
    }

    public void text(String value) {
        if (!typedNull(value, "text")) {
            utf8Value(0, value);
        }
    }

    /** JSON text as jsonb (its binary form is a version byte and the text); null as NULL. */
    public void jsonb(String json) {
        if (!typedNull(json, "jsonb")) {
            utf8Value(1, json);
        }
    }

    /** {@code text} as UTF-8, after a version byte when {@code version} is not 0. */
    private void utf8Value(int version, String text) {
        room(5 + text.length() * 3);
        int at = length;
        length += 4;
        if (version != 0) {
            bytes[length++] = (byte) version;
        }
        utf8(text, false);
        putInt(at, length - at - 4);
    }

    /** A jsonb value {@link #jsonb} encoded before (the same for many rows); null as NULL. */
    void encodedJsonb(byte[] value) {
        if (!typedNull(value, "jsonb")) {
            append(value);
        }
    }

    public void uuid(UUID value) {
        if (!typedNull(value, "uuid")) {
            sized(16);
            putLong(value.getMostSignificantBits());
            putLong(value.getLeastSignificantBits());
        }
    }

    /** A bigint. */
    public void number(long value) {
        type("bigint");
        int8(value);
    }

    private void int8(long value) {
        sized(8);
        putLong(value);
    }

    /** An integer. */
    public void number(int value) {
        type("integer");
        int4(value);
    }

    /** An integer; null as NULL. */
    public void number(Integer value) {
        if (!typedNull(value, "integer")) {
            int4(value);
        }
    }

    private void int4(int value) {
        sized(4);
        putInt(length, value);
        length += 4;
    }

    /** A double precision; null as NULL. */
    public void number(Double value) {
        if (!typedNull(value, "double precision")) {
            int8(Double.doubleToLongBits(value));
        }
    }

    /** Epoch milliseconds as a timestamptz. */
    public void time(long epochMillis) {
        type(TIMESTAMPTZ);
        timestamptz(epochMillis);
    }

    /** An instant to the millisecond as a timestamptz; null as NULL. */
    public void time(Instant value) {
        if (!typedNull(value, TIMESTAMPTZ)) {
            timestamptz(value.toEpochMilli());
        }
    }

    /** Microseconds since 2000-01-01; a time beyond a bigint's as one PostgreSQL refuses. */
    private void timestamptz(long epochMillis) {
        long micros;
        try {
            micros = Math.multiplyExact(epochMillis - POSTGRES_EPOCH_MILLIS, 1000L);
        } catch (ArithmeticException e) {
            micros = OUT_OF_RANGE;
        }
        int8(micros);
    }

    /** A boolean; null as NULL. */
    public void bool(Boolean value) {
        if (!typedNull(value, "boolean")) {
            sized(1);
            bytes[length++] = (byte) (value ? 1 : 0);
        }
    }

    /** A jsonb value of {@code json}, encoded on its own, for {@link #encodedJsonb}. */
    static byte[] jsonbValue(String json) {
        BinaryRows value = new BinaryRows(json.length() * 3 + 5);
        value.jsonb(json);
        return value.toBytes();
    }

    /** Where the row that starts at {@code from} of binary rows ends. */
    public static int rowEnd(byte[] rows, int from) {
        int columns = (rows[from] & 0xFF) << 8 | rows[from + 1] & 0xFF;
        int at = from + 2;
        for (int i = 0; i < columns; i++) {
            int size = intAt(rows, at);
            at += 4 + Math.max(size, 0);
        }
        return at;
    }

    /** The value of column {@code index} of the row that starts at {@code from}, as stored; null for NULL. */
    public static byte[] value(byte[] rows, int from, int index) {
        int at = from + 2;
        for (int i = 0; i < index; i++) {
            at += 4 + Math.max(intAt(rows, at), 0);
        }
        int size = intAt(rows, at);
        return size < 0 ? null : Arrays.copyOfRange(rows, at + 4, at + 4 + size);
    }

    /** The length of the header {@code copy} starts with (a binary COPY's first bytes), or 0 when it has none. */
    public static int headerLength(byte[] copy) {
        if (copy.length < HEADER.length || !Arrays.equals(copy, 0, 11, HEADER, 0, 11)) {
            return 0;
        }
        return HEADER.length + intAt(copy, HEADER.length - 4);
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }
}
