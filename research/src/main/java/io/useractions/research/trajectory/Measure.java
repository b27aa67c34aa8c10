package io.useractions.research.trajectory;

import java.util.HashMap;
import java.util.Map;

/** One column of mousetrap's mt_measures, in mousetrap's order. See docs/measures.md. */
public enum Measure {
    XPOS_MAX("xpos_max"),
    XPOS_MIN("xpos_min"),
    YPOS_MAX("ypos_max"),
    YPOS_MIN("ypos_min"),
    MAD("MAD"),
    MAD_TIME("MAD_time"),
    MD_ABOVE("MD_above"),
    MD_ABOVE_TIME("MD_above_time"),
    MD_BELOW("MD_below"),
    MD_BELOW_TIME("MD_below_time"),
    AD("AD"),
    AUC("AUC"),
    XPOS_FLIPS("xpos_flips"),
    YPOS_FLIPS("ypos_flips"),
    XPOS_REVERSALS("xpos_reversals"),
    YPOS_REVERSALS("ypos_reversals"),
    RT("RT"),
    INITIATION_TIME("initiation_time"),
    IDLE_TIME("idle_time"),
    /** Only with a hover threshold. */
    HOVER_TIME("hover_time"),
    /** Only with a hover threshold. */
    HOVERS("hovers"),
    TOTAL_DIST("total_dist"),
    VEL_MAX("vel_max"),
    VEL_MAX_TIME("vel_max_time"),
    VEL_MIN("vel_min"),
    VEL_MIN_TIME("vel_min_time"),
    ACC_MAX("acc_max"),
    ACC_MAX_TIME("acc_max_time"),
    ACC_MIN("acc_min"),
    ACC_MIN_TIME("acc_min_time");

    private static final Map<String, Measure> BY_COLUMN = new HashMap<>();

    static {
        for (Measure m : values()) {
            BY_COLUMN.put(m.column, m);
        }
    }

    private final String column;

    Measure(String column) {
        this.column = column;
    }

    /** mousetrap's column name. */
    public String column() {
        return column;
    }

    public boolean needsHoverThreshold() {
        return this == HOVER_TIME || this == HOVERS;
    }

    /** @throws IllegalArgumentException for a name that is not a mousetrap measure */
    public static Measure ofColumn(String column) {
        Measure m = BY_COLUMN.get(column);
        if (m == null) {
            throw new IllegalArgumentException("not a measure: " + column);
        }
        return m;
    }
}
