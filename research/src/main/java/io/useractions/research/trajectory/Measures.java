package io.useractions.research.trajectory;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * mousetrap's mt_measures for one trajectory, after mt_derivatives with its defaults. A missing value (R's NA)
 * is NaN; {@link #flags()} tells why. Column meanings, units and missing cases are in docs/measures.md.
 */
public final class Measures {
    /** The columns of mt_measures with its defaults (no hover threshold), in its order. */
    public static final List<String> COLUMNS = MeasureOptions.DEFAULTS.columns();

    private final String id;
    private final double[] values;
    private final Set<Flag> flags;
    private final List<Measure> measures;

    Measures(String id, double[] values, EnumSet<Flag> flags, MeasureOptions options) {
        this.id = id;
        this.values = values;
        this.flags = Collections.unmodifiableSet(flags);
        this.measures = options.measures();
    }

    public static Measures of(Trajectory trajectory) {
        return of(trajectory, MeasureOptions.DEFAULTS);
    }

    /** Expects a prepared trajectory ({@link Preparation}); never throws for a degenerate one. */
    public static Measures of(Trajectory trajectory, MeasureOptions options) {
        return MeasureComputation.compute(trajectory, options);
    }

    public String id() {
        return id;
    }

    /** NaN when missing, or when the measure was not computed with these options (hovers). */
    public double get(Measure measure) {
        return values[measure.ordinal()];
    }

    public double get(String column) {
        return get(Measure.ofColumn(column));
    }

    /** The measures computed, in mousetrap's column order. */
    public List<Measure> measures() {
        return measures;
    }

    public Set<Flag> flags() {
        return flags;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Measures[").append(id);
        for (Measure m : measures) {
            s.append(", ").append(m.column()).append('=').append(get(m));
        }
        return s.append(", flags=").append(flags).append(']').toString();
    }
}
