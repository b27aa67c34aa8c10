package io.useractions.processor.replay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Topics;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.TestSupport;
import io.useractions.testing.TopicWriter;

/** The replay against the real broker and PostgreSQL, next to the live processor of the same app. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class ReplayTest {
    @Inject
    Replay replay;

    @Inject
    DataSource dataSource;

    @Inject
    ParticipantKeys keys;

    /** A raw record as the ingest service writes it; {@code pointer} adds coordinates. */
    private static String record(String study, String session, UUID id, long seq, long receivedAt, boolean pointer) {
        String coordinates = pointer ? ",\"x\":%d.5,\"y\":%d,\"page_x\":%d.5,\"page_y\":%d,\"vw\":1280,\"vh\":800"
                .formatted(seq, seq * 3, seq, seq * 3 + 200) : "";
        return """
                {"v":1,"study":"%s","participant":"p-7","session":"%s","condition":"C","sent_at":1764412800100,
                 "received_at":%d,"context":{"user_agent":"replay-test","dpr":1.5},
                 "action":{"id":"%s","seq":%d,"type":"%s","t":%d,"t_mono":%d.5%s,
                 "data":{"n":%d,"text":"tab\\t\\\\N"}}}"""
                .formatted(study, session, receivedAt, id, seq, type(seq, pointer),
                        1764412800000L + seq, seq, coordinates, seq);
    }

    /** A trial from seq 2 to seq 9: it spans the v1 records and the v2 one of {@link #sendSession}. */
    private static String type(long seq, boolean pointer) {
        return seq == 2 ? "trial:start" : seq == 9 ? "trial:end" : pointer ? "pointermove" : "keydown";
    }

    private static void send(String session, String value) throws Exception {
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, session,
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    /**
     * Sends a session of pointer and key actions: the first half as v1 records (one action each, as
     * written before v2), the next quarter as one v2 record, the rest as one v2 record sealed with the
     * participant's data key (as the ingest writes it now); then one action again with another
     * received_at, one invalid record, and one sealed for this session whose payload names another
     * participant (which the live path dead-letters, so a replay must leave it out too).
     */
    private List<UUID> sendSession(String study, String session, int actions) throws Exception {
        List<UUID> ids = new ArrayList<>();
        String head = null;
        StringBuilder batch = new StringBuilder();
        StringBuilder sealed = new StringBuilder();
        for (int seq = 1; seq <= actions; seq++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            String v1 = record(study, session, id, seq, 1764412800200L, seq % 4 != 0);
            if (seq <= actions / 2) {
                send(session, v1);
                continue;
            }
            int action = v1.indexOf("\"action\":");
            head = v1.substring(0, action).replace("\"v\":1", "\"v\":2");
            StringBuilder into = seq <= actions / 2 + (actions - actions / 2) / 2 ? batch : sealed;
            into.append(into.isEmpty() ? "" : ",").append(v1, action + "\"action\":".length(), v1.length() - 1);
        }
        send(session, head + "\"actions\":[" + batch + "]}");
        DataKey key = keys.currentOrCreate(study, "p-7");
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, session, SealedRecords.seal(key,
                new RecordBinding(study, "p-7", session), (head + "\"actions\":[" + sealed + "]}")
                        .getBytes(StandardCharsets.UTF_8)))).get();
        send(session, record(study, session, ids.get(0), 1, 1764412899999L, true));
        send(session, "{\"v\":1,\"study\":\"" + study + "\",\"session\":\"" + session + "\", not json");
        String mislabelled = record(study, session, UUID.randomUUID(), actions + 1, 1764412800200L, true)
                .replace("\"participant\":\"p-7\"", "\"participant\":\"p-8\"");
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, session, SealedRecords.seal(key,
                new RecordBinding(study, "p-7", session), mislabelled.getBytes(StandardCharsets.UTF_8)))).get();
        return ids;
    }

    @Test
    void replayReDerivesTamperedTablesAsTheLivePathWroteThemAndKeepsRowsPastItsSnapshot() throws Exception {
        String study = newStudy();
        String before = UUID.randomUUID().toString();
        List<UUID> ids = sendAndAwait(study, before, 12);
        Map<String, String> live = dump(study);
        assertEquals(12 + 9 + 1 + 1 + 1, live.size() - histogramRows(live),
                "12 actions, 9 mouse positions, 1 session's quality and summary, 1 trial");

        // Damage what the live path wrote: a lost row, an edited value, a row no record derives.
        update("delete from mouse_position where action_id = ?", ids.get(1));
        update("delete from ui_action where id = ?", ids.get(1));
        update("update ui_action set x = -1, data = '{}' where id = ?", ids.get(2));
        update("update mouse_position set y = -1 where action_id = ?", ids.get(2));
        update("""
                insert into ui_action select gen_random_uuid(), study, participant, session_id, condition, seq, type,
                 client_time, t_mono, sent_at, received_at, url, x, y, page_x, page_y, screen_x, screen_y, vw, vh,
                 target_id, target_selector, target_attrs, data, context, src_partition, src_offset, server_time,
                 clock_skew_ms, clock_flag from ui_action where id = ?""", ids.get(3));
        update("update session_quality set actions = 0, highest_seq = 1 where study = ?", study);
        update("update trial set misses = 99, outcome = null where session_id = ?", before);
        update("delete from session_summary where session_id = ?", before);
        assertNotEquals(live, dump(study));

        // Records after the snapshot: the live sink writes them, the replay must keep them.
        Map<Integer, Long> snapshot = TestSupport.rawEndOffsets();
        Map<String, String> pastSnapshot = sessionPastSnapshot(study);

        Replay.Result result = replay.run(snapshot);

        Map<String, String> expected = new HashMap<>(live);
        expected.putAll(pastSnapshot);
        assertEquals(expected, dump(study));
        assertTrue(result.invalid() >= 1, result.summary());
        assertTrue(result.keptPastSnapshot() >= 4, result.summary());
        assertTrue(result.rowsRemoved() >= 3 && result.rowsAdded() >= 4, "the edited pair and the stray row out, "
                + "the lost pair and the edited pair in: " + result.summary());
        assertTrue(result.records() >= 14, result.summary());
        assertEquals(0, count("select count(*) from pg_tables where tablename in "
                + "('ui_action_replay', 'mouse_position_replay')"), "the replay tables are dropped");
    }

    @Test
    void aReplayIntoEmptiedTablesCopiesStraightInAndKeepsRowsPastItsSnapshot() throws Exception {
        String study = newStudy();
        sendAndAwait(study, UUID.randomUUID().toString(), 10);
        Map<String, String> live = dump(study);
        Map<Integer, Long> snapshot = TestSupport.rawEndOffsets();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate ui_action, mouse_position, click, key_chord, trial, session_summary");
        }
        Map<String, String> pastSnapshot = sessionPastSnapshot(study);

        Replay.Result result = replay.run(snapshot);

        assertTrue(result.straightIn(), "the live tables held nothing below the snapshot: " + result.summary());
        assertEquals("folded", result.qualitySummary(), result.summary());
        Map<String, String> expected = new HashMap<>(live);
        expected.putAll(pastSnapshot);
        assertEquals(expected, dump(study));
        assertEquals(4, result.keptPastSnapshot(), result.summary());
        assertEquals(result.rows(), result.rowsAdded(), result.summary());
        Replay.Result again = replay.run(snapshot);
        assertFalse(again.straightIn(), "the tables now hold every row below the snapshot: " + again.summary());
        assertEquals("rebuilt", again.qualitySummary(), again.summary());
        assertEquals(List.of(0L, 0L), List.of(again.rowsRemoved(), again.rowsAdded()), again.summary());
        assertEquals(expected, dump(study));
    }

    @Test
    void aReplayStraightIntoEmptiedTablesKeepsEachPollsRowsInMemory() throws Exception {
        String study = newStudy();
        int sessions = 24;
        int records = 10;
        int actions = 100;
        // Compressed and batched, as the ingest writes them: a fetch brings a poll's worth (200 records).
        Map<String, Object> props = new HashMap<>(LocalInfraTestResource.infra().kafkaClientConfig());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        try (KafkaProducer<String, byte[]> producer = TopicWriter.producer(props)) {
            for (int i = 0; i < sessions; i++) {
                String session = UUID.randomUUID().toString();
                for (int r = 0; r < records; r++) {
                    producer.send(new ProducerRecord<>(Topics.RAW, session,
                            batch(study, session, r * actions + 1, actions).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        long total = (long) sessions * records * actions;
        // The session summaries are written every emit interval, after the rows: wait for both.
        await("the live rows and session summaries").atMost(Duration.ofSeconds(60))
                .until(() -> count("select count(*) from ui_action where study = ?", study) == total
                        && count("select coalesce(sum(actions), 0) from session_summary where study = ?", study) == total);
        Map<String, String> live = dump(study);
        Map<Integer, Long> snapshot = TestSupport.rawEndOffsets();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate ui_action, mouse_position, click, key_chord, trial, session_summary");
        }

        // A poll of 20,000 actions: more rows than the default work_mem of 4MB keeps of the summary triggers'
        // transition tables. Any temporary file now fails the replay.
        Replay.Result result;
        try (Connection superuser = superuser(); Statement s = superuser.createStatement()) {
            s.execute("alter system set temp_file_limit = 0");
            s.execute("select pg_reload_conf()");
            try {
                result = replay.run(snapshot);
            } finally {
                s.execute("alter system reset temp_file_limit");
                s.execute("select pg_reload_conf()");
            }
        }

        assertTrue(result.straightIn(), result.summary());
        assertEquals(live, dump(study));
    }

    @Test
    void aStraightInReplaysSummaryEqualsOneRebuiltFromTheRowsWhenASessionCameOutOfOrder() throws Exception {
        String study = newStudy();
        String session = UUID.randomUUID().toString();
        // Seqs 101-110, then 250 records of one action each, then 1-10 late: more than a poll (200 records)
        // apart, so no fold sees both ends of the step from 10 to 101.
        send(session, batch(study, session, 101, 10));
        for (int i = 0; i < 250; i++) {
            send(session, batch(study, session, 111 + i, 1));
        }
        send(session, batch(study, session, 1, 10));
        await("the live rows").atMost(Duration.ofSeconds(60))
                .until(() -> count("select count(*) from ui_action where session_id = ?", session) == 270);
        Map<Integer, Long> snapshot = TestSupport.rawEndOffsets();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate ui_action, mouse_position, click, key_chord, trial, session_summary");
        }

        Replay.Result result = replay.run(snapshot);

        assertTrue(result.straightIn(), result.summary());
        Map<String, String> replayed = dump(study);
        assertTrue(replayed.keySet().stream().anyMatch(key -> key.startsWith("session_quality:")), "a summary");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("select ual_session_quality_rebuild()");
        }
        assertEquals(dump(study), replayed);
    }

    @Test
    void replayToTheEndEqualsTheLiveProjection() throws Exception {
        String study = newStudy();
        sendAndAwait(study, UUID.randomUUID().toString(), 20);
        Map<String, String> live = dump(study);

        Replay.Result result = replay.run();

        assertEquals(live, dump(study));
        assertTrue(result.actions() >= 20 && result.positions() >= 15, result.summary());
        Replay.Result again = replay.run();
        assertEquals(List.of(0L, 0L), List.of(again.rowsRemoved(), again.rowsAdded()),
                "a replay of tables that are right writes nothing: " + again.summary());
        assertEquals(live, dump(study));
    }

    @Test
    void aSecondReplayOfTheSameDatabaseIsRefusedAndChangesNothing() throws Exception {
        try (Connection other = dataSource.getConnection(); Statement s = other.createStatement()) {
            s.execute("select pg_advisory_lock(" + 0x75616c7265706c61L + ")");
            try {
                long rows = count("select count(*) from ui_action");
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> replay.run());
                assertTrue(refused.getMessage().contains("another replay"), refused.getMessage());
                assertEquals(rows, count("select count(*) from ui_action"));
            } finally {
                s.execute("select pg_advisory_unlock(" + 0x75616c7265706c61L + ")");
            }
        }
    }

    /** One v2 record of a session's {@code actions} actions from {@code firstSeq} on, as the ingest writes a batch. */
    private static String batch(String study, String session, int firstSeq, int actions) {
        String head = null;
        StringBuilder body = new StringBuilder();
        for (int seq = firstSeq; seq < firstSeq + actions; seq++) {
            String v1 = record(study, session, UUID.randomUUID(), seq, 1764412800200L, seq % 4 != 0);
            int action = v1.indexOf("\"action\":");
            head = v1.substring(0, action).replace("\"v\":1", "\"v\":2");
            body.append(body.isEmpty() ? "" : ",").append(v1, action + "\"action\":".length(), v1.length() - 1);
        }
        return head + "\"actions\":[" + body + "]}";
    }

    /** A connection to the test server as its superuser, for server settings. */
    private Connection superuser() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String url = c.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
            return DriverManager.getConnection(url, "postgres", "");
        }
    }

    private static String newStudy() {
        return "replay-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends a session of {@code actions} actions; returns their ids once the live sink stored them and the summary. */
    private List<UUID> sendAndAwait(String study, String session, int actions) throws Exception {
        List<UUID> ids = sendSession(study, session, actions);
        await("the live rows").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where session_id = ?", session) == actions);
        awaitSummary(session);
        return ids;
    }

    /** Sends a session of four actions, waits for the live sink to store it and returns its rows. */
    private Map<String, String> sessionPastSnapshot(String study) throws Exception {
        String session = UUID.randomUUID().toString();
        sendAndAwait(study, session, 4);
        Map<String, String> rows = dump(study);
        rows.values().removeIf(json -> !json.contains(session));
        return rows;
    }

    /** Waits for the session's summary to count its last record: the resent first action, late. */
    private void awaitSummary(String session) {
        await("the session's summary").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from session_summary where session_id = ? and late_actions = 1",
                        session) == 1);
    }

    /** Every row of a study in the projected tables and their summary, keyed by table and key, as JSON. */
    private Map<String, String> dump(String study) {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select 'ui_action:' || id, to_jsonb(a)::text from ui_action a where study = ?
                union all
                select 'mouse_position:' || action_id, to_jsonb(m)::text from mouse_position m where study = ?
                union all
                select 'session_quality:' || session_id, to_jsonb(q)::text from session_quality q where study = ?
                union all
                select 'session_histogram:' || concat_ws(':', session_id, metric, bucket), to_jsonb(h)::text
                  from session_histogram h where study = ?
                union all
                select 'session_summary:' || session_id, to_jsonb(s)::text from session_summary s where study = ?
                union all
                select 'trial:' || session_id || ':' || start_seq, to_jsonb(t)::text from trial t where study = ?""")) {
            for (int i = 1; i <= 6; i++) {
                s.setString(i, study);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    rows.merge(key, rs.getString(2), (a, b) -> a + "\n" + b);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static long histogramRows(Map<String, String> dump) {
        return dump.keySet().stream().filter(key -> key.startsWith("session_histogram:")).count();
    }

    private void update(String sql, Object arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, arg);
            assertEquals(1, s.executeUpdate(), sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, Object... args) {
        return TestSupport.count(dataSource, sql, args);
    }

}
