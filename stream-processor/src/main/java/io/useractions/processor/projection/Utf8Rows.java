package io.useractions.processor.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import io.useractions.model.trial.TrialRow;

/**
 * A growing buffer of COPY text, written as UTF-8 bytes directly: building Strings first and letting
 * the driver encode them allocated about 4 KB per action. Every value is followed by a tab, and
 * {@link #endRow()} turns the last one into the row's newline. As {@link TrialRow.Values} it writes a trial's row.
 */
public final class Utf8Rows implements TrialRow.Values<RuntimeException> {
    byte[] bytes;
    int length;

    public Utf8Rows(int capacity) {
        bytes = new byte[capacity];
    }

    /** Empties the rows; a buffer grown past {@code keep} bytes for a large batch goes, so it is not held for good. */
    void clear(int keep) {
        length = 0;
        if (bytes.length > keep) {
            bytes = new byte[keep];
        }
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private void put(char c) {
        bytes[length++] = (byte) c;
    }

    private void nullValue() {
        room(3);
        put('\\');
        put('N');
        put('\t');
    }

    public void endRow() {
        bytes[length - 1] = '\n';
    }

    /** A value known to be ASCII without COPY syntax in it (ids, numbers). */
    public void ascii(String value) {
        int n = value.length();
        room(n + 1);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) value.charAt(i);
        }
        put('\t');
    }

    /** Text, escaped for COPY; a lone surrogate becomes '?', as String.getBytes would make it. */
    public void text(String value) {
        if (value == null) {
            nullValue();
            return;
        }
        int n = value.length();
        room(n * 3 + 1);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> escape('\\');
                    case '\t' -> escape('t');
                    case '\n' -> escape('n');
                    case '\r' -> escape('r');
                    default -> put(c);
                }
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                put('?');
            } else {
                bytes[length++] = (byte) (0xE0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
        put('\t');
    }

    /** Within the room {@link #text} made: three bytes for each char. */
    private void escape(char c) {
        put('\\');
        put(c);
    }

    public void number(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        room(21);
        if (value < 0) {
            put('-');
            value = -value;
        }
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        put('\t');
    }

    public void number(Integer value) {
        if (value == null) {
            nullValue();
        } else {
            number(value.longValue());
        }
    }

    /** Whole values (most pointer coordinates) print as integers: Double.toString is slow before Java 19. */
    public void number(Double value) {
        if (value == null) {
            nullValue();
            return;
        }
        double d = value;
        if (d == (long) d && Math.abs(d) < 1e15 && (d != 0 || Double.doubleToRawLongBits(d) == 0)) {
            number((long) d);
        } else if (Double.isNaN(d)) {
            ascii("NaN");
        } else if (Double.isInfinite(d)) {
            ascii(d > 0 ? "Infinity" : "-Infinity");
        } else {
            ascii(Double.toString(d));
        }
    }

    /**
     * Epoch milliseconds as {@code yyyy-mm-ddThh:mm:ss.mmmZ}, which is what {@link Instant#toString()}
     * gives for years 1000 to 9999, without its formatter (a tenth of the sink's CPU when it was used).
     */
    public void time(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int millisOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        // Days to civil date (H. Hinnant, "chrono-compatible low-level date algorithms").
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 1000 || year > 9999) {
            ascii(Instant.ofEpochMilli(epochMillis).toString());
            return;
        }
        room(25);
        digits((int) year, 4);
        put('-');
        digits(month, 2);
        put('-');
        digits(day, 2);
        put('T');
        digits(millisOfDay / 3_600_000, 2);
        put(':');
        digits(millisOfDay / 60_000 % 60, 2);
        put(':');
        digits(millisOfDay / 1_000 % 60, 2);
        put('.');
        digits(millisOfDay % 1_000, 3);
        put('Z');
        put('\t');
    }

    private void digits(int value, int width) {
        for (int i = length + width - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    @Override
    public void integer(long value) {
        number(value);
    }

    /** An instant to the millisecond, as {@link #time(long)}; null as NULL. */
    @Override
    public void time(Instant value) {
        if (value == null) {
            nullValue();
        } else {
            time(value.toEpochMilli());
        }
    }

    @Override
    public void bool(boolean value) {
        ascii(value ? "t" : "f");
    }

    /** A boolean as COPY reads one; null as NULL. */
    public void bool(Boolean value) {
        if (value == null) {
            nullValue();
        } else {
            ascii(value ? "t" : "f");
        }
    }

    /** A copy of the rows written so far. */
    public byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    /** A value {@link #text} encoded before, with its tab; null as NULL. */
    void encoded(byte[] value) {
        if (value == null) {
            nullValue();
        } else {
            append(value);
        }
    }

    /** Appends rows encoded elsewhere, each ending with its newline. */
    void append(byte[] encoded) {
        room(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
