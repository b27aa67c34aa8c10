package io.useractions.research.export;

import java.util.Locale;

import io.useractions.research.trajectory.MeasureOptions;
import io.useractions.research.trajectory.Preparation;
import io.useractions.research.trajectory.TimeNormalize;

/**
 * How an export prepares and measures trajectories: mousetrap's own options, its defaults unless asked
 * ({@code mt_remap_symmetric} on, {@code flip_threshold} and {@code initiation_threshold} 0, 101 steps).
 */
public record Analysis(boolean remap, double flipThreshold, double initiationThreshold, int steps) {
    public static final Analysis MOUSETRAP = new Analysis(true, 0, 0, TimeNormalize.DEFAULT_STEPS);
    static final int MAX_STEPS = 10_000;

    public Analysis {
        if (!(flipThreshold >= 0) || Double.isInfinite(flipThreshold)) {
            throw new ExportRequestException("flip-threshold must be a number >= 0, not " + flipThreshold);
        }
        if (!(initiationThreshold >= 0) || Double.isInfinite(initiationThreshold)) {
            throw new ExportRequestException("initiation-threshold must be a number >= 0, not " + initiationThreshold);
        }
        if (steps < 2 || steps > MAX_STEPS) {
            throw new ExportRequestException("steps must be 2 to " + MAX_STEPS + ", not " + steps);
        }
    }

    public Preparation.Options preparation() {
        return Preparation.Options.MOUSETRAP.withRemap(remap);
    }

    public MeasureOptions measureOptions() {
        return MeasureOptions.DEFAULTS.withFlipThreshold(flipThreshold).withInitiationThreshold(initiationThreshold);
    }

    /** The options in the words of the data dictionary. */
    String describe() {
        return String.format(Locale.ROOT, "remap %s, flip_threshold %s, initiation_threshold %s",
                remap ? "on" : "off", number(flipThreshold), number(initiationThreshold));
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
