package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.processor.TestSupport;
import io.useractions.processor.studies.StudyStore;
import io.useractions.processor.withdrawal.WithdrawalService;
import io.useractions.processor.withdrawal.Withdrawals;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * A study deleted while the sink writes, both ways round, against the real PostgreSQL: the deletion takes
 * the withdrawal lock, so no row of the study survives it, whichever transaction takes the lock first,
 * and no second sweep is needed.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class StudyDeleteRaceTest {
    @Inject
    DataSource dataSource;
    @Inject
    ProjectionWriter writer;
    @Inject
    Withdrawals withdrawals;
    @Inject
    StudyStore store;

    private long rows(String study) {
        return TestSupport.count(dataSource, "select count(*) from ui_action where study = ?", study);
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

    @Test
    void aDeletionWaitsForTheSinkTransactionInFlightAndDeletesWhatItCommitted() throws Exception {
        String gone = registered();
        String kept = registered();
        CompletableFuture<Map<String, Long>> deletion;
        try (Connection sink = dataSource.getConnection()) {
            sink.setAutoCommit(false);
            Withdrawn seen = withdrawals.lockAndCheck(sink, withdrawals.refresh());
            assertFalse(seen.containsStudy(gone));
            CopyRows rows = new CopyRows(ProjectedTable.CORE, 4);
            batch(gone, "p-1", gone, "p-2", kept, "p-1").forEach(r -> rows.add(r.raw(), r.srcPartition(), r.srcOffset()));
            ProjectionWriter.copy(sink, rows, ProjectedTable::name, true, true);
            deletion = CompletableFuture.supplyAsync(() -> store.delete(gone, "test"));
            TestSupport.awaitSessionBlockedBy(dataSource, sink);
            assertFalse(deletion.isDone(), "the deletion waits for the sink's transaction");
            sink.commit();
        }
        Map<String, Long> deleted = deletion.get(30, TimeUnit.SECONDS);
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
}
