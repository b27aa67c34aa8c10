package io.useractions.processor.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.model.trial.TrialSegmenter;
import io.useractions.processor.projection.ProjectedTable;

class SessionsTest {
    private static final long T0 = 1_764_412_800_000L;
    private static final SessionKey SESSION = new SessionKey("st", "p-1", "s-1", "A");

    private final Map<String, byte[]> state = new HashMap<>();
    private final List<String> rows = new ArrayList<>();
    private static final Sessions.Windows WINDOWS = new Sessions.Windows(Duration.ofSeconds(10), Duration.ofMinutes(10),
            Duration.ofHours(24));
    private final Sessions sessions = sessions();

    /** Sessions over the same state as the others (a restarted processor's), writing into the same rows. */
    private Sessions sessions() {
        return new Sessions(TrialMarkers.DEFAULT, WINDOWS, Sessions.Store.of(state),
                (session, table, line) -> rows.add(table.name() + "|" + text(line)));
    }

    /** An action: seq, type, and for pointer moves a position; trial markers carry data.trial. */
    private static String action(long seq, String type) {
        String pointer = type.equals("pointermove") ? ",\"x\":%d.5,\"y\":%d,\"t_mono\":%d.25".formatted(seq, 2 * seq, 10 * seq) : "";
        String data = type.startsWith("trial:") ? ",\"data\":{\"trial\":7}" : "";
        return "{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d%s%s}".formatted(UUID.randomUUID(), seq, type,
                T0 + seq * 100, pointer, data);
    }

    private static RawRecord record(long receivedAt, String... actions) {
        String json = """
                {"v":2,"study":"st","participant":"p-1","session":"s-1","condition":"A","sent_at":%d,
                 "received_at":%d,"actions":[%s]}""".formatted(receivedAt - 50, receivedAt, String.join(",", actions));
        return RawRecords.decode(json.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    }

    /** Takes a record in at its receive time, as a replay does. */
    private void take(RawRecord record, int partition, long offset) {
        sessions.accept(record, partition, offset, record.receivedAt());
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** The rows of the research library's segmentation of the same actions, in seq order. */
    private static List<String> segmented(List<RawRecord> records, List<Provenance> closers) {
        Sessions reader = new Sessions(TrialMarkers.DEFAULT, WINDOWS, Sessions.Store.of(new HashMap<>()), (s, t, l) -> { });
        List<SessionAction> actions = new ArrayList<>();
        for (RawRecord r : records) {
            r.actions().forEach(a -> actions.add(reader.sessionAction(r, a)));
        }
        List<Trial> trials = TrialSegmenter.segment(SESSION, actions, TrialMarkers.DEFAULT);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            expected.add("trial|" + text(SessionTables.trialRow(trials.get(i), closers.get(i))));
        }
        return expected;
    }

    @Test
    void trialsSpanningRecordsAreTheRowsTheResearchLibraryCutsFromTheSameActions() {
        RawRecord first = record(T0 + 1_000, action(1, "page:load"), action(2, "trial:start"), action(3, "pointermove"));
        RawRecord second = record(T0 + 2_000, action(4, "pointermove"), action(5, "trial:miss"), action(6, "pointermove"),
                action(7, "trial:end"), action(8, "trial:start"));
        RawRecord third = record(T0 + 3_000, action(10, "pointermove"));
        take(first, 0, 10);
        take(second, 0, 11);
        take(third, 0, 12);

        assertEquals(1, rows.size(), "the second trial is still running: " + rows);
        sessions.closeIdle(Instant.ofEpochMilli(T0 + 3_000 + Duration.ofMinutes(11).toMillis()));

        assertEquals(segmented(List.of(first, second, third),
                List.of(new Provenance(0, 11, 3), new Provenance(0, 12, 0))), rows);
        assertTrue(rows.get(1).contains("\tt\t"), "the trial the session's end closes is incomplete: " + rows);
    }

    /** The columns of a session_summary row. */
    private static Map<String, String> summary(String row) {
        assertTrue(row.startsWith("session_summary|"), row);
        String[] summary = row.substring("session_summary|".length()).split("\t");
        List<String> columns = SessionTables.SESSION_SUMMARY.columnNames();
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), summary[i].trim());
        }
        return values;
    }

    @Test
    void summaryCountsActionsLostAndLateOncePerFlush() {
        take(record(T0 + 1_000, action(1, "page:load"), action(2, "trial:start"), action(3, "pointermove")), 1, 5);
        take(record(T0 + 2_000, action(5, "trial:end"), action(3, "pointermove")), 1, 6);
        sessions.flush();
        assertEquals(List.of("3", "t"), List.of(summary(rows.get(0)).get("actions"), summary(rows.get(0)).get("in_trial")),
                "seq 5 waits for seq 4: " + rows);
        sessions.closeIdle(Instant.ofEpochMilli(T0 + 2_000 + WINDOWS.reorder().toMillis() + 1));
        sessions.flush();
        sessions.flush();

        assertEquals(3, rows.size(), "a summary, the trial seq 5 ends once the window passed, a summary: " + rows);
        Map<String, String> values = summary(rows.get(2));
        assertEquals("4", values.get("actions"));
        assertEquals("1", values.get("lost_actions"), "seq 4");
        assertEquals("1", values.get("late_actions"), "seq 3 again");
        assertEquals("1", values.get("trials_completed"));
        assertEquals("1", values.get("pointer_samples"));
        assertEquals("f", values.get("in_trial"));
        assertEquals(List.of("1", "6", "0"), List.of(values.get("src_partition"), values.get("src_offset"),
                values.get("src_index")), "the last action counted, not the late one");
    }

    @Test
    void aProcessorWorkingThroughABacklogEndsNoTrialWhoseNextRecordsAreInIt() {
        // The first record taken in as it came; the processor then down for 20 minutes while the second,
        // received a second later, waits on the topic; restarted on its stored state, it checks for idle
        // sessions before and while it works through the backlog.
        long down = Duration.ofMinutes(20).toMillis();
        sessions.accept(record(T0, action(1, "trial:start"), action(2, "pointermove")), 0, 1, T0);
        Sessions restarted = sessions();
        restarted.closeIdle(Instant.ofEpochMilli(T0 + down));
        restarted.accept(record(T0 + 500, action(3, "pointermove")), 0, 2, T0 + down + 1_000);
        restarted.closeIdle(Instant.ofEpochMilli(T0 + down + 5_000));
        restarted.accept(record(T0 + 1_000, action(4, "trial:end")), 0, 3, T0 + down + 6_000);

        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("\tf\t1\t4\t"), "complete, seq 1 to 4: " + rows);
    }

    @Test
    void aQuietSessionsTrialEndsATrialTimeoutAfterItsLastRecordByTheRecordsClock() {
        long lag = 2_000;
        sessions.accept(record(T0, action(1, "trial:start"), action(2, "pointermove")), 0, 1, T0 + lag);
        sessions.closeIdle(Instant.ofEpochMilli(T0 + lag + Duration.ofMinutes(10).toMillis()));
        assertEquals(0, rows.size(), "not yet idle for 10 minutes by the records' clock: " + rows);
        sessions.closeIdle(Instant.ofEpochMilli(T0 + lag + Duration.ofMinutes(10).toMillis() + 1_000));
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("\tt\t1\t2\t"), "incomplete, seq 1 to 2: " + rows);
    }

    @Test
    void aSessionBackAfterTheTrialTimeoutEndsItsRunningTrialFirst() {
        take(record(T0, action(1, "trial:start"), action(2, "pointermove")), 0, 1);
        take(record(T0 + Duration.ofMinutes(11).toMillis(), action(3, "trial:end")), 0, 2);

        assertEquals(1, rows.size());
        assertTrue(rows.get(0).contains("\tt\t1\t2\t"), "incomplete, seq 1 to 2: " + rows);
    }

    @Test
    void aSessionBackAfterTheRetentionCountsItsTrialsAfresh() {
        take(record(T0, action(1, "trial:start"), action(2, "trial:end")), 0, 1);
        long back = T0 + Duration.ofHours(25).toMillis();
        take(record(back, action(3, "trial:start"), action(4, "trial:end")), 0, 2);
        assertEquals(1, rows.size(), "afresh, seq 3 waits for 1 and 2 the reorder window: " + rows);
        sessions.closeIdle(Instant.ofEpochMilli(back + WINDOWS.reorder().toMillis() + 1));

        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("trial|p-1/s-1/7\t"), "ordinal 1 again, so no #2: " + rows);
        sessions.closeIdle(Instant.ofEpochMilli(T0 + Duration.ofHours(50).toMillis()));
        assertTrue(state.isEmpty(), "forgotten after the retention");
    }

    @Test
    void aBatchOvertakenByTheNextIsPutBackInSeqOrder() {
        RawRecord first = record(T0 + 1_000, action(1, "trial:start"), action(2, "pointermove"), action(3, "pointermove"));
        RawRecord third = record(T0 + 1_100, action(7, "trial:end"), action(8, "trial:start"));
        RawRecord second = record(T0 + 1_200, action(4, "pointermove"), action(5, "trial:miss"), action(6, "pointermove"));
        take(first, 0, 1);
        take(third, 0, 2);
        assertTrue(rows.isEmpty(), "seq 7 ends the trial only after seq 4 to 6: " + rows);
        take(second, 0, 3);
        sessions.flush();

        assertEquals(2, rows.size(), rows.toString());
        assertEquals(segmented(List.of(first, second, third), List.of(new Provenance(0, 2, 0), new Provenance(0, 2, 1))).get(0), rows.get(0),
                "the trial the research library cuts from the rows in seq order");
        Map<String, String> values = summary(rows.get(1));
        assertEquals(List.of("8", "0", "0"), List.of(values.get("actions"), values.get("lost_actions"),
                values.get("late_actions")), rows.toString());
        assertTrue(state.values().stream().allMatch(b -> SessionLedger.read(b, TrialMarkers.DEFAULT).heldSince()
                == Long.MAX_VALUE), "nothing held any more");
    }

    @Test
    void aGapStillOpenAfterTheReorderWindowCountsAsLostAndItsActionsComeLate() {
        take(record(T0, action(1, "pointermove"), action(2, "pointermove")), 0, 1);
        take(record(T0 + 1_000, action(5, "pointermove"), action(6, "pointermove")), 0, 2);
        // The next record of the session, received after the window, lets seq 5 and 6 go on without 3 and 4.
        take(record(T0 + 1_000 + WINDOWS.reorder().toMillis() + 1, action(7, "pointermove")), 0, 3);
        take(record(T0 + 12_000, action(3, "pointermove"), action(4, "pointermove")), 0, 4);
        sessions.flush();

        Map<String, String> values = summary(rows.get(0));
        assertEquals(List.of("5", "2", "2", "7"), List.of(values.get("actions"), values.get("lost_actions"),
                values.get("late_actions"), values.get("last_seq")), rows.toString());
    }

    @Test
    void aTrialThatTimesOutFirstTakesTheActionsHeldPastAGap() {
        // A reorder window longer than the trial timeout: the trial timeout bounds it.
        Sessions impatient = new Sessions(TrialMarkers.DEFAULT, new Sessions.Windows(Duration.ofSeconds(10),
                Duration.ofSeconds(8), Duration.ofHours(24)), Sessions.Store.of(state),
                (session, table, line) -> rows.add(table.name() + "|" + text(line)));
        impatient.accept(record(T0, action(1, "trial:start"), action(2, "pointermove")), 0, 1, T0);
        impatient.accept(record(T0 + 100, action(5, "pointermove"), action(6, "pointermove")), 0, 2, T0 + 100);
        impatient.closeIdle(Instant.ofEpochMilli(T0 + 100 + 8_001));

        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("\tt\t1\t6\t"), "incomplete, seq 1 to 6 with 3 and 4 lost: " + rows);
    }

    @Test
    void aFirstActionAboveSeqOneWaitsForTheOnesBefore() {
        take(record(T0 + 100, action(3, "trial:end")), 0, 1);
        take(record(T0 + 200, action(1, "trial:start"), action(2, "pointermove")), 0, 2);
        sessions.flush();

        assertEquals(2, rows.size(), "the trial seq 1 to 3, and the summary: " + rows);
        assertEquals("0", summary(rows.get(1)).get("late_actions"));
    }

    @Test
    void aRestartedProcessorWritesEveryStoredSessionsSummaryOnItsFirstFlush() {
        // Taken in and committed with the store, but the processor stopped (its task moved) before it flushed.
        take(record(T0, action(1, "page:load"), action(2, "pointermove")), 0, 1);
        Sessions moved = sessions();
        moved.flush();
        moved.flush();

        assertEquals(1, rows.size(), rows.toString());
        assertEquals("2", summary(rows.get(0)).get("actions"));
    }

    @Test
    void aLedgerStoredByTheFormerFormatIsRead() {
        take(record(T0, action(1, "trial:start"), action(2, "pointermove")), 0, 1);
        byte[] current = state.values().iterator().next();
        // Format 1: the format byte, the same key and receive time, then when the record was taken in, and no held
        // actions at the end. The key's four strings ("st", "p-1", "s-1", "A") take 21 bytes after the format byte.
        int afterReceivedAt = 1 + 21 + 8;
        byte[] former = new byte[current.length + 8 - 4];
        System.arraycopy(current, 0, former, 0, afterReceivedAt);
        System.arraycopy(current, afterReceivedAt, former, afterReceivedAt + 8, current.length - 4 - afterReceivedAt);
        former[0] = 1;
        state.replaceAll((key, bytes) -> former);

        take(record(T0 + 1_000, action(3, "trial:end")), 0, 2);
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("\tf\t1\t3\t"), "complete, seq 1 to 3: " + rows);
    }

    @Test
    void aKeyOfASpanningRowIsItsKeyColumns() {
        ProjectedTable trial = SessionTables.TRIAL;
        byte[] line = "m\tst\tp\ts\t\\N\t1\t1\t\\N\tt\t42\t43\trest\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("st\tp\ts\t42\t", trial.rowKey(line));
    }
}
