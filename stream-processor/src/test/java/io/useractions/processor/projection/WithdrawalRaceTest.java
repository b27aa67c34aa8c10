package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Jdbc;
import io.useractions.processor.TestSupport;
import io.useractions.processor.studies.StudyStore;
import io.useractions.processor.withdrawal.WithdrawalService;
import io.useractions.processor.withdrawal.Withdrawals;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * A withdrawal, of one participant or of a whole study as its deletion makes it, that commits while the sink
 * writes, both ways round, against the real PostgreSQL: no row of the withdrawn participant or study survives,
 * whichever transaction takes the lock first, and no second sweep is needed.
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
    @Inject
    StudyStore store;

    private long count(String sql, Object... args) {
        return TestSupport.count(dataSource, sql, args);
    }

    /** A sink-like write of {@code records} (filtered, guarded), as PostgresSink does it, without offsets. */
    private long sinkWrite(List<ProjectedRecord> records) {
        return new WithdrawnFilter(withdrawals).write(records,
                pass -> writer.write(ProjectedTable::name, WithdrawnFilterTest.rows(pass), pass.guard()));
    }

    private long rows(String study) {
        return count("select count(*) from ui_action where study = ?", study);
    }

    private String registered() {
        String study = "race-" + UUID.randomUUID().toString().substring(0, 8);
        store.register(study, List.of(), null, "test");
        return study;
    }

    private static List<ProjectedRecord> batch(String... studyParticipantPairs) {
        List<ProjectedRecord> records = new ArrayList<>();
        for (int i = 0; i + 1 < studyParticipantPairs.length; i += 2) {
            records.add(WithdrawnFilterTest.action(studyParticipantPairs[i], studyParticipantPairs[i + 1]));
        }
        return records;
    }

    /**
     * Writes {@code batch} in a sink transaction under the guard, starts {@code deletion} on another thread,
     * checks that it waits for the sink's transaction, commits, and returns what the deletion returns.
     */
    private <T> T committedWhileWaiting(List<ProjectedRecord> batch, Supplier<T> deletion) throws Exception {
        CompletableFuture<T> waiting;
        try (Connection sink = dataSource.getConnection()) {
            sink.setAutoCommit(false);
            withdrawals.lockAndCheck(sink, withdrawals.refresh());
            CopyRows rows = new CopyRows(ProjectedTable.CORE, 4);
            batch.forEach(r -> rows.add(r.raw(), r.srcPartition(), r.srcOffset()));
            ProjectionWriter.copy(sink, rows, ProjectedTable::name, true, true);
            waiting = CompletableFuture.supplyAsync(deletion);
            TestSupport.awaitSessionBlockedBy(dataSource, sink);
            assertFalse(waiting.isDone(), "the deletion waits for the sink's transaction");
            sink.commit();
        }
        return waiting.get(30, TimeUnit.SECONDS);
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
            sink = CompletableFuture.supplyAsync(() -> sinkWrite(batch(study, "p-go", study, "p-stay", study, "p-go")));
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
        assertFalse(withdrawals.refresh().contains(study, "p-go"));
        WithdrawalService.Withdrawal done = committedWhileWaiting(batch(study, "p-go", study, "p-go", study, "p-stay"),
                () -> service.withdraw(study, "p-go", "test", null));
        assertEquals(2, done.deleted().get("ui_action"), "the rows the sink committed first: " + done.deleted());
        assertEquals(0, count("select count(*) from ui_action where study = ? and participant = 'p-go'", study));
        assertEquals(1, count("select count(*) from ui_action where study = ? and participant = 'p-stay'", study));
        assertTrue(withdrawals.get().contains(study, "p-go"), "the processor's view knows at once");
        // A late batch of theirs: filtered before its transaction, with no retry.
        assertEquals(1, sinkWrite(batch(study, "p-go", study, "p-stay")));
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
            assertThrows(WithdrawalService.Busy.class, () -> service.withdraw(study, "p-go", "test", null));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 4000 && waited < 15000, "waited the lock timeout: " + waited + " ms");
            replay.commit();
        }
        assertEquals(0, count("select count(*) from participant_withdrawal where study = ?", study), "nothing changed");
        assertEquals(0, count("select count(*) from withdrawal_audit where study = ?", study));
    }

    @Test
    void aDeletionWaitsForTheSinkTransactionInFlightAndDeletesWhatItCommitted() throws Exception {
        String gone = registered();
        String kept = registered();
        assertFalse(withdrawals.refresh().containsStudy(gone));
        Map<String, Long> deleted = committedWhileWaiting(batch(gone, "p-1", gone, "p-2", kept, "p-1"),
                () -> store.delete(gone, "test"));
        assertEquals(2, deleted.get("ui_action"), "the rows the sink committed first: " + deleted);
        assertEquals(0, rows(gone));
        assertEquals(1, rows(kept));
        assertTrue(withdrawals.get().containsStudy(gone), "this processor's view knows at once");
        assertTrue(withdrawals.get().contains(gone, "p-new"), "every participant of the study, even one never seen");
    }

    @Test
    void aDeletionCommittedAfterTheBatchWasFilteredButBeforeItsTransactionLeavesNoRow() throws Exception {
        String gone = registered();
        String kept = registered();
        Withdrawn before = withdrawals.refresh();
        WithdrawnFilter filter = new WithdrawnFilter(withdrawals);
        // Filtered against the view before the deletion: nothing of the study is dropped yet.
        WithdrawnFilter.Pass stale = filter.filter(batch(gone, "p-1", kept, "p-1", gone, "p-2"), before);
        assertEquals(3, stale.kept().size());
        store.delete(gone, "test");
        // The transaction's guard sees the deletion's version and rolls the stale pass back.
        assertThrows(WithdrawnFilter.Changed.class,
                () -> writer.write(ProjectedTable::name, WithdrawnFilterTest.rows(stale), stale.guard()));
        assertEquals(0, rows(gone));
        assertEquals(0, rows(kept), "the whole transaction rolled back");
        // As the sink does it: filtered again against the newer view, and written.
        long dropped = filter.write(batch(gone, "p-1", kept, "p-1", gone, "p-2"),
                pass -> writer.write(ProjectedTable::name, WithdrawnFilterTest.rows(pass), pass.guard()));
        assertEquals(2, dropped);
        assertEquals(0, rows(gone));
        assertEquals(1, rows(kept));
    }

    @Test
    void aDeletionThatCannotTakeTheLockGivesUpAndChangesNothing() throws Exception {
        String study = registered();
        try (Connection replay = dataSource.getConnection()) {
            replay.setAutoCommit(false);
            withdrawals.lockAndCheck(replay, Withdrawn.NONE);
            assertThrows(WithdrawalService.Busy.class, () -> store.delete(study, "test"));
            replay.commit();
        }
        assertEquals("open", store.show(study).state(), "nothing changed");
        assertEquals(0, TestSupport.count(dataSource, "select count(*) from participant_withdrawal where study = ?",
                study));
    }

    /**
     * The guard is one statement per sink transaction while the set is unchanged, and reads the set only after
     * it changed. It also prints what that statement costs next to a transaction of {@code select 1}, the
     * figure docs/withdrawal.md quotes; the figure is not a check.
     */
    @Test
    void theGuardIsOneStatementPerTransactionAndReadsTheSetOnlyWhenItChanged() throws SQLException {
        String study = "race-" + UUID.randomUUID();
        Withdrawn seen = withdrawals.refresh();
        AtomicInteger statements = new AtomicInteger();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Connection counted = countingStatements(connection, statements);
            assertSame(seen, withdrawals.lockAndCheck(counted, seen));
            connection.commit();
            assertEquals(1, statements.get(), "unchanged: the lock and the version read, one statement");
            service.withdraw(study, "p-new", "test", null);
            Withdrawn now = withdrawals.lockAndCheck(counted, seen);
            connection.commit();
            assertTrue(now.contains(study, "p-new"), "the set read again under the lock");
            assertEquals(3, statements.get(), "changed: the version read, then the set");
        }
        printCost(withdrawals.refresh());
    }

    /** {@code connection}, counting each statement it creates or prepares. */
    private static Connection countingStatements(Connection connection, AtomicInteger statements) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createStatement") || method.getName().equals("prepareStatement")) {
                        statements.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void printCost(Withdrawn seen) throws SQLException {
        int rounds = 2000;
        long plain = Long.MAX_VALUE;
        long guarded = Long.MAX_VALUE;
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
                plain = Math.min(plain, System.nanoTime() - start);
                start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    withdrawals.lockAndCheck(connection, seen);
                    connection.commit();
                }
                guarded = Math.min(guarded, System.nanoTime() - start);
            }
        }
        System.out.printf(Locale.ROOT, "WITHDRAWAL GUARD: a transaction of one 'select 1' %.0f us, of the lock and "
                + "version read %.0f us (%d withdrawals stored; best of 3 x %d)%n", plain / 1000.0 / rounds,
                guarded / 1000.0 / rounds, seen.size(), rounds);
    }
}
