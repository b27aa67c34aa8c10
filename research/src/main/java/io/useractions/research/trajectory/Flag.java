package io.useractions.research.trajectory;

/** Why some measures of a trial are missing or need care. See docs/measures.md. */
public enum Flag {
    /** Fewer than two samples (after removing repeated times): every measure is missing. */
    TOO_FEW_SAMPLES("too_few_samples"),
    /**
     * The last sample is at the first one: there is no direct path, so, as mousetrap does (with a warning),
     * deviations are distances from the start point, signed by y.
     */
    START_EQUALS_END("start_equals_end"),
    /** Two samples share a time (the trajectory was not prepared): velocity and acceleration measures are missing. */
    REPEATED_TIMESTAMP("repeated_timestamp");

    private final String label;

    Flag(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
