package io.useractions.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.Topics;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.withdrawal.Withdrawn;

class CommitPacerTest {
    private static final long T0 = TopologyRig.T0;

    private final CommitPacer pacer = new CommitPacer(Duration.ofMillis(100), 5_000);

    @Test
    void anIdlePipelineCommitsEarly() {
        pacer.routed(50);
        assertTrue(pacer.commitEarly(T0));
        pacer.routed(50);
        assertTrue(pacer.commitEarly(T0 + 100));
    }

    @Test
    void aLoadedPipelineLeavesItsCommitsToTheInterval() {
        assertTrue(pacer.commitEarly(T0));
        // 10,000 actions a second, asked every 100 ms: light until the first second is whole, then loaded.
        for (int tick = 1; tick < 10; tick++) {
            pacer.routed(1_000);
            assertTrue(pacer.commitEarly(T0 + tick * 100L), "tick " + tick);
        }
        pacer.routed(1_000);
        assertFalse(pacer.commitEarly(T0 + 1_000), "the second's rate, 10,000/s, is known");
        pacer.routed(1_000);
        assertFalse(pacer.commitEarly(T0 + 1_100), "and holds until the next second is whole");
    }

    @Test
    void theLoadEndingCommitsEarlyAgain() {
        pacer.commitEarly(T0);
        pacer.routed(20_000);
        assertFalse(pacer.commitEarly(T0 + 1_000));
        // Nothing routed for a while, then one batch: its rate over the time since is low.
        pacer.routed(50);
        assertTrue(pacer.commitEarly(T0 + 5_000));
    }

    @Test
    void oneLargeBatchIsNotTakenForLoad() {
        pacer.commitEarly(T0);
        pacer.routed(500);
        assertTrue(pacer.commitEarly(T0 + 1_000), "500 actions in a second, though all in one 100 ms");
    }

    @Test
    void neverCommitsOnlyOnTheInterval() {
        CommitPacer.NEVER.routed(1);
        assertFalse(CommitPacer.NEVER.commitEarly(T0));
        assertThrows(IllegalArgumentException.class, () -> new CommitPacer(Duration.ZERO, 5_000));
    }

    @Test
    void theValidatorAsksForACommitOnlyWhenItRoutedARecordAndTheLoadIsLight() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setRecordMetadata(Topics.RAW, 0, 0);
        ProjectionTopology.ValidateProcessor validator = new ProjectionTopology.ValidateProcessor(Limits.DEFAULT,
                false, () -> Withdrawn.NONE, SealedRecords.Keys.NONE, pacer, ProjectionTopology.Listener.NONE);
        validator.init(context);
        assertEquals(1, context.scheduledPunctuators().size());
        MockProcessorContext.CapturedPunctuator scheduled = context.scheduledPunctuators().get(0);
        assertEquals(Duration.ofMillis(100), scheduled.getInterval());
        assertEquals(PunctuationType.WALL_CLOCK_TIME, scheduled.getType());
        Punctuator punctuator = scheduled.getPunctuator();

        punctuator.punctuate(T0);
        assertFalse(context.committed(), "nothing routed, nothing to commit");

        validator.process(record());
        punctuator.punctuate(T0 + 100);
        assertTrue(context.committed(), "light load: committed within 100 ms");
        context.resetCommit();
        punctuator.punctuate(T0 + 200);
        assertFalse(context.committed(), "nothing routed since");

        pacer.routed(20_000);
        validator.process(record());
        punctuator.punctuate(T0 + 1_300);
        assertFalse(context.committed(), "loaded: left to commit.interval.ms");
    }

    @Test
    void withoutAPacerTheValidatorSchedulesNothing() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        new ProjectionTopology.ValidateProcessor(Limits.DEFAULT, false, () -> Withdrawn.NONE, SealedRecords.Keys.NONE,
                CommitPacer.NEVER, ProjectionTopology.Listener.NONE).init(context);
        assertTrue(context.scheduledPunctuators().isEmpty());
    }

    private static Record<String, byte[]> record() {
        byte[] value = ProjectionTopologyTest.batchRecord(UUID.randomUUID(), UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8);
        return new Record<>("s-1", value, T0);
    }
}
