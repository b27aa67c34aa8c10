package io.useractions.research.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.infra.Postgres;
import io.useractions.model.Jdbc;
import io.useractions.research.export.TestDatabase;
import io.useractions.research.export.UnknownStudyException;

/** The quality of four sessions, each with one known problem or none, against a real PostgreSQL. */
class StudyQualityTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static Postgres postgres;

    @BeforeAll
    static void sessions() throws Exception {
        postgres = TestDatabase.start("quality");
        try (Connection c = postgres.connect()) {
            // fine: 202 actions, every 10th a move, 16 ms apart, finished 5 minutes ago
            Session fine = new Session(c, "p-fine", "s-fine", NOW.minusSeconds(300), 0);
            for (int seq = 1; seq <= 200; seq++) {
                fine.action(seq, seq % 10 == 0 ? "pointermove" : "keydown", seq * 1.6, null);
            }
            fine.action(201, "trial:end", 201 * 1.6, null).action(202, "page_unload", 202 * 1.6, null);
            // lossy: 1,000 numbered, seq 101-103 never arrived (0.3%), still active
            Session lossy = new Session(c, "p-lossy", "s-lossy", NOW.minusSeconds(20), 0);
            for (int seq = 1; seq <= 1000; seq++) {
                if (seq < 101 || seq > 103) {
                    lossy.action(seq, "pointermove", seq * 8.0, null);
                }
            }
            // skewed and coarse: the clock 6.5 s off for some actions, moves every 80 ms, finished
            Session skewed = new Session(c, "p-skewed", "s-skewed", NOW.minusSeconds(600), 40);
            for (int seq = 1; seq <= 20; seq++) {
                skewed.skew = seq > 15 ? -6_500 : 40;
                skewed.action(seq, "pointermove", seq * 80.0, seq == 20 ? "clock_skew" : null);
            }
            skewed.action(21, "study:complete", 21 * 80.0, null);
            // silent: 10 actions, then nothing for 5 minutes, never finished
            Session silent = new Session(c, "p-silent", "s-silent", NOW.minusMillis(310_160), 0);
            for (int seq = 1; seq <= 10; seq++) {
                silent.action(seq, "pointermove", seq * 16.0, null);
            }
            StudyQuality.rebuild(c, "quality");
        }
    }

    @AfterAll
    static void stop() {
        postgres.stop();
    }

    private static Map<String, SessionQuality> bySession(StudyQuality.Overview overview) {
        return overview.sessionList().stream().collect(Collectors.toMap(SessionQuality::sessionId, Function.identity()));
    }

    @Test
    void eachSessionsMetricsAreCountedFromItsRows() throws SQLException {
        StudyQuality.Overview overview;
        try (Connection c = postgres.connect()) {
            overview = StudyQuality.read(c, "quality", NOW);
        }
        Map<String, SessionQuality> sessions = bySession(overview);
        SessionQuality fine = sessions.get("s-fine");
        assertEquals(List.of(202L, 20L, 202L, 0L, 0L, 1L, 0L), List.of(fine.actions(), fine.pointerSamples(),
                fine.highestSeq(), fine.lost(), fine.flaggedClocks(), fine.trialsCompleted(), fine.skewWorstMs()));
        assertEquals(16.0, fine.intervalMedianMs(), 0.125, "every 10th action a move, 16 ms apart");
        assertTrue(fine.finished());

        SessionQuality lossy = sessions.get("s-lossy");
        assertEquals(List.of(997L, 997L, 1000L, 3L), List.of(lossy.actions(), lossy.pointerSamples(),
                lossy.highestSeq(), lossy.lost()));
        assertEquals(0.3, lossy.lostPercent(), 1e-9);
        assertEquals(8.0, lossy.intervalMedianMs(), 0.125);

        SessionQuality skewed = sessions.get("s-skewed");
        assertEquals(List.of(6_500L, 1L), List.of(skewed.skewWorstMs(), skewed.flaggedClocks()));
        assertEquals(40.0, skewed.skewMedianMs(), 0.125);
        assertEquals(80.0, skewed.intervalP95Ms(), 80 * 0.0055);

        assertEquals(List.of(4L, 4L, 202L + 997 + 21 + 10, 20L + 997 + 20 + 10, 1L, 1L),
                List.of(overview.participants(), overview.sessions(), overview.actions(), overview.pointerSamples(),
                        overview.activeParticipants(), overview.activeSessions()));
    }

    @Test
    void problemsNameTheirReasonAndAFineSessionHasNone() throws SQLException {
        Map<String, SessionQuality> sessions;
        try (Connection c = postgres.connect()) {
            sessions = bySession(StudyQuality.read(c, "quality", NOW));
        }
        Thresholds thresholds = Thresholds.DEFAULT;
        assertEquals(List.of(), thresholds.problems(sessions.get("s-fine"), NOW));
        assertEquals(List.of("lost 3 of 1000 actions (0.30%)"), thresholds.problems(sessions.get("s-lossy"), NOW));
        assertEquals(List.of("clock off by up to 6.5 s", "pointer sampled every 80 ms (median)"),
                thresholds.problems(sessions.get("s-skewed"), NOW));
        assertEquals(List.of("silent for 310 s before finishing"), thresholds.problems(sessions.get("s-silent"), NOW));
    }

    @Test
    void anUnknownStudyIsAnError() throws SQLException {
        try (Connection c = postgres.connect()) {
            assertThrows(UnknownStudyException.class,
                    () -> StudyQuality.read(c, "no-such-study", NOW));
        }
    }

    @Test
    void aStudyWrittenOutsideTheSinkIsSummarisedFromItsRows() throws SQLException {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            // one statement of 300 actions in two sessions (every 3rd a move), then a redelivery of part of it
            String bulk = "insert into ui_action (id, study, participant, session_id, condition, seq, type,"
                    + " client_time, t_mono, sent_at, received_at, server_time, clock_skew_ms, x, y, src_partition,"
                    + " src_offset) select md5('bulk' || s || n)::uuid, 'bulk', 'p-' || s, 's-' || s, 'B', n,"
                    + " case when n %% 3 = 0 then 'pointermove' else 'keydown' end, t, n * 7.5, t, t, t, s * 100 + n %% 7,"
                    + " 1, 2, 0, n from generate_series(1, 2) s, generate_series(%d, %d) n,"
                    + " lateral (select timestamptz '2026-12-02 09:00:00+00' + n * interval '7 ms') time(t)"
                    + " on conflict (id) do nothing";
            String positions = "insert into mouse_position (action_id, study, participant, session_id, condition,"
                    + " seq, type, client_time, server_time, t_mono, x, y, src_partition, src_offset, src_index)"
                    + " select id, study, participant, session_id, condition, seq, type, client_time, server_time,"
                    + " t_mono, x, y, src_partition, src_offset, src_index from ui_action"
                    + " where study = 'bulk' and type = 'pointermove' and seq between %d and %d"
                    + " on conflict (action_id) do nothing";
            st.execute(String.format(bulk, 1, 150));
            st.execute(String.format(positions, 1, 150));
            st.execute(String.format(bulk, 100, 160));
            st.execute(String.format(positions, 100, 160));
            assertThrows(UnknownStudyException.class, () -> StudyQuality.read(c, "bulk", NOW),
                    "only the sink folds its rows in as it writes them");
            StudyQuality.rebuild(c, "bulk");

            Map<String, SessionQuality> sessions = bySession(StudyQuality.read(c, "bulk", NOW));
            assertEquals(List.of(160L, 53L, 0L), List.of(sessions.get("s-2").actions(),
                    sessions.get("s-2").pointerSamples(), sessions.get("s-2").lost()));
            assertEquals(22.5, sessions.get("s-2").intervalMedianMs(), 0.125, "every 3rd action, 7.5 ms apart");
        }
    }

    @Test
    void deletedRowsLeaveTheirSessionsRecomputed() throws SQLException {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            Session session = new Session(c, "p-deleted", "s-deleted", NOW.minusSeconds(60), 0);
            session.study = "deleted";
            for (int seq = 1; seq <= 40; seq++) {
                session.action(seq, "pointermove", seq * 10.0, null);
            }
            st.execute("delete from ui_action where study = 'deleted' and seq between 11 and 20");
            st.execute("delete from mouse_position where study = 'deleted' and seq between 11 and 20");
            SessionQuality q = StudyQuality.read(c, "deleted", NOW).sessionList().get(0);
            assertEquals(List.of(30L, 30L, 40L, 10L), List.of(q.actions(), q.pointerSamples(), q.highestSeq(),
                    q.lost()));
            assertEquals(10.0, q.intervalMedianMs(), 0.125);
            try (var rs = st.executeQuery("select bucket from session_histogram where study = 'deleted'"
                    + " and metric = 'step' and bucket <> " + Buckets.of(10))) {
                assertTrue(rs.next());
                assertEquals(110.0, Buckets.value(rs.getInt(1)), 110 * 0.0055, "the one step over the deleted range");
                assertFalse(rs.next());
            }

            st.execute("delete from ui_action where study = 'deleted'");
            st.execute("delete from mouse_position where study = 'deleted'");
            assertThrows(UnknownStudyException.class, () -> StudyQuality.read(c, "deleted", NOW));
        }
    }

    @Test
    void javaReadsTheBucketsTheDatabaseAssigns() throws SQLException {
        double[] values = {0, 0.1, -0.2, 0.25, 7.99, 16, 16.67, 63.9, 64, 65, 80, 1000.5, 6_500, -6_500, -40,
            3_600_000};
        try (Connection c = postgres.connect();
                PreparedStatement ps = c.prepareStatement("select ual_bucket(?)")) {
            for (double v : values) {
                ps.setDouble(1, v);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(rs.getInt(1), Buckets.of(v), "bucket of " + v);
                }
                double read = Buckets.value(Buckets.of(v));
                assertEquals(v, read, Math.max(0.25, Math.abs(v) * 0.0055), "value of " + v);
            }
        }
    }

    /** Actions of one session as the sink writes them: server time = the session's start + t_mono. */
    private static final class Session {
        private final PreparedStatement action;
        private final PreparedStatement position;
        private final String participant;
        private final String session;
        private final Instant start;
        long skew;
        String study = "quality";

        Session(Connection c, String participant, String session, Instant start, long skew)
                throws SQLException {
            this.participant = participant;
            this.session = session;
            this.start = start;
            this.skew = skew;
            this.action = c.prepareStatement("insert into ui_action (id, study, participant, session_id, condition,"
                    + " seq, type, client_time, t_mono, sent_at, received_at, server_time, clock_skew_ms, clock_flag,"
                    + " x, y, src_partition, src_offset) values (?, ?, ?, ?, 'A', ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, 0, 0)");
            this.position = c.prepareStatement("insert into mouse_position (action_id, study, participant,"
                    + " session_id, condition, seq, type, client_time, server_time, t_mono, x, y, src_partition,"
                    + " src_offset, src_index) values (?, ?, ?, ?, 'A', ?, ?, ?, ?, ?, 1, 2, 0, 0, 0)");
        }

        /** An action at {@code tMono} ms of the page's clock. */
        Session action(long seq, String type, double tMono, String clockFlag) throws SQLException {
            UUID id = UUID.randomUUID();
            Timestamp time = Timestamp.from(start.plusMillis((long) tMono));
            boolean pointer = type.equals("pointermove");
            Jdbc.bind(action, id, study, participant, session, seq, type, time, tMono, time, time, time, skew, clockFlag,
                    pointer ? 1.0 : null, pointer ? 2.0 : null).executeUpdate();
            if (pointer) {
                Jdbc.bind(position, id, study, participant, session, seq, type, time, time, tMono).executeUpdate();
            }
            return this;
        }
    }
}
