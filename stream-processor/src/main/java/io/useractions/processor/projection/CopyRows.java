package io.useractions.processor.projection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The projection's rows in PostgreSQL's COPY text format, column by column in the order of
 * {@link #UI_ACTION_COLUMNS} and {@link #MOUSE_POSITION_COLUMNS}. The entities stay the one mapping of
 * a record to a row; this only writes their fields the way COPY reads them.
 */
final class CopyRows {
    static final String UI_ACTION_COLUMNS = "id, study, participant, session_id, condition, seq, type, client_time, "
            + "t_mono, sent_at, received_at, server_time, clock_skew_ms, clock_flag, url, x, y, page_x, page_y, "
            + "screen_x, screen_y, vw, vh, target_id, target_selector, target_attrs, data, context, src_partition, "
            + "src_offset";
    static final String MOUSE_POSITION_COLUMNS = "action_id, study, participant, session_id, condition, seq, type, "
            + "client_time, server_time, t_mono, x, y, page_x, page_y, screen_x, screen_y, vw, vh";

    private final StringBuilder out;
    private boolean firstInRow = true;

    private CopyRows(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    static String actions(List<UiAction> actions) {
        CopyRows rows = new CopyRows(actions.size() * 600);
        for (UiAction a : actions) {
            rows.uuid(a.id).text(a.study).text(a.participant).text(a.sessionId).text(a.condition).number(a.seq)
                    .text(a.type).time(a.clientTime).number(a.tMono).time(a.sentAt).time(a.receivedAt)
                    .time(a.serverTime).number(a.clockSkewMs).text(a.clockFlag).text(a.url).number(a.x).number(a.y)
                    .number(a.pageX).number(a.pageY).number(a.screenX).number(a.screenY).number(a.vw).number(a.vh)
                    .text(a.targetId).text(a.targetSelector).text(a.targetAttrs).text(a.data).text(a.context)
                    .number(a.srcPartition).number(a.srcOffset).endRow();
        }
        return rows.out.toString();
    }

    static String positions(List<MousePosition> positions) {
        CopyRows rows = new CopyRows(positions.size() * 250);
        for (MousePosition m : positions) {
            rows.uuid(m.actionId).text(m.study).text(m.participant).text(m.sessionId).text(m.condition).number(m.seq)
                    .text(m.type).time(m.clientTime).time(m.serverTime).number(m.tMono).number(m.x).number(m.y)
                    .number(m.pageX).number(m.pageY).number(m.screenX).number(m.screenY).number(m.vw).number(m.vh)
                    .endRow();
        }
        return rows.out.toString();
    }

    private CopyRows separator() {
        if (!firstInRow) {
            out.append('\t');
        }
        firstInRow = false;
        return this;
    }

    private CopyRows nullValue() {
        out.append("\\N");
        return this;
    }

    CopyRows text(String value) {
        separator();
        if (value == null) {
            return nullValue();
        }
        if (!needsEscape(value)) {
            out.append(value);
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return this;
    }

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    CopyRows uuid(UUID value) {
        separator();
        return value == null ? nullValue() : append(value.toString());
    }

    CopyRows time(Instant value) {
        separator();
        return value == null ? nullValue() : append(value.toString());
    }

    CopyRows number(Number value) {
        separator();
        if (value == null) {
            return nullValue();
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return append(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }
        return append(value.toString());
    }

    private CopyRows append(String text) {
        out.append(text);
        return this;
    }

    private void endRow() {
        out.append('\n');
        firstInRow = true;
    }
}
