package io.useractions.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import io.useractions.infra.Postgres;
import io.useractions.model.Action;
import io.useractions.model.Jdbc;
import io.useractions.model.RawRecord;
import io.useractions.processor.projection.CopyRows;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.projection.ProjectionWriter;
import io.useractions.research.export.Migrations;

/**
 * {@code ./ual bench --summary-cost}: what the data-quality summary costs PostgreSQL per action, kept three
 * ways, on one embedded PostgreSQL and nothing else: the sink's own sums ({@code ual_quality_fold}, V16), the
 * insert triggers it replaced (V15, installed on copies of the tables), and no summary. Each transaction's
 * rows (the workload's shape: 50 actions a batch, 80% pointer moves, 60 batches a transaction as the sink's
 * mean) go to all three in turn, each through its own connection, so drift on the shared cores falls on all
 * three alike; the backends' CPU comes from {@code /proc}. Also the sink's CPU for the sums, beside encoding
 * the rows.
 */
record SummaryCostPhase(PrintStream out, Report report, int warmTransactions, int measuredTransactions) {
    private static final int SESSIONS = 2000;
    private static final int ACTIONS_PER_BATCH = 50;
    private static final int BATCHES_PER_TRANSACTION = 60;
    private static final String[] SCHEMAS = {"public", "ual_v15", "ual_none"};
    private static final String[] WAYS = {"the sink's sums (V16)", "insert triggers (V15)", "no summary"};

    void run(Path root, Path migrations) throws SQLException, IOException {
        Rig.phase(out, "summary cost: " + warmTransactions + " transactions to warm up, " + measuredTransactions
                + " measured, each into three sets of tables");
        Postgres postgres = new Postgres(root.resolve("data"), 0).start();
        try (Connection fold = postgres.connect(); Connection triggers = postgres.connect();
                Connection none = postgres.connect()) {
            install(fold, migrations);
            Jdbc.execute(triggers, "set search_path = ual_v15, public");
            Jdbc.execute(none, "set search_path = ual_none, public");
            Connection[] connections = {fold, triggers, none};
            int[] pids = new int[3];
            for (int i = 0; i < 3; i++) {
                try (Statement s = connections[i].createStatement();
                        ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                    rs.next();
                    pids[i] = rs.getInt(1);
                }
                connections[i].setAutoCommit(false);
            }
            Sessions sessions = new Sessions(new Random(42));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] backendStart = new long[3];
            long encodeNanos = 0;
            long encodeAndSumNanos = 0;
            long actions = 0;
            for (int tx = 0; tx < warmTransactions + measuredTransactions; tx++) {
                if (tx == warmTransactions) {
                    for (int i = 0; i < 3; i++) {
                        backendStart[i] = cpuTicks(pids[i]);
                    }
                }
                List<RawRecord> records = sessions.transaction(tx);
                long t0 = threads.getCurrentThreadCpuTime();
                CopyRows plain = new CopyRows(ProjectedTable.CORE, 3000);
                records.forEach(r -> plain.add(r, 0, 0));
                long t1 = threads.getCurrentThreadCpuTime();
                CopyRows summed = new CopyRows(ProjectedTable.CORE, 3000).foldingQuality();
                records.forEach(r -> summed.add(r, 0, 0));
                long t2 = threads.getCurrentThreadCpuTime();
                if (tx >= warmTransactions) {
                    encodeNanos += t1 - t0;
                    encodeAndSumNanos += t2 - t1;
                    actions += (long) BATCHES_PER_TRANSACTION * ACTIONS_PER_BATCH;
                }
                CopyRows[] rows = {summed, plain, plain};
                for (int k = 0; k < 3; k++) {
                    int i = (tx + k) % 3; // who goes first turns
                    ProjectionWriter.copy(connections[i], rows[i], ProjectedTable::name, true, true);
                    connections[i].commit();
                }
            }
            double[] micros = new double[3];
            for (int i = 0; i < 3; i++) {
                micros[i] = (cpuTicks(pids[i]) - backendStart[i]) * 1e6 / 100 / actions;
            }
            boolean equal = summary(fold, "public").equals(summary(fold, "ual_v15"));
            for (int i = 0; i < 3; i++) {
                report.row("summary cost: PostgreSQL, " + WAYS[i], String.format(Locale.ROOT, "%.1f µs/action",
                        micros[i]), String.format(Locale.ROOT, "the backend's CPU per action, %,d actions in %d "
                        + "transactions into tables holding %,d; %+.1f µs against no summary%s", actions,
                        measuredTransactions, (long) warmTransactions * BATCHES_PER_TRANSACTION * ACTIONS_PER_BATCH,
                        micros[i] - micros[2], i == 0 ? (equal ? "; its summary equals the triggers' to the row"
                                : "; ITS SUMMARY DIFFERS FROM THE TRIGGERS'") : ""));
            }
            report.row("summary cost: the sink's sums in Java", String.format(Locale.ROOT, "%.2f µs/action",
                    (encodeAndSumNanos - encodeNanos) / 1000.0 / actions), String.format(Locale.ROOT,
                    "one thread's CPU, encoding the rows and summing them against encoding them (%.2f µs/action); "
                            + "the statement's parameters are built as it runs, counted with PostgreSQL's side",
                    encodeNanos / 1000.0 / actions));
            report.metric("summary_cost_fold_us", micros[0]);
            report.metric("summary_cost_triggers_us", micros[1]);
            report.metric("summary_cost_none_us", micros[2]);
            if (!equal) {
                throw new IllegalStateException("the sink's summary differs from the V15 triggers'");
            }
        } finally {
            postgres.stop();
        }
    }

    /** The migrations, then copies of the four tables under the V15 triggers and without any. */
    private static void install(Connection c, Path migrations) throws SQLException, IOException {
        Migrations.apply(c, migrations);
        String v15 = Files.readString(migrations.resolve("V15__session_quality_triggers_one_pass.sql"));
        for (String schema : new String[] {"ual_v15", "ual_none"}) {
            Jdbc.execute(c, "create schema " + schema);
            for (String table : new String[] {"ui_action", "mouse_position", "session_quality", "session_histogram"}) {
                Jdbc.execute(c, "create table " + schema + "." + table + " (like public." + table + " including all)");
            }
        }
        Jdbc.execute(c, "set search_path = ual_v15, public", v15,
                "create trigger ual_quality_actions_added after insert on ui_action referencing new table as added"
                        + " for each statement execute function ual_v15.ual_quality_actions_added()",
                "create trigger ual_quality_positions_added after insert on mouse_position referencing new table"
                        + " as added for each statement execute function ual_v15.ual_quality_positions_added()",
                "set search_path = public");
    }

    private static String summary(Connection c, String schema) throws SQLException {
        StringBuilder rows = new StringBuilder();
        Jdbc.query(c, "select (select string_agg(to_jsonb(q)::text, '|' order by session_id) from " + schema
                + ".session_quality q), (select string_agg(concat_ws(':', session_id, metric, bucket, samples), '|'"
                + " order by session_id, metric, bucket) from " + schema + ".session_histogram)",
                rs -> rows.append(rs.getString(1)).append('\n').append(rs.getString(2)));
        c.commit();
        return rows.toString();
    }

    /** utime + stime of a process, in clock ticks of 1/100 s. */
    private static long cpuTicks(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The workload's sessions: each batch continues its session's seq and page clock. */
    private static final class Sessions {
        private final Random random;
        private final long[] seqs = new long[SESSIONS];
        private final double[] tMonos = new double[SESSIONS];
        private int next;

        Sessions(Random random) {
            this.random = random;
        }

        List<RawRecord> transaction(int tx) {
            List<RawRecord> records = new ArrayList<>(BATCHES_PER_TRANSACTION);
            long sentAt = 1_764_412_800_000L + tx * 100L;
            for (int b = 0; b < BATCHES_PER_TRANSACTION; b++) {
                int s = next++ % SESSIONS;
                if (tMonos[s] == 0) {
                    tMonos[s] = 1000 + random.nextInt(100_000);
                }
                List<Action> actions = new ArrayList<>(ACTIONS_PER_BATCH);
                for (int i = 0; i < ACTIONS_PER_BATCH; i++) {
                    boolean pointer = random.nextInt(100) < 80;
                    tMonos[s] += 16.6;
                    String type = i == 1 ? "trial:start" : i == ACTIONS_PER_BATCH - 2 ? "trial:end"
                            : pointer ? "pointermove" : "keydown";
                    actions.add(new Action(new UUID(sentAt, random.nextLong()), ++seqs[s], type,
                            sentAt - (ACTIONS_PER_BATCH - i) * 16L, Math.round(tMonos[s] * 10) / 10.0,
                            "https://study.example.org/task/1", pointer ? 400.0 + i : null,
                            pointer ? 300.0 + i : null, null, null, null, null, 1280, 800, null, null));
                }
                records.add(new RawRecord(RawRecord.V2, "bench", "p-" + (1000 + s % 500), "s-" + s,
                        s % 2 == 0 ? "small-targets" : "large-targets", sentAt, sentAt + 40, null, actions));
            }
            return records;
        }
    }
}
