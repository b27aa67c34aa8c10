package io.useractions.research.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.useractions.model.trial.PointerSample;
import io.useractions.model.trial.Quantiles;
import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.Trial;

class TrialTrajectoryTest {

    private final Trial trial = new Rows()
            .marker(1, "trial:start", "3")
            .move(2, 1000.0, 10, 20)
            .move(3, 1016.5, 11, 19)
            .move(4, 1033.0, 12, 18)
            .marker(5, "trial:end", "3")
            .trials().get(0);

    @Test
    void clientFrameWithTimestampsFromTheFirstSample() {
        TrialTrajectory t = TrialTrajectory.of(trial, Frame.CLIENT);
        assertEquals("P1/sess-1/3", t.mtId());
        assertArrayEquals(new double[] {0, 16.5, 33}, t.timestamps());
        assertArrayEquals(new double[] {10, 11, 12}, t.xpos());
        assertArrayEquals(new double[] {20, 19, 18}, t.ypos(), "y as recorded, growing downwards");
    }

    @Test
    void pageAndScreenFramesOnRequest() {
        assertArrayEquals(new double[] {20, 21, 22}, TrialTrajectory.of(trial, Frame.PAGE).xpos());
        assertArrayEquals(new double[] {220, 219, 218}, TrialTrajectory.of(trial, Frame.PAGE).ypos());
        assertArrayEquals(new double[] {110, 111, 112}, TrialTrajectory.of(trial, Frame.SCREEN).xpos());
        assertArrayEquals(new double[] {320, 319, 318}, TrialTrajectory.of(trial, Frame.SCREEN).ypos());
    }

    @Test
    void samplesWithoutTheFrameAreLeftOut() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Trial t = new Rows()
                .marker(1, "trial:start", "1")
                .add(new SessionAction(2, "mousemove", now, now, 5.0, null, null,
                        new PointerSample(2, 5.0, now, 1, 1, null, null, null, null)))
                .move(3, 9.0, 2, 2)
                .marker(4, "trial:end", "1")
                .trials().get(0);
        assertEquals(2, TrialTrajectory.of(t, Frame.CLIENT).size());
        TrialTrajectory page = TrialTrajectory.of(t, Frame.PAGE);
        assertEquals(1, page.size());
        assertArrayEquals(new double[] {0}, page.timestamps());
    }

    @Test
    void clientClockWhenTMonoIsMissing() {
        Trial t = new Rows()
                .marker(1, "trial:start", "1")
                .move(2, null, 0, 0)
                .move(12, null, 1, 1)
                .marker(13, "trial:end", "1")
                .trials().get(0);
        assertArrayEquals(new double[] {0, 10}, TrialTrajectory.of(t, Frame.CLIENT).timestamps());
    }

    @Test
    void frameNamesParse() {
        assertEquals(Frame.SCREEN, Frame.parse(" Screen"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Frame.parse("window"));
        assertEquals("unknown frame 'window' (client, page or screen)", e.getMessage());
    }

    @Test
    void quantilesInterpolateLikeRType7() {
        assertEquals(2.5, Quantiles.of(new double[] {4, 1, 3, 2}, 0.5), 1e-12);
        assertEquals(3.85, Quantiles.of(new double[] {4, 1, 3, 2}, 0.95), 1e-12);
        assertEquals(7, Quantiles.of(new double[] {7}, 0.95), 1e-12);
    }
}
