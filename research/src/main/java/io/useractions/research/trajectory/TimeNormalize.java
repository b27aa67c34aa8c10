package io.useractions.research.trajectory;

import java.util.Arrays;

/**
 * mt_time_normalize: the trajectory linearly interpolated at a given number of equally spaced times from its
 * first to its last sample (R's approx and seq.int, including their arithmetic).
 */
public final class TimeNormalize {
    public static final int DEFAULT_STEPS = 101;

    private TimeNormalize() {
    }

    public static TimeNormalized of(Trajectory trajectory) {
        return of(trajectory, DEFAULT_STEPS);
    }

    /**
     * Samples sharing a time count as one at their mean position (approx's ties = mean). With fewer than two
     * distinct times there is nothing to interpolate (mousetrap stops with an error): every value is NaN.
     */
    public static TimeNormalized of(Trajectory trajectory, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, not " + steps);
        }
        Trajectory distinct = withDistinctTimes(trajectory);
        double[] t = distinct.t;
        double[] x = distinct.x;
        double[] y = distinct.y;
        double[] times = new double[steps];
        double[] xs = new double[steps];
        double[] ys = new double[steps];
        if (t.length < 2) {
            Arrays.fill(times, Double.NaN);
            Arrays.fill(xs, Double.NaN);
            Arrays.fill(ys, Double.NaN);
            return new TimeNormalized(trajectory.id(), times, xs, ys);
        }
        double from = t[0];
        double to = t[t.length - 1];
        double by = (to - from) / (steps - 1);
        int interval = 0;
        for (int i = 0; i < steps; i++) {
            // seq.int(from, to, length.out) counts the first half up from `from` and the second down from `to`.
            double at = i == 0 ? from : i == steps - 1 ? to : i < steps / 2 ? from + i * by : to - (steps - 1 - i) * by;
            while (interval < t.length - 2 && t[interval + 1] <= at) {
                interval++;
            }
            times[i] = interpolate(t, t, interval, at);
            xs[i] = interpolate(t, x, interval, at);
            ys[i] = interpolate(t, y, interval, at);
        }
        return new TimeNormalized(trajectory.id(), times, xs, ys);
    }

    private static double interpolate(double[] t, double[] v, int i, double at) {
        int j = i + 1;
        if (at == t[j]) {
            return v[j];
        }
        if (at == t[i]) {
            return v[i];
        }
        return v[i] + (v[j] - v[i]) * ((at - t[i]) / (t[j] - t[i]));
    }

    private static Trajectory withDistinctTimes(Trajectory tr) {
        int n = tr.size();
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || tr.t[i] != tr.t[i - 1]) {
                distinct++;
            }
        }
        if (distinct == n) {
            return tr;
        }
        double[] t = new double[distinct];
        double[] x = new double[distinct];
        double[] y = new double[distinct];
        for (int i = 0, k = -1, tied = 0; i < n; i++) {
            if (i == 0 || tr.t[i] != tr.t[i - 1]) {
                k++;
                tied = 0;
                t[k] = tr.t[i];
            }
            tied++;
            x[k] += (tr.x[i] - x[k]) / tied;
            y[k] += (tr.y[i] - y[k]) / tied;
        }
        return Trajectory.owning(tr.id(), t, x, y);
    }
}
