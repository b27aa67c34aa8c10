package io.useractions.research.trial;

import java.util.List;

import io.useractions.model.trial.PointerSample;
import io.useractions.model.trial.SampleClock;
import io.useractions.model.trial.Trial;

/**
 * A trial's samples as mousetrap's long format has them: timestamps in ms from the trial's first sample
 * ({@link SampleClock}), positions as recorded in one frame, y growing downwards. Samples without
 * coordinates in that frame (page or screen not recorded) are left out.
 */
public record TrialTrajectory(String mtId, Frame frame, double[] timestamps, double[] xpos, double[] ypos) {

    public static TrialTrajectory of(Trial trial, Frame frame) {
        List<PointerSample> kept = trial.samples().stream()
                .filter(s -> frame.x(s) != null && frame.y(s) != null)
                .toList();
        double[] t = SampleClock.timesMs(kept);
        double[] x = new double[kept.size()];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = frame.x(kept.get(i));
            y[i] = frame.y(kept.get(i));
        }
        double t0 = t.length == 0 ? 0 : t[0];
        for (int i = 0; i < t.length; i++) {
            t[i] -= t0;
        }
        return new TrialTrajectory(trial.mtId(), frame, t, x, y);
    }

    public int size() {
        return timestamps.length;
    }
}
