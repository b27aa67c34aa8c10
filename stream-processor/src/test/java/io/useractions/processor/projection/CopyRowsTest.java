package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.processor.tables.DeclaredTables;
import io.useractions.processor.tables.DerivedTable;

class CopyRowsTest {
    private static final List<String> ACTION_COLUMNS = ProjectedTable.UI_ACTION.columnNames();
    private static final List<String> POSITION_COLUMNS = ProjectedTable.MOUSE_POSITION.columnNames();

    private static RawRecord record(long sentAt, String... actions) {
        String json = """
                {"v":2,"study":"demo","participant":"p-1","session":"s-1","condition":"A","sent_at":%d,
                 "received_at":1764412800200,"context":{"screen_w":1920},"actions":[%s]}"""
                .formatted(sentAt, String.join(",", actions));
        return RawRecords.decode(json.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    }

    private static String action(int seq, long t, String fields) {
        return "{\"id\":\"0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0%d\",\"seq\":%d,\"type\":\"click\",\"t\":%d,\"t_mono\":12.25%s}"
                .formatted(seq, seq, t, fields);
    }

    private static List<String> row(CopyRows rows, int table, int index) {
        return CopyValues.rows(rows.rows(table), rows.tables().get(table)).get(index);
    }

    private static String value(CopyRows rows, int row, String column) {
        return row(rows, 0, row).get(ACTION_COLUMNS.indexOf(column));
    }

    private static CopyBuffer actionRows(CopyRows rows) {
        return rows.rows(0);
    }

    @Test
    void aBufferGrownPastTheBoundStaysWhileLargePollsComeAndGoesAfterSmallOnes() {
        CopyRows rows = new CopyRows(ProjectedTable.CORE, 2);
        RawRecord record = record(1764412800100L, action(1, 1764412800000L, ",\"x\":1,\"y\":2"));
        for (int offset = 0; actionRows(rows).length <= CopyRows.KEPT_BYTES; offset++) {
            rows.add(record, 0, offset);
        }
        byte[] grown = actionRows(rows).bytes;
        int large = rows.count(ProjectedTable.UI_ACTION);
        rows.clear();
        assertEquals(0, rows.count(ProjectedTable.UI_ACTION));
        for (int offset = 0; offset < large; offset++) {
            rows.add(record, 0, offset);
        }
        rows.clear();
        assertSame(grown, actionRows(rows).bytes, "a backlog's polls reuse the buffer they grew");
        for (int poll = 1; poll < CopyBuffer.SHRINK_AFTER; poll++) {
            rows.add(record, 0, 0).clear();
        }
        assertSame(grown, actionRows(rows).bytes, "kept until SHRINK_AFTER polls in a row fit in the bound");
        rows.add(record, 0, 0).clear();
        assertEquals(CopyRows.KEPT_BYTES, actionRows(rows).bytes.length, "then it goes");
        rows.add(record, 0, 0);
        assertEquals(1, rows.count(ProjectedTable.UI_ACTION), "the rows go on after a shrink");
        rows.clear();
        assertEquals(CopyRows.KEPT_BYTES, actionRows(rows).bytes.length, "a buffer within the bound is kept");
    }

    @Test
    void everyActionOfARecordGetsARowWithItsIndexFramesAndTimes() {
        CopyRows rows = new CopyRows(ProjectedTable.CORE, 2).add(record(1764412800100L,
                action(1, 1764412800000L, ",\"x\":1,\"y\":2,\"page_x\":3,\"page_y\":4,\"screen_x\":5,\"screen_y\":6,"
                        + "\"vw\":800,\"vh\":600,\"target\":{\"id\":\"b\",\"attrs\":{\"data-trial\":\"3\"}},\"data\":{\"k\":[1,2]}"),
                action(2, 1764412800050L, "")), 2, 99);
        assertEquals(2, rows.count(ProjectedTable.UI_ACTION));
        assertEquals(1, rows.count(ProjectedTable.MOUSE_POSITION), "only the action with a pointer position");
        List<String> first = row(rows, 0, 0);
        assertEquals(ACTION_COLUMNS.size(), first.size());
        assertEquals("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01", first.get(0));
        assertEquals(List.of("s-1", "A", "1", "2025-11-29T10:40:00.000Z", "12.25", "2025-11-29T10:40:00.100Z",
                "2025-11-29T10:40:00.200Z", "2025-11-29T10:40:00.100Z", "100", "\\N"),
                List.of(value(rows, 0, "session_id"), value(rows, 0, "condition"), value(rows, 0, "seq"),
                        value(rows, 0, "client_time"), value(rows, 0, "t_mono"), value(rows, 0, "sent_at"),
                        value(rows, 0, "received_at"), value(rows, 0, "server_time"), value(rows, 0, "clock_skew_ms"),
                        value(rows, 0, "clock_flag")));
        assertEquals("{\"data-trial\":\"3\"}", value(rows, 0, "target_attrs"));
        assertEquals("{\"k\":[1,2]}", value(rows, 0, "data"));
        assertEquals("{\"screen_w\":1920}", value(rows, 0, "context"));
        assertEquals(List.of("2", "99", "0"), List.of(value(rows, 0, "src_partition"), value(rows, 0, "src_offset"),
                value(rows, 0, "src_index")));
        assertEquals(List.of("2", "99", "1"), List.of(value(rows, 1, "src_partition"), value(rows, 1, "src_offset"),
                value(rows, 1, "src_index")));
        assertEquals("\\N", value(rows, 1, "x"));
    }

    @Test
    void implausibleClocksAreFlaggedNotDropped() {
        CopyRows skewed = new CopyRows(ProjectedTable.CORE, 1).add(record(1764400000000L, action(1, 1764400005000L, "")), 0, 0);
        assertEquals("clock_skew,after_send", value(skewed, 0, "clock_flag"));
        CopyRows old = new CopyRows(ProjectedTable.CORE, 1).add(record(1764412800100L, action(1, 1000, "")), 0, 0);
        assertEquals("too_old", value(old, 0, "clock_flag"));
    }

    @Test
    void aMousePositionRowHasTheActionsServerTime() {
        CopyRows rows = new CopyRows(ProjectedTable.CORE, 1).add(record(1764412800100L, action(1, 1764412800000L, ",\"x\":1.5,\"y\":2")), 0, 0);
        List<String> position = row(rows, 1, 0);
        assertEquals(POSITION_COLUMNS.size(), position.size());
        assertEquals("2025-11-29T10:40:00.100Z", position.get(POSITION_COLUMNS.indexOf("server_time")));
        assertEquals("1.5", position.get(POSITION_COLUMNS.indexOf("x")));
        assertEquals("\\N", position.get(POSITION_COLUMNS.indexOf("screen_x")));
        assertEquals(List.of("0", "0", "0"), position.subList(position.size() - 3, position.size()),
                "every table ends with its row's provenance");
    }

    @Test
    void aDeclarationThatRepeatsAColumnOrLacksItsKeyIsRefused() {
        ProjectedTable.Column id = ProjectedTable.column("id", (row, out) -> out.uuid(row.action().id()));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new ProjectedTable("clicks", "id", action -> true, List.of(id, id)));
        assertEquals("table clicks declares the column id twice", twice.getMessage());
        IllegalArgumentException keyless = assertThrows(IllegalArgumentException.class,
                () -> new ProjectedTable("clicks", "click_id", action -> true, List.of(id)));
        assertEquals("table clicks has no key column click_id", keyless.getMessage());
    }

    @Test
    void aDeclaredColumnOfEachActionFieldHoldsWhatUiActionHolds() {
        StringBuilder yaml = new StringBuilder("table: every_field\ncolumns:\n");
        List<ActionField> declared = java.util.Arrays.stream(ActionField.values())
                .filter(field -> !DerivedTable.builtInColumns().contains(field.column().name())).toList();
        declared.forEach(field -> yaml.append("  - name: f_").append(field.column().name()).append("\n    from: ")
                .append(field.fieldName()).append('\n'));
        DerivedTable table = DeclaredTables.parse("every_field.yaml", yaml.toString());
        CopyRows rows = new CopyRows(List.of(ProjectedTable.UI_ACTION, table.projection()), 1).add(record(1764412800100L,
                action(1, 1764412800000L, ",\"url\":\"https://example.org/a\",\"x\":1.5,\"y\":2,\"page_x\":3,"
                        + "\"page_y\":4,\"screen_x\":5,\"screen_y\":6,\"vw\":800,\"vh\":600,\"target\":{\"id\":\"b\","
                        + "\"selector\":\"#b\",\"attrs\":{\"data-trial\":\"3\"}},\"data\":{\"k\":[1,2]}")), 0, 0);
        List<String> derivedColumns = table.projection().columnNames();
        List<String> derived = row(rows, 1, 0);
        for (ActionField field : declared) {
            String core = value(rows, 0, field.column().name());
            assertEquals(core, derived.get(derivedColumns.indexOf("f_" + field.column().name())), field.fieldName());
        }
        assertEquals(ACTION_COLUMNS.size() - ProjectedTable.PROVENANCE.size(), ActionField.values().length,
                "ui_action holds every field of an action");
    }

    @Test
    void theShippedClickTableTakesTheTrialNumberTheLoggerSendsAsText() throws Exception {
        Path file = Path.of("..", "tables", "click.yaml");
        DerivedTable click = DeclaredTables.parse(file.toString(), Files.readString(file));
        List<String> columns = click.projection().columnNames();
        CopyRows rows = new CopyRows(List.of(click.projection()), 3).add(record(1764412800100L,
                action(1, 1764412800000L, ",\"x\":10.5,\"y\":20,\"target\":{\"id\":\"go\",\"attrs\":{\"data-trial\":\"3\"}},"
                        + "\"data\":{\"button\":\"0\"}"),
                action(2, 1764412800050L, ",\"target\":{\"id\":\"go\",\"attrs\":{\"data-trial\":\"three\"}}")), 0, 7);

        List<String> first = row(rows, 0, 0);
        assertEquals(List.of("go", "3", "10.5", "20", "0"), List.of(first.get(columns.indexOf("target_id")),
                first.get(columns.indexOf("trial")), first.get(columns.indexOf("x")), first.get(columns.indexOf("y")),
                first.get(columns.indexOf("button"))));
        assertEquals("\\N", row(rows, 0, 1).get(columns.indexOf("trial")), "a trial that is not a number");
    }
}
