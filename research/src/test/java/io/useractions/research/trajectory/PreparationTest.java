package io.useractions.research.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreparationTest {
    /** Browser frame: from (640, 700) up and to the right to (1140, 100), a repeated time at 20 ms. */
    private static final Trajectory UP_RIGHT = Samples.of("r", new double[] {1000, 640, 700},
            new double[] {1010, 650, 650}, new double[] {1020, 700, 600}, new double[] {1020, 710, 590},
            new double[] {1030, 1140, 100});

    @Test
    void repeatedTimeKeepsTheLastSampleAndTimesStartAtZero() {
        Trajectory tr = Preparation.prepare(UP_RIGHT, Preparation.Options.MOUSETRAP.withRemap(false));
        assertArrayEquals(new double[] {0, 10, 20, 30}, tr.times());
        assertArrayEquals(new double[] {0, 10, 70, 500}, tr.xs());
        assertArrayEquals(new double[] {0, 50, 110, 600}, tr.ys(), "y mirrored, start at 0");
    }

    @Test
    void withoutRemapTheDirectionStays() {
        Measures m = Measures.of(Preparation.prepare(UP_RIGHT, Preparation.Options.MOUSETRAP.withRemap(false)));
        assertEquals(500, m.get(Measure.XPOS_MAX));
        assertEquals(600, m.get(Measure.YPOS_MAX));
    }

    @Test
    void remapMirrorsBySignInTheFrameBeforeAlignmentAsMousetrapDoes() {
        // The end (1140, -100) is right of the origin and below it: mirrored in x and in y.
        Trajectory tr = Preparation.prepare(UP_RIGHT);
        assertArrayEquals(new double[] {0, -10, -70, -500}, tr.xs());
        assertArrayEquals(new double[] {0, -50, -110, -600}, tr.ys());
    }

    @Test
    void alignsToAnyStart() {
        Trajectory tr = Preparation.prepare(UP_RIGHT, new Preparation.Options(true, false, true, 5, -5));
        assertEquals(5, tr.x(0));
        assertEquals(-5, tr.y(0));
        assertEquals(505, tr.x(3));
        Trajectory unaligned = Preparation.prepare(UP_RIGHT, new Preparation.Options(false, false, false, 0, 0));
        assertArrayEquals(new double[] {640, 650, 710, 1140}, unaligned.xs());
        assertArrayEquals(new double[] {700, 650, 590, 100}, unaligned.ys());
    }

    @Test
    void emptyTrajectoryStaysEmpty() {
        Trajectory tr = Preparation.prepare(new Trajectory("e", new double[0], new double[0], new double[0]));
        assertEquals(0, tr.size());
    }

    @Test
    void trajectoryRefusesInvalidSamples() {
        assertThrows(IllegalArgumentException.class,
                () -> new Trajectory("d", new double[] {10, 5}, new double[] {0, 0}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> new Trajectory("n", new double[] {0, 5}, new double[] {0, Double.NaN}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> new Trajectory("l", new double[] {0, 5}, new double[] {0}, new double[] {0, 0}));
    }

    @Test
    void trajectoryIsNotChangedThroughItsArrays() {
        double[] t = {0, 1};
        Trajectory tr = new Trajectory("c", t, new double[] {0, 1}, new double[] {0, 1});
        t[1] = 99;
        tr.times()[0] = 42;
        assertTrue(tr.time(0) == 0 && tr.time(1) == 1);
    }
}
