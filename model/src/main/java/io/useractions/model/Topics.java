package io.useractions.model;

import java.util.List;
import java.util.Map;

/**
 * The pipeline's Kafka topics: their names, shared by the services, their tests and the local run, and how
 * each is made ({@link #SPECS}), which the one creator (module topics) follows and deploy-checks holds
 * docker-compose.yml and the Strimzi KafkaTopics to.
 */
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

    /**
     * Every topic is deleted by time, never compacted (a session's key is on many records, and compaction
     * would keep only its last), and keeps the batches as the producers compressed them (lz4).
     */
    private static final Map<String, String> DERIVED = Map.of("cleanup.policy", "delete", "compression.type", "producer");
    private static final Map<String, String> KEPT_FOREVER = Map.of("cleanup.policy", "delete", "compression.type", "producer",
            "retention.ms", "-1", "retention.bytes", "-1");

    /**
     * The raw topic is the source of truth and the dead letters are the re-drive source, so both are kept
     * forever; the projection topic is derived from the raw one, so it keeps the cluster's retention, and has
     * the raw topic's partitions. The dead letters have one partition.
     */
    public static final List<TopicSpec> SPECS = List.of(
            new TopicSpec(RAW, true, KEPT_FOREVER),
            new TopicSpec(PROJECTION, true, DERIVED),
            new TopicSpec(DEAD_LETTER, false, KEPT_FOREVER));

    private Topics() {
    }

    /** The specification of the pipeline's topic of this name. */
    public static TopicSpec spec(String name) {
        return SPECS.stream().filter(spec -> spec.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is none of the pipeline's topics " + names()));
    }

    /** The pipeline's topic names, raw, projection and dead letters. */
    public static List<String> names() {
        return SPECS.stream().map(TopicSpec::name).toList();
    }
}
