package io.useractions.model;

/** Kafka topic names shared by the services, their tests and the local run. */
public final class Topics {
    /** Every accepted action, one record each, keyed by session: the source of truth. */
    public static final String RAW = "ui-actions";
    /** Validated envelopes that the PostgreSQL sink writes; derived, so it can be re-derived. */
    public static final String PROJECTION = "ui-actions-projection";
    /** Records that could not be projected, with the reason in a header. */
    public static final String DEAD_LETTER = "ui-actions-dlq";

    private Topics() {
    }
}
