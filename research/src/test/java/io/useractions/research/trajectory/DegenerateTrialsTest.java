package io.useractions.research.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** What each measure is for trials mousetrap cannot or can barely handle (docs/measures.md). */
class DegenerateTrialsTest {

    @Test
    void noSampleOrOneSampleGivesNoMeasures() {
        for (Trajectory tr : new Trajectory[] {Samples.of("none"), Samples.of("one", new double[] {0, 3, 4})}) {
            Measures m = Measures.of(tr);
            assertEquals(Set.of(Flag.TOO_FEW_SAMPLES), m.flags());
            for (Measure measure : Measure.values()) {
                assertTrue(Double.isNaN(m.get(measure)), tr.id() + " " + measure);
            }
            TimeNormalized tn = TimeNormalize.of(tr);
            assertEquals(101, tn.steps());
            assertFalse(tn.isDefined());
            assertTrue(Double.isNaN(tn.x(50)));
        }
    }

    @Test
    void samplesAllAtOneTimeBecomeOneSample() {
        Trajectory raw = Samples.of("same", new double[] {5, 0, 0}, new double[] {5, 10, 10}, new double[] {5, 20, 30});
        Trajectory tr = Preparation.prepare(raw);
        assertEquals(1, tr.size());
        assertEquals(Set.of(Flag.TOO_FEW_SAMPLES), Measures.of(tr).flags());
    }

    @Test
    void noMovementIsIdleThroughoutWithZeroDeviation() {
        Trajectory tr = Samples.of("still", new double[] {0, 0, 0}, new double[] {10, 0, 0}, new double[] {30, 0, 0});
        Measures m = Measures.of(tr);
        assertEquals(Set.of(Flag.START_EQUALS_END), m.flags());
        assertMeasures(m, "MAD=0 MAD_TIME=0 AD=0 AUC=0 XPOS_FLIPS=0 XPOS_REVERSALS=0 RT=30 INITIATION_TIME=30 "
                + "IDLE_TIME=30 TOTAL_DIST=0 VEL_MAX=0 VEL_MAX_TIME=0 ACC_MIN=0");
    }

    @Test
    void returningToTheStartMeasuresDeviationsFromTheStartPointAsMousetrapDoes() {
        Trajectory tr = Samples.of("loop", new double[] {0, 0, 0}, new double[] {10, 30, 40},
                new double[] {20, -6, -8}, new double[] {30, 0, 0});
        Measures m = Measures.of(tr);
        assertEquals(Set.of(Flag.START_EQUALS_END), m.flags());
        assertEquals(50, m.get(Measure.MAD));
        assertEquals(10, m.get(Measure.MAD_TIME));
        assertEquals(-10, m.get(Measure.MD_BELOW), "below the start: negative");
        assertEquals(10, m.get(Measure.AD));
        assertEquals(0, m.get(Measure.AUC), 1e-12, "a degenerate polygon");
        assertEquals(50 + 60 + 10, m.get(Measure.TOTAL_DIST), 1e-12);
    }

    @Test
    void twoSamplesAreEnough() {
        Measures m = Measures.of(Samples.of("two", new double[] {0, 0, 0}, new double[] {20, -30, 40}));
        assertTrue(m.flags().isEmpty());
        assertEquals(0, m.get(Measure.MAD));
        assertEquals(2.5, m.get(Measure.VEL_MAX));
        assertEquals(0, m.get(Measure.VEL_MAX_TIME));
        assertEquals(0, m.get(Measure.ACC_MAX), "the only acceleration is the leading 0");
        assertEquals(0, m.get(Measure.INITIATION_TIME));
        assertEquals(0, m.get(Measure.IDLE_TIME));
    }

    @Test
    void aRepeatedTimeInAnUnpreparedTrajectoryLeavesVelocityAndAccelerationMissing() {
        Trajectory tr = Samples.of("rep", new double[] {0, 0, 0}, new double[] {10, 1, 1}, new double[] {10, 2, 2},
                new double[] {20, 3, 5});
        Measures m = Measures.of(tr);
        assertEquals(Set.of(Flag.REPEATED_TIMESTAMP), m.flags());
        for (Measure measure : new Measure[] {Measure.VEL_MAX, Measure.VEL_MAX_TIME, Measure.VEL_MIN,
                Measure.VEL_MIN_TIME, Measure.ACC_MAX, Measure.ACC_MAX_TIME, Measure.ACC_MIN, Measure.ACC_MIN_TIME}) {
            assertTrue(Double.isNaN(m.get(measure)), measure.toString());
        }
        assertEquals(20, m.get(Measure.RT));
        assertFalse(Double.isNaN(m.get(Measure.TOTAL_DIST)));
        TimeNormalized tn = TimeNormalize.of(tr, 3);
        assertEquals(10, tn.timestamp(1));
        assertEquals(1.5, tn.x(1), "tied samples count at their mean position");
    }

    /** Each NAME=value of {@code expected} (separated by spaces) is that measure's value, exactly. */
    private static void assertMeasures(Measures m, String expected) {
        for (String entry : expected.split(" ")) {
            String[] nameValue = entry.split("=");
            assertEquals(Double.parseDouble(nameValue[1]), m.get(Measure.valueOf(nameValue[0])), nameValue[0]);
        }
    }
}
