package io.useractions.processor.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.useractions.processor.withdrawal.Withdrawals;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * Keeps the rows of withdrawn participants out of the sink's transactions, race-free. A batch is filtered
 * against the sink's last view of the withdrawals (no database work); its transaction then starts with
 * {@link Withdrawals#lockAndCheck}, which holds withdrawals back until it commits and reads their version.
 * If someone withdrew since the view was read and the batch holds their rows, the transaction rolls back
 * and the batch is filtered again against the newer view. So a row commits only if its participant had
 * not withdrawn when it committed, and a withdrawal's deletes see every row committed before it.
 */
final class WithdrawnFilter {
    private final Withdrawals withdrawals;

    WithdrawnFilter(Withdrawals withdrawals) {
        this.withdrawals = withdrawals;
    }

    /** A batch filtered against one view: the records kept, how many were dropped, the transaction's guard. */
    record Pass(List<ProjectedRecord> kept, long dropped, ProjectionWriter.Guard guard) {
    }

    /** The records of {@code valid} whose participant {@code seen} does not name, and the guard that proves it still holds. */
    Pass filter(List<ProjectedRecord> valid, Withdrawn seen) {
        List<ProjectedRecord> kept = new ArrayList<>(valid.size());
        long dropped = 0;
        for (ProjectedRecord record : valid) {
            if (seen.contains(record.study(), record.participant())) {
                dropped++;
            } else {
                kept.add(record);
            }
        }
        return new Pass(kept, dropped, connection -> {
            Withdrawn now = withdrawals.lockAndCheck(connection, seen);
            if (now != seen && kept.stream().anyMatch(record -> now.contains(record.study(), record.participant()))) {
                throw new Changed(now);
            }
        });
    }

    /**
     * Hands {@code write} the batch filtered against the current view until a pass commits with its guard
     * (a participant who withdrew meanwhile makes it throw and roll back); returns the records dropped.
     */
    long write(List<ProjectedRecord> valid, Consumer<Pass> write) {
        Withdrawn seen = withdrawals.get();
        while (true) {
            Pass pass = filter(valid, seen);
            try {
                write.accept(pass);
                withdrawals.dropped("sink", pass.dropped());
                return pass.dropped();
            } catch (Changed changed) {
                seen = changed.now;
            }
        }
    }

    /** Someone in the batch withdrew after it was filtered; its transaction rolled back. */
    static final class Changed extends RuntimeException {
        final Withdrawn now;

        Changed(Withdrawn now) {
            super("a participant of the batch withdrew", null, false, false);
            this.now = now;
        }
    }
}
