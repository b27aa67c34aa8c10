package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.useractions.model.Action;
import io.useractions.model.Batch;
import io.useractions.model.BatchParser;
import io.useractions.model.Limits;

/** The benchmark's load: valid batches whose sessions number their actions on, with rows for every shipped table. */
class WorkloadTest {
    private final Workload workload = Workload.create(40, 50, 20, 42);
    private final BatchParser parser = new BatchParser(Limits.DEFAULT);

    @Test
    void aSessionsNextBatchGoesOnWithItsSeqs() {
        Batch first = parser.parse(workload.next(3, new char[36]));
        Batch again = parser.parse(workload.next(23, new char[36]));
        assertEquals(first.session(), again.session());
        assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), first.actions().stream().map(Action::seq).toList());
        assertEquals(LongStream.rangeClosed(51, 100).boxed().toList(), again.actions().stream().map(Action::seq).toList());
    }

    @Test
    void everyBatchHoldsOneTrialAndTheTablesGetRows() {
        Set<String> types = new HashSet<>();
        for (long n = 0; n < 40; n++) {
            List<Action> actions = parser.parse(workload.next(n, new char[36])).actions();
            assertEquals("trial:start", actions.get(1).type());
            assertEquals("trial:end", actions.get(48).type());
            assertEquals(actions.get(1).data().get("trial"), actions.get(48).data().get("trial"));
            actions.forEach(action -> types.add(action.type()));
        }
        assertTrue(types.containsAll(Set.of("pointermove", "click", "keydown", "trial:miss")), types.toString());
    }

    @Test
    void actionIdsAreTimeOrderedAsTheLoggersAre() {
        long before = System.currentTimeMillis();
        char[] lastId = new char[36];
        List<Action> actions = parser.parse(workload.next(7, lastId)).actions();
        long after = System.currentTimeMillis();
        Set<UUID> ids = new HashSet<>();
        for (Action action : actions) {
            UUID id = action.id();
            assertEquals(7, id.version(), id.toString());
            assertEquals(2, id.variant(), id.toString());
            long millis = id.getMostSignificantBits() >>> 16;
            assertTrue(millis >= before && millis <= after, id + " made at " + millis);
            ids.add(id);
        }
        assertEquals(actions.size(), ids.size());
        assertEquals(actions.get(actions.size() - 1).id().toString(), new String(lastId));
    }
}
