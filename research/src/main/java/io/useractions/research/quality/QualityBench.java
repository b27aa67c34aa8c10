package io.useractions.research.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.useractions.model.Jdbc;
import io.useractions.research.export.BenchDatabase;
import io.useractions.research.export.Migrations;

/**
 * The data-quality overview at scale: loads N actions from P participants (one session each, 70% pointer
 * moves; every 10th participant numbered 1% more, with every 1,000th seq lost) and summarises them, then times
 * the overview the console serves ({@link StudyQuality#read}, median and worst of 15 reads) and, for
 * comparison, rebuilding the summary from every row (what a replay pays). Prints name=value lines.
 *
 * <pre>java -cp ... io.useractions.research.quality.QualityBench --jdbc-url URL [--user U --password P]
 *      [--actions 10000000] [--participants 1000] [--migrations DIR]</pre>
 * ({@code ./ual bench --console} runs it on an embedded PostgreSQL).
 */
public final class QualityBench {
    public static final long DEFAULT_ACTIONS = 10_000_000;
    public static final int DEFAULT_PARTICIPANTS = 1000;
    private static final String STUDY = "bench-quality";
    private static final int PARTICIPANTS_PER_STATEMENT = 25;
    private static final int READS = 15;

    private static final String ACTIONS = """
            insert into ui_action (id, study, participant, session_id, condition, seq, type, client_time, t_mono,
                                   sent_at, received_at, server_time, clock_skew_ms, url, x, y, page_x, page_y,
                                   vw, vh, src_partition, src_offset)
            select gen_random_uuid(), ?, 'P' || p, 'S' || p, case when p % 2 = 0 then 'A' else 'B' end, n,
                   case when n % 10 < 7 then 'pointermove' when n % 10 = 7 then 'click' else 'keydown' end,
                   t, n * 16.7, t, t + interval '40 ms', t + interval '40 ms', 40 + p % 7,
                   'https://study.example/task', n % 1280, n % 720, n % 1280, n % 720, 1280, 720, p % 12, n
              from generate_series(?::int, ?::int) p,
                   generate_series(1, ?::int + case when p % 10 = 0 then ?::int / 1000 else 0 end) n,
                   lateral (select timestamptz '2026-12-01 09:00:00+00' + p * interval '1 s'
                                   + n * interval '16.7 ms') times(t)
             where not (p % 10 = 0 and n % 1000 = 0)
            """;
    private static final String POSITIONS = """
            insert into mouse_position (action_id, study, participant, session_id, condition, seq, type, client_time,
                                        server_time, t_mono, x, y, page_x, page_y, vw, vh, src_partition,
                                        src_offset, src_index)
            select id, study, participant, session_id, condition, seq, type, client_time, server_time, t_mono, x, y,
                   page_x, page_y, vw, vh, src_partition, src_offset, src_index
              from ui_action
             where study = ? and type = 'pointermove' and participant = any(?)
            """;

    private QualityBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("actions", String.valueOf(DEFAULT_ACTIONS),
                "participants", String.valueOf(DEFAULT_PARTICIPANTS)));
        BenchDatabase db = BenchDatabase.parse(args, options);
        int participants = Integer.parseInt(options.get("participants"));
        int perParticipant = (int) (Long.parseLong(options.get("actions")) / participants);
        try (Connection c = db.open()) {
            if (db.migrations() != null && !hasSchema(c)) {
                Migrations.apply(c, db.migrations());
            }
            long stored = count(c, "select coalesce(sum(actions), 0) from session_quality where study = ?");
            if (stored == 0) {
                load(c, participants, perParticipant);
            }
            run(c);
        }
    }

    private static void load(Connection c, int participants, int perParticipant) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement insertActions = c.prepareStatement(ACTIONS);
                PreparedStatement insertPositions = c.prepareStatement(POSITIONS)) {
            for (int first = 1; first <= participants; first += PARTICIPANTS_PER_STATEMENT) {
                int last = Math.min(participants, first + PARTICIPANTS_PER_STATEMENT - 1);
                Jdbc.bind(insertActions, STUDY, first, last, perParticipant, perParticipant).executeUpdate();
                String[] names = new String[last - first + 1];
                for (int i = 0; i < names.length; i++) {
                    names[i] = "P" + (first + i);
                }
                insertPositions.setString(1, STUDY);
                insertPositions.setArray(2, c.createArrayOf("text", names));
                insertPositions.executeUpdate();
            }
        }
        // The sink summarises as it writes; rows written here are summarised from the rows, once.
        StudyQuality.rebuild(c, STUDY);
        Jdbc.execute(c, "vacuum analyze ui_action", "vacuum analyze mouse_position", "vacuum analyze session_quality",
                "vacuum analyze session_histogram");
        print("quality_load_s", (System.nanoTime() - start) / 1e9);
    }

    private static void run(Connection c) throws SQLException {
        double[] millis = new double[READS];
        StudyQuality.Overview overview = null;
        for (int i = 0; i < READS; i++) {
            long start = System.nanoTime();
            overview = StudyQuality.read(c, STUDY, Instant.now());
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        long lost = overview.sessionList().stream().mapToLong(SessionQuality::lost).sum();
        print("quality_actions", overview.actions());
        print("quality_pointer_samples", overview.pointerSamples());
        print("quality_participants", overview.participants());
        print("quality_lost", lost);
        print("quality_overview_ms_median", millis[READS / 2]);
        print("quality_overview_ms_worst", millis[READS - 1]);
        c.setAutoCommit(false);
        long start = System.nanoTime();
        try (Statement st = c.createStatement()) {
            // The replay's default work_mem (ual.processor.replay.work-mem), which its rebuild runs with.
            st.execute("set local work_mem = '64MB'");
            st.execute("select ual_session_quality_rebuild()");
        }
        c.commit();
        print("quality_rebuild_from_rows_s", (System.nanoTime() - start) / 1e9);
    }

    private static boolean hasSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select to_regclass('session_quality') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, STUDY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void print(String name, double value) {
        System.out.println(name + "=" + (value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f", value)));
    }
}
