package io.useractions.research.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimeNormalizeTest {
    private static final Trajectory LINE = Samples.of("line", new double[] {0, 0, 0}, new double[] {40, 4, -8},
            new double[] {100, 10, -20});

    @Test
    void interpolatesAtEquallySpacedTimes() {
        TimeNormalized tn = TimeNormalize.of(LINE, 11);
        assertEquals(11, tn.steps());
        for (int i = 0; i < 11; i++) {
            assertEquals(10.0 * i, tn.timestamp(i), 1e-12);
            assertEquals(i, tn.x(i), 1e-12);
            assertEquals(-2.0 * i, tn.y(i), 1e-12);
        }
    }

    @Test
    void firstAndLastStepAreTheFirstAndLastSample() {
        Trajectory tr = Samples.of("curve", new double[] {0, 0, 0}, new double[] {7.3, 4, 1}, new double[] {13.1, -2, 9});
        for (int steps : new int[] {2, 3, 101, 1000}) {
            TimeNormalized tn = TimeNormalize.of(tr, steps);
            assertEquals(steps, tn.steps());
            assertEquals(0, tn.timestamp(0));
            assertEquals(13.1, tn.timestamp(steps - 1));
            assertEquals(-2, tn.x(steps - 1));
            assertEquals(9, tn.y(steps - 1));
        }
    }

    @Test
    void defaultIs101Steps() {
        assertEquals(101, TimeNormalize.of(LINE).steps());
        assertThrows(IllegalArgumentException.class, () -> TimeNormalize.of(LINE, 0));
    }
}
