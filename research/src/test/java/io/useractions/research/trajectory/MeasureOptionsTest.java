package io.useractions.research.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MeasureOptionsTest {

    @Test
    void flipThresholdSkipsShortMovementsWithoutMergingThem() {
        // movements along x: +5, -2, +5, -20, +20
        Trajectory tr = Samples.alongX(0, 5, 3, 8, -12, 8);
        assertEquals(4, flips(tr, 0));
        assertEquals(2, flips(tr, 3));
        assertEquals(1, flips(tr, 5), "a movement must exceed the threshold, not reach it");
        assertEquals(0, flips(tr, 20));
    }

    @Test
    void flipThresholdNeverAddsFlipsOnTheReferenceTrials() {
        int fewer = 0;
        for (Trajectory raw : ReferenceData.rawTrajectories()) {
            Trajectory tr = Preparation.prepare(raw);
            double all = Measures.of(tr).get(Measure.XPOS_FLIPS);
            double longOnly = Measures.of(tr, MeasureOptions.DEFAULTS.withFlipThreshold(10)).get(Measure.XPOS_FLIPS);
            assertTrue(longOnly <= all, tr.id());
            if (longOnly < all) {
                fewer++;
            }
        }
        assertTrue(fewer > 30, fewer + " trials with fewer flips");
    }

    @Test
    void initiationTimeIsTheLastSampleWithinTheThreshold() {
        Trajectory tr = Samples.of("init", new double[] {0, 0, 0}, new double[] {10, 1, 0}, new double[] {20, 3, 0},
                new double[] {30, 10, 5});
        assertEquals(0, Measures.of(tr).get(Measure.INITIATION_TIME));
        assertEquals(10, Measures.of(tr, MeasureOptions.DEFAULTS.withInitiationThreshold(1)).get(Measure.INITIATION_TIME));
        assertEquals(20, Measures.of(tr, MeasureOptions.DEFAULTS.withInitiationThreshold(3)).get(Measure.INITIATION_TIME));
        assertEquals(30, Measures.of(tr, MeasureOptions.DEFAULTS.withInitiationThreshold(100)).get(Measure.INITIATION_TIME),
                "never initiated: RT");
    }

    @Test
    void hoversArePausesLongerThanTheThreshold() {
        Trajectory tr = Samples.of("hover", new double[] {0, 0, 0}, new double[] {100, 0, 0}, new double[] {110, 1, 1},
                new double[] {130, 1, 1}, new double[] {140, 2, 2}, new double[] {200, 2, 2}, new double[] {260, 2, 2});
        Measures m = Measures.of(tr, MeasureOptions.DEFAULTS.withHoverThreshold(50, true));
        assertEquals(240, m.get(Measure.IDLE_TIME));
        assertEquals(2, m.get(Measure.HOVERS));
        assertEquals(220, m.get(Measure.HOVER_TIME));
        Measures withoutInitial = Measures.of(tr, MeasureOptions.DEFAULTS.withHoverThreshold(50, false));
        assertEquals(1, withoutInitial.get(Measure.HOVERS));
        assertEquals(120, withoutInitial.get(Measure.HOVER_TIME));
        assertEquals(1, Measures.of(tr, MeasureOptions.DEFAULTS.withHoverThreshold(100, true)).get(Measure.HOVERS));
    }

    @Test
    void hoverColumnsFollowIdleTimeOnlyWithAThreshold() {
        assertEquals(28, Measures.COLUMNS.size());
        assertTrue(!Measures.COLUMNS.contains("hovers"));
        List<String> columns = MeasureOptions.DEFAULTS.withHoverThreshold(50, true).columns();
        int idle = columns.indexOf("idle_time");
        assertEquals(List.of("idle_time", "hover_time", "hovers", "total_dist"), columns.subList(idle, idle + 4));
        assertTrue(Double.isNaN(Measures.of(Samples.alongX(0, 1, 2)).get(Measure.HOVERS)));
    }

    @Test
    void thresholdsMustBeFiniteAndNotNegative() {
        assertThrows(IllegalArgumentException.class, () -> MeasureOptions.DEFAULTS.withFlipThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> MeasureOptions.DEFAULTS.withInitiationThreshold(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> MeasureOptions.DEFAULTS.withHoverThreshold(Double.POSITIVE_INFINITY, true));
    }

    private static double flips(Trajectory tr, double threshold) {
        return Measures.of(tr, MeasureOptions.DEFAULTS.withFlipThreshold(threshold)).get(Measure.XPOS_FLIPS);
    }
}
