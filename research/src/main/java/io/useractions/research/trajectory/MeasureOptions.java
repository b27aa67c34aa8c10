package io.useractions.research.trajectory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * mt_measures' arguments.
 *
 * @param flipThreshold        a change of direction counts as a flip only if the movements on both sides of it
 *                             exceed this distance (0: every change counts)
 * @param initiationThreshold  distance from the start that counts as movement initiation
 * @param hoverThreshold       NaN for none; otherwise pauses longer than this (ms) are hovers
 * @param hoverIncludesInitial whether the pause before the initiation counts as a hover
 */
public record MeasureOptions(double flipThreshold, double initiationThreshold, double hoverThreshold,
                             boolean hoverIncludesInitial) {

    /** mt_measures' defaults. */
    public static final MeasureOptions DEFAULTS = new MeasureOptions(0, 0, Double.NaN, true);

    public MeasureOptions {
        requireNonNegative("flip threshold", flipThreshold);
        requireNonNegative("initiation threshold", initiationThreshold);
        if (!Double.isNaN(hoverThreshold)) {
            requireNonNegative("hover threshold", hoverThreshold);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, not " + value);
        }
    }

    public MeasureOptions withFlipThreshold(double threshold) {
        return new MeasureOptions(threshold, initiationThreshold, hoverThreshold, hoverIncludesInitial);
    }

    public MeasureOptions withInitiationThreshold(double threshold) {
        return new MeasureOptions(flipThreshold, threshold, hoverThreshold, hoverIncludesInitial);
    }

    public MeasureOptions withHoverThreshold(double threshold, boolean includesInitial) {
        return new MeasureOptions(flipThreshold, initiationThreshold, threshold, includesInitial);
    }

    public boolean hasHoverThreshold() {
        return !Double.isNaN(hoverThreshold);
    }

    /** The measures computed with these options, in mousetrap's column order. */
    public List<Measure> measures() {
        List<Measure> list = new ArrayList<>();
        for (Measure m : Measure.values()) {
            if (hasHoverThreshold() || !m.needsHoverThreshold()) {
                list.add(m);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** mousetrap's column names, in its order. */
    public List<String> columns() {
        return measures().stream().map(Measure::column).toList();
    }
}
