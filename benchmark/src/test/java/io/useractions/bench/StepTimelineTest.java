package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StepTimelineTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 5 * SECOND;

    private static StepTimeline.Second at(long postgresTicks, long workers, String vacuuming, long checkpoints) {
        return new StepTimeline.Second(Map.of("postgres", postgresTicks, "processor", postgresTicks / 4), workers,
                vacuuming, "", checkpoints, 1_000_000);
    }

    private static StepTimeline.Second took(long fixedWorkNanos) {
        return new StepTimeline.Second(Map.of(), 0, "", "", 0, fixedWorkNanos);
    }

    @Test
    void lagsAreCountedInTheSecondTheirBatchWasAcknowledged() {
        long[][] perSecond = StepTimeline.lagPerSecond(List.of(new long[] { START + 100, 200_000 },
                new long[] { START + SECOND / 2, 900_000 }, new long[] { START + 2 * SECOND + 1, 50_000 },
                new long[] { START + 9 * SECOND, 70_000 }), START, 3);
        assertArrayEquals(new long[] { 2, 900_000 }, perSecond[0]);
        assertArrayEquals(new long[] { 0, 0 }, perSecond[1]);
        // A batch acknowledged after the last sampled second counts in the last.
        assertArrayEquals(new long[] { 2, 70_000 }, perSecond[2]);
    }

    @Test
    void theWorstSecondsComeWithWhatThePipelineDidUntilTheirBatchesArrived() {
        List<StepTimeline.Second> timeline = List.of(at(0, 0, "", 7), at(100, 0, "", 7), at(200, 1, "mouse_position", 7),
                at(300, 1, "mouse_position+ui_action", 8), at(400, 0, "", 8), at(500, 0, "", 8));
        long[][] lags = { { 10, 80_000 }, { 10, 1_500_000 }, { 0, 0 }, { 10, 120_000 }, { 10, 90_000 } };
        List<StepTimeline.Worst> worst = StepTimeline.worst(timeline, lags);
        assertEquals(List.of(1, 3, 4), worst.stream().map(StepTimeline.Worst::second).toList());
        // Second 1's batches waited up to 1.5 s: seconds 1 to 3 are theirs.
        assertEquals("1 s 1,500 ms (autovacuum 1 worker, vacuum mouse_position+ui_action; 1 checkpoint ended; "
                + "cores: postgres 1.00, processor 0.25)", worst.get(0).describe());
        assertEquals("no autovacuum; cores: postgres 1.00, processor 0.25", worst.get(2).during());
    }

    @Test
    void aBacklogIsTracedToTheSecondsBeforeTheLagFirstPassedOneSecond() {
        List<StepTimeline.Second> timeline = List.of(at(0, 0, "", 7), at(100, 0, "", 7), at(200, 0, "", 7),
                at(300, 1, "ui_action", 7), at(400, 1, "ui_action", 7), at(500, 0, "", 7), at(600, 0, "", 7));
        long[][] lags = { { 10, 90_000 }, { 10, 300_000 }, { 10, 900_000 }, { 10, 1_100_000 }, { 10, 30_000_000 },
                { 10, 40_000_000 } };
        assertEquals("lag over 1,000 ms from 3 s (the 3 s before: autovacuum 1 worker, vacuum ui_action; cores: "
                + "postgres 1.00, processor 0.25); ", StepTimeline.onset(timeline, lags));
        // The worst seconds look no further than 3 s past them: a 40 s wait is the backlog's, not theirs.
        assertEquals("5 s 40,000 ms (no autovacuum; cores: postgres 1.00, processor 0.25)",
                StepTimeline.worst(timeline, lags).get(0).describe());
        assertEquals("", StepTimeline.onset(timeline, new long[][] { { 10, 1_000_000 } }));
        assertEquals("lag over 1,000 ms from 0 s (its first second: no autovacuum; cores: postgres 1.00, processor "
                + "0.25); ", StepTimeline.onset(timeline, new long[][] { { 10, 1_000_001 } }));
    }

    @Test
    void theStepSaysHowLongAutovacuumWorkedAndWhenCheckpointsEnded() {
        List<StepTimeline.Second> timeline = List.of(at(0, 0, "", 7), at(100, 1, "ui_action", 7), at(200, 1, "", 8),
                at(300, 0, "", 8));
        assertEquals("autovacuum busy 2 of 3 s, checkpoints ended at [1] s", StepTimeline.events(timeline));
        assertEquals("""
                second,batches,max_lag_ms,cores_postgres,cores_processor,autovacuum_workers,vacuuming,analysing,checkpoints_ended,fixed_work_cpu_us
                0,3,1200,1.00,0.25,1,ui_action,,0,1000
                1,0,0,1.00,0.25,1,,,1,1000
                2,0,0,1.00,0.25,0,,,0,1000
                """, StepTimeline.csv(timeline, new long[][] { { 3, 1_200_000 } }));
    }

    @Test
    void aSlowerCpuShowsAsTheSameWorkTakingMoreCpuTime() {
        // The first entry is the step's start, with no sample.
        List<StepTimeline.Second> timeline = List.of(took(0), took(1_000_000), took(1_050_000), took(980_000),
                took(1_400_000), took(1_300_000), took(1_000_000));
        assertEquals("the same work's CPU time: median 1.05 ms, 1.33× at its slowest (3 s), 1.2× or more in 2 of 6 s",
                StepTimeline.speed(timeline));
        assertEquals("no CPU speed samples", StepTimeline.speed(List.of(took(0))));
    }

    @Test
    void theFixedWorkIsTheSameEachTime() {
        assertEquals(StepTimeline.fixedWork(1000), StepTimeline.fixedWork(1000));
        assertNotEquals(StepTimeline.fixedWork(1000), StepTimeline.fixedWork(1001));
    }
}
