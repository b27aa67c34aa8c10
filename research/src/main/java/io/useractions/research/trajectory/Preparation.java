package io.useractions.research.trajectory;

/**
 * mousetrap's standard preparation of browser samples (steps 1-5 of the reference README): a repeated time
 * keeps the last sample at that time, y is mirrored to point up, times start at 0, mt_remap_symmetric with
 * its defaults and mt_align_start.
 *
 * <p>As in mousetrap, the remap looks at the sign of the last sample in the frame before alignment, not at
 * the end relative to the start. For browser coordinates (x &gt; 0, mirrored y &lt; 0) it therefore mirrors
 * every trial in both x and y; the reference numbers are made that way.
 */
public final class Preparation {

    /**
     * @param mirrorY      ypos = -y (browser y grows downwards)
     * @param remap        mt_remap_symmetric(remap_xpos = "left", remap_ypos = "up")
     * @param alignStart   mt_align_start: shift so that the first sample is at (startX, startY)
     */
    public record Options(boolean mirrorY, boolean remap, boolean alignStart, double startX, double startY) {
        /** The reference pipeline: mirror y, remap, align the start to (0, 0). */
        public static final Options MOUSETRAP = new Options(true, true, true, 0, 0);

        public Options {
            if (!Double.isFinite(startX) || !Double.isFinite(startY)) {
                throw new IllegalArgumentException("start point must be finite");
            }
        }

        public Options withRemap(boolean on) {
            return new Options(mirrorY, on, alignStart, startX, startY);
        }
    }

    private Preparation() {
    }

    public static Trajectory prepare(Trajectory raw) {
        return prepare(raw, Options.MOUSETRAP);
    }

    public static Trajectory prepare(Trajectory raw, Options options) {
        int n = raw.size();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (keeps(raw.t, i)) {
                kept++;
            }
        }
        double[] t = new double[kept];
        double[] x = new double[kept];
        double[] y = new double[kept];
        double t0 = n == 0 ? 0 : raw.t[0];
        for (int i = 0, k = 0; i < n; i++) {
            if (keeps(raw.t, i)) {
                t[k] = raw.t[i] - t0;
                x[k] = raw.x[i];
                y[k] = options.mirrorY() ? -raw.y[i] : raw.y[i];
                k++;
            }
        }
        if (kept > 0 && options.remap()) {
            if (x[kept - 1] > 0) {
                negate(x);
            }
            if (y[kept - 1] < 0) {
                negate(y);
            }
        }
        if (kept > 0 && options.alignStart()) {
            shift(x, options.startX());
            shift(y, options.startY());
        }
        return Trajectory.owning(raw.id(), t, x, y);
    }

    private static boolean keeps(double[] t, int i) {
        return i == t.length - 1 || t[i + 1] != t[i];
    }

    private static void negate(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = -v[i];
        }
    }

    private static void shift(double[] v, double start) {
        double first = v[0];
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] - first + start;
        }
    }
}
