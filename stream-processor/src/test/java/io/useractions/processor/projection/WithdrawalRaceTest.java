package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Jdbc;
import io.useractions.processor.TestSupport;
import io.useractions.processor.withdrawal.WithdrawalService;
import io.useractions.processor.withdrawal.Withdrawals;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * A withdrawal that commits while the sink writes, both ways round, against the real PostgreSQL: no row of
 * the withdrawn participant survives, whichever transaction takes the lock first.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class WithdrawalRaceTest {
    @Inject
    DataSource dataSource;
    @Inject
    ProjectionWriter writer;
    @Inject
    Withdrawals withdrawals;
    @Inject
    WithdrawalService service;

    private long count(String sql, Object... args) {
        return TestSupport.count(dataSource, sql, args);
    }

    /** A sink-like write of {@code records} (filtered, guarded), as PostgresSink does it, without offsets. */
    private long sinkWrite(List<ProjectedRecord> records) {
        return new WithdrawnFilter(withdrawals).write(records,
                pass -> writer.write(ProjectedTable::name, WithdrawnFilterTest.rows(pass), pass.guard()));
    }

    private static List<ProjectedRecord> batch(String study, String... participants) {
        List<ProjectedRecord> records = new ArrayList<>();
        for (String participant : participants) {
            records.add(WithdrawnFilterTest.action(study, participant));
        }
        return records;
    }

    @Test
    void aWithdrawalCommittedAfterTheBatchWasFilteredButBeforeItsTransactionLeavesNoRow() throws Exception {
        String study = "race-" + UUID.randomUUID();
        withdrawals.refresh();
        assertFalse(withdrawals.get().contains(study, "p-go"), "the sink's view predates the withdrawal");
        CompletableFuture<Long> sink;
        try (Connection withdrawal = dataSource.getConnection()) {
            withdrawal.setAutoCommit(false);
            Jdbc.update(withdrawal, "insert into participant_withdrawal (study, participant, withdrawn_by) "
                    + "values (?, 'p-go', 'test')", study);
            // The batch was filtered against the old view and its transaction waits for the withdrawal.
            sink = CompletableFuture.supplyAsync(() -> sinkWrite(batch(study, "p-go", "p-stay", "p-go")));
            TestSupport.awaitSessionBlockedBy(dataSource, withdrawal);
            assertFalse(sink.isDone(), "the sink's transaction waits for the withdrawal to commit");
            withdrawal.commit();
        }
        assertEquals(2, sink.get(30, TimeUnit.SECONDS), "p-go's two records dropped after the retry");
        assertEquals(0, count("select count(*) from ui_action where study = ? and participant = 'p-go'", study));
        assertEquals(1, count("select count(*) from ui_action where study = ? and participant = 'p-stay'", study));
    }

    @Test
    void aWithdrawalWaitsForTheSinkTransactionInFlightAndDeletesWhatItCommitted() throws Exception {
        String study = "race-" + UUID.randomUUID();
        CompletableFuture<WithdrawalService.Withdrawal> withdrawal;
        try (Connection sink = dataSource.getConnection()) {
            sink.setAutoCommit(false);
            Withdrawn seen = withdrawals.lockAndCheck(sink, withdrawals.refresh());
            assertFalse(seen.contains(study, "p-go"));
            CopyRows rows = new CopyRows(ProjectedTable.CORE, 4);
            batch(study, "p-go", "p-go", "p-stay").forEach(r -> rows.add(r.raw(), r.srcPartition(), r.srcOffset()));
            ProjectionWriter.copy(sink, rows, ProjectedTable::name, true, true);
            withdrawal = CompletableFuture.supplyAsync(() -> service.withdraw(study, "p-go", "test", null));
            TestSupport.awaitSessionBlockedBy(dataSource, sink);
            assertFalse(withdrawal.isDone(), "the withdrawal waits for the sink's transaction");
            sink.commit();
        }
        WithdrawalService.Withdrawal done = withdrawal.get(30, TimeUnit.SECONDS);
        assertEquals(2, done.deleted().get("ui_action"), "the rows the sink committed first: " + done.deleted());
        assertEquals(0, count("select count(*) from ui_action where study = ? and participant = 'p-go'", study));
        assertEquals(1, count("select count(*) from ui_action where study = ? and participant = 'p-stay'", study));
        assertTrue(withdrawals.get().contains(study, "p-go"), "the processor's view knows at once");
        // A late batch of theirs: filtered before its transaction, with no retry.
        assertEquals(1, sinkWrite(batch(study, "p-go", "p-stay")));
        assertEquals(0, count("select count(*) from ui_action where study = ? and participant = 'p-go'", study));
        assertEquals(2, count("select count(*) from ui_action where study = ? and participant = 'p-stay'", study));
    }

    @Test
    void aWithdrawalThatCannotTakeTheLockGivesUpInsteadOfHoldingTheSinkBack() throws Exception {
        String study = "race-" + UUID.randomUUID();
        try (Connection replay = dataSource.getConnection()) {
            replay.setAutoCommit(false);
            withdrawals.lockAndCheck(replay, Withdrawn.NONE);
            long started = System.nanoTime();
            org.junit.jupiter.api.Assertions.assertThrows(WithdrawalService.Busy.class,
                    () -> service.withdraw(study, "p-go", "test", null));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 4000 && waited < 15000, "waited the lock timeout: " + waited + " ms");
            replay.commit();
        }
        assertEquals(0, count("select count(*) from participant_withdrawal where study = ?", study), "nothing changed");
        assertEquals(0, count("select count(*) from withdrawal_audit where study = ?", study));
    }

    /** What the guard adds to each sink transaction: one round trip taking the lock and reading the version. */
    @Test
    void theGuardCostsOneShortStatementPerTransaction() throws SQLException {
        int rounds = 2000;
        Withdrawn seen = withdrawals.refresh();
        long[] plain = new long[3];
        long[] guarded = new long[3];
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int repeat = 0; repeat < 3; repeat++) {
                long start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("select 1");
                    }
                    connection.commit();
                }
                plain[repeat] = System.nanoTime() - start;
                start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    withdrawals.lockAndCheck(connection, seen);
                    connection.commit();
                }
                guarded[repeat] = System.nanoTime() - start;
            }
        }
        double plainMicros = java.util.Arrays.stream(plain).min().getAsLong() / 1000.0 / rounds;
        double guardedMicros = java.util.Arrays.stream(guarded).min().getAsLong() / 1000.0 / rounds;
        System.out.printf(Locale.ROOT, "WITHDRAWAL GUARD: a transaction of one 'select 1' %.0f us, of the lock and "
                + "version read %.0f us (%d withdrawals stored)%n", plainMicros, guardedMicros, seen.size());
        assertTrue(guardedMicros < 2 * plainMicros + 500, "one round trip, not a scan: " + guardedMicros + " us");
    }
}
