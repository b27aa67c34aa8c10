package io.useractions.processor.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.useractions.model.trial.TrialRow;

/**
 * Rows in COPY text, as UTF-8: every value is followed by a tab, and {@link #endRow()} turns the last one into
 * the row's newline. As {@link TrialRow.Values} it writes a row spanning actions (a trial, a session), which the
 * processor's topology encodes and the sink copies as it comes.
 */
public final class Utf8Rows extends CopyBuffer implements TrialRow.Values<RuntimeException> {

    public Utf8Rows(int capacity) {
        super(capacity);
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
        room(value.length() * 3 + 1);
        utf8(value, true);
        put('\t');
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

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
