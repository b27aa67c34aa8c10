package io.useractions.model.trial;

import java.util.Arrays;

/** Sample quantiles by linear interpolation between order statistics (R's type 7, numpy's default). */
public final class Quantiles {

    private Quantiles() {
    }

    /** The p-quantile of values (unsorted, not modified); NaN when empty. */
    public static double of(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double h = (v.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }
}
