package io.useractions.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * Brings PostgreSQL to the state an operator's is in between bursts, before each phase that measures it:
 * the rows the phases before wrote vacuumed (hint bits and visibility map set) and analyzed, every dirty
 * page written and flushed by a checkpoint, and no autovacuum worker at work. Without it a phase paid for
 * the one before: after the projection's 2.2 million rows, the COPY baseline, the replay and the first
 * end-to-end steps ran beside autovacuum workers on those tables and their checkpoint (docs/benchmarks.md).
 */
final class Settle {
    private static final String AUTOVACUUM_WORKERS =
            "select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'";
    private static final Duration AUTOVACUUM_WAIT = Duration.ofSeconds(120);

    private Settle() {
    }

    /**
     * Settles the server and says what it took, e.g. "VACUUM (ANALYZE) 12.1 s, CHECKPOINT 2.3 s". VACUUM
     * without a table covers every table the user may vacuum (a manual VACUUM also cancels an autovacuum
     * worker on the same table); CHECKPOINT needs the role pg_checkpoint, which the benchmark grants its
     * embedded server's user, and is left out, saying so, where the user lacks it.
     */
    static String postgres(Endpoints endpoints) throws SQLException, InterruptedException {
        try (Connection connection = endpoints.connect(); Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            statement.execute("vacuum (analyze)");
            long vacuumed = System.nanoTime();
            String checkpoint;
            try {
                statement.execute("checkpoint");
                checkpoint = String.format(Locale.ROOT, "CHECKPOINT %.1f s", (System.nanoTime() - vacuumed) / 1e9);
            } catch (SQLException e) {
                checkpoint = "no CHECKPOINT (" + e.getMessage() + ")";
            }
            long checkpointed = System.nanoTime();
            long deadline = checkpointed + AUTOVACUUM_WAIT.toNanos();
            long busy;
            while ((busy = Endpoints.count(connection, AUTOVACUUM_WORKERS)) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double waited = (System.nanoTime() - checkpointed) / 1e9;
            String workers = busy > 0 ? String.format(Locale.ROOT, ", %d autovacuum workers still busy after %.0f s",
                    busy, waited) : waited < 1 ? "" : String.format(Locale.ROOT, ", autovacuum idle %.0f s later", waited);
            return String.format(Locale.ROOT, "VACUUM (ANALYZE) %.1f s, %s%s", (vacuumed - started) / 1e9, checkpoint,
                    workers);
        }
    }
}
