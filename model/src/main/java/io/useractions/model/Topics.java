package io.useractions.model;

/** Kafka topic names shared by the services, their tests and the local run. */
public final class Topics {
    /** Every accepted action, one record each, keyed by session: the source of truth. */
    public static final String RAW = "ui-actions";
    /** Validated envelopes that the PostgreSQL sink writes; derived, so it can be re-derived. */
    public static final String PROJECTION = "ui-actions-projection";
    /** Records that could not be projected, with the reason in a header. */
    public static final String DEAD_LETTER = "ui-actions-dlq";

    /**
     * Partitions of the raw and projection topics where nothing else is said: the most processor instances
     * that can share the work (one partition is never split), chosen for growth because the raw topic
     * cannot be widened later without moving sessions to other partitions (docs/deploy.md, "Partitions").
     */
    public static final int DEFAULT_PARTITIONS = 12;

    private Topics() {
    }
}
