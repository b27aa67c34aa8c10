package io.useractions.processor.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.useractions.model.Action;
import io.useractions.model.ClientContext;
import io.useractions.model.Json;
import io.useractions.model.RawRecord;

/**
 * A batch of projected rows in PostgreSQL's COPY text format, columns in the order of
 * {@link #UI_ACTION_COLUMNS} and {@link #MOUSE_POSITION_COLUMNS}, written straight from the raw records
 * (entities cost more than the rest of the sink: Hibernate tracks every field set on an enhanced one).
 * A row PostgreSQL refuses is isolated by copying the rows one at a time, through this same mapping.
 */
public final class CopyRows {
    static final String UI_ACTION_COLUMNS = "id, study, participant, session_id, condition, seq, type, client_time, "
            + "t_mono, sent_at, received_at, server_time, clock_skew_ms, clock_flag, url, x, y, page_x, page_y, "
            + "screen_x, screen_y, vw, vh, target_id, target_selector, target_attrs, data, context, src_partition, "
            + "src_offset, src_index";
    static final String MOUSE_POSITION_COLUMNS = "action_id, study, participant, session_id, condition, seq, type, "
            + "client_time, server_time, t_mono, x, y, page_x, page_y, screen_x, screen_y, vw, vh";

    private final Utf8Rows actions;
    private final Utf8Rows positions;
    private int actionCount;
    private int positionCount;
    /** Whether the rows are expected to be new: false after a batch that met ids already stored. */
    boolean likelyNew = true;
    /** The actions of one batch share their context: encode it once. */
    private ClientContext lastContext;
    private String lastContextJson;

    /** Rows for about {@code expectedActions} actions; the buffers grow as needed and are kept by {@link #clear()}. */
    public CopyRows(int expectedActions) {
        this.actions = new Utf8Rows(Math.max(1024, expectedActions * 700));
        this.positions = new Utf8Rows(Math.max(1024, expectedActions * 300));
    }

    /** Empties the rows, keeping the buffers for the next batch. */
    public CopyRows clear() {
        actions.length = 0;
        positions.length = 0;
        actionCount = 0;
        positionCount = 0;
        return this;
    }

    /** Adds the rows of every action of a raw record at {@code srcPartition}, {@code srcOffset}. */
    public CopyRows add(RawRecord record, int srcPartition, long srcOffset) {
        for (int i = 0; i < record.actions().size(); i++) {
            add(record, i, srcPartition, srcOffset);
        }
        return this;
    }

    /** Adds action {@code index}'s row and, when it has a pointer position, its mouse position row. */
    public CopyRows add(RawRecord record, int index, int srcPartition, long srcOffset) {
        Action a = record.actions().get(index);
        String id = a.id().toString();
        long serverTime = Clocks.serverTimeMillis(record, a);
        Utf8Rows out = actions;
        identity(out, id, record, a);
        out.number(a.tMono());
        out.time(record.sentAt());
        out.time(record.receivedAt());
        out.time(serverTime);
        out.number(record.skewMillis());
        out.text(Clocks.flag(record, a));
        out.text(a.url());
        pointer(out, a);
        out.text(a.target() == null ? null : a.target().id());
        out.text(a.target() == null ? null : a.target().selector());
        out.text(a.target() == null || a.target().attrs() == null ? null : json(a.target().attrs()));
        out.text(a.data() == null ? null : a.data().toString());
        out.text(contextJson(record.context()));
        out.number(srcPartition);
        out.number(srcOffset);
        out.number(index);
        out.endRow();
        actionCount++;
        if (a.hasPointer()) {
            out = positions;
            identity(out, id, record, a);
            out.time(serverTime);
            out.number(a.tMono());
            pointer(out, a);
            out.endRow();
            positionCount++;
        }
        return this;
    }

    /** Whether the next write of these rows goes straight into the tables (see {@link ProjectionWriter#write}). */
    public boolean likelyNew() {
        return likelyNew;
    }

    /** The columns both tables start with: id to client_time. */
    private static void identity(Utf8Rows out, String id, RawRecord record, Action a) {
        out.ascii(id);
        out.text(record.study());
        out.text(record.participant());
        out.text(record.session());
        out.text(record.condition());
        out.number(a.seq());
        out.text(a.type());
        out.time(a.t());
    }

    /** The pointer columns, x to vh, in both tables' order. */
    private static void pointer(Utf8Rows out, Action a) {
        out.number(a.x());
        out.number(a.y());
        out.number(a.pageX());
        out.number(a.pageY());
        out.number(a.screenX());
        out.number(a.screenY());
        out.number(a.vw());
        out.number(a.vh());
    }

    public int actionCount() {
        return actionCount;
    }

    public int positionCount() {
        return positionCount;
    }

    /** The actions' rows, UTF-8 encoded, in {@code [0, actionBytes())}. */
    byte[] actionRows() {
        return actions.bytes;
    }

    int actionBytes() {
        return actions.length;
    }

    byte[] positionRows() {
        return positions.bytes;
    }

    int positionBytes() {
        return positions.length;
    }

    private String contextJson(ClientContext context) {
        if (context == null) {
            return null;
        }
        if (!Objects.equals(context, lastContext)) {
            lastContextJson = json(context);
            lastContext = context;
        }
        return lastContextJson;
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * A growing buffer of COPY text, written as UTF-8 bytes directly: building Strings first and letting
     * the driver encode them allocated about 4 KB per action. Every value is followed by a tab, and
     * {@link #endRow()} turns the last one into the row's newline.
     */
    static final class Utf8Rows {
        byte[] bytes;
        int length;

        Utf8Rows(int capacity) {
            bytes = new byte[capacity];
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

        void endRow() {
            bytes[length - 1] = '\n';
        }

        /** A value known to be ASCII without COPY syntax in it (ids, numbers). */
        void ascii(String value) {
            int n = value.length();
            room(n + 1);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) value.charAt(i);
            }
            put('\t');
        }

        /** Text, escaped for COPY; a lone surrogate becomes '?', as String.getBytes would make it. */
        void text(String value) {
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

        void number(long value) {
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

        void number(Integer value) {
            if (value == null) {
                nullValue();
            } else {
                number(value.longValue());
            }
        }

        /** Whole values (most pointer coordinates) print as integers: Double.toString is slow before Java 19. */
        void number(Double value) {
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
        void time(long epochMillis) {
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
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }
}
