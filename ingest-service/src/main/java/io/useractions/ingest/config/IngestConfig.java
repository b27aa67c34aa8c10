package io.useractions.ingest.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.useractions.model.Limits;

/** Settings of the ingest service; each one can be set by environment variable (UAL_INGEST_...). */
@ConfigMapping(prefix = "ual.ingest")
public interface IngestConfig {

    /** Largest accepted request body; larger ones get 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** Most actions in one batch. */
    @WithDefault("2000")
    int maxActions();

    /** Largest encoded Kafka record of one action. */
    @WithDefault("16384")
    int maxActionBytes();

    /** Deepest nesting of an action's free-form data object. */
    @WithDefault("8")
    int maxDataDepth();

    /** How long a batch may wait for Kafka to acknowledge all of its actions before the answer is 503. */
    @WithDefault("10s")
    Duration ackTimeout();

    /** Seconds a client is asked to wait (Retry-After) when Kafka cannot acknowledge. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** Study used for legacy batches that name none (POST /analytics without ?study=). */
    @WithDefault("legacy")
    String legacyStudy();

    Dedupe dedupe();

    interface Dedupe {
        @WithDefault("true")
        boolean enabled();

        /** How long an action id is remembered as seen. */
        @WithDefault("10m")
        Duration ttl();

        /** Longest wait for Redis; past it the batch is produced without dedupe. */
        @WithDefault("250ms")
        Duration timeout();

        @WithDefault("ual:seen:")
        String keyPrefix();
    }

    default Limits limits() {
        return new Limits(maxActions(), maxActionBytes(), maxDataDepth());
    }
}
