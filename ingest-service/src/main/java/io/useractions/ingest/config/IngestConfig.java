package io.useractions.ingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.useractions.model.Limits;
import io.useractions.model.crypto.KeySettings;

/** Settings of the ingest service; each one can be set by environment variable (UAL_INGEST_...). */
@ConfigMapping(prefix = "ual.ingest")
public interface IngestConfig {

    /** Largest accepted request body; larger ones get 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * How long a body refused for its declared length is read and dropped before the 413 goes out (a client
     * still sending when the server closes may never read the answer); past it the connection is closed.
     */
    @WithDefault("10s")
    Duration refusedBodyDrainTime();

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

    KeySettings crypto();

    Access access();

    RateLimit rateLimit();

    /** Most actions being produced at once; past it new batches get 503 at once instead of queueing. */
    @WithDefault("50000")
    int maxInFlightActions();

    /** After Kafka failed to acknowledge, answer 503 at once for this long instead of waiting again. */
    @WithDefault("2s")
    Duration failFastWindow();

    interface Access {
        /** Accept a batch only with its study's write key. */
        @WithDefault("true")
        boolean requireKey();

        /** Registered studies by name: write key and allowed browser origins. */
        Map<String, Study> studies();

        /**
         * Also take studies (and withdrawn participants) from PostgreSQL, as the processor's admin API
         * writes them; a study there wins over one of the same name here.
         */
        @WithDefault("true")
        boolean fromDatabase();

        /** How often the studies are read from PostgreSQL again. */
        @WithDefault("2s")
        Duration refreshInterval();
    }

    interface Study {
        /** Public by nature (it sits in the page): it names the study, rate limits bound its abuse. */
        String writeKey();

        /** Origins allowed to post from a browser; requests without an Origin header are not browsers. */
        Optional<List<String>> origins();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second from one client address, and the burst above it. */
        @WithDefault("100")
        int perAddress();

        @WithDefault("200")
        int perAddressBurst();

        /** Sustained requests per second with one write key, and the burst above it. */
        @WithDefault("5000")
        int perKey();

        @WithDefault("10000")
        int perKeyBurst();
    }

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

        /**
         * Where the dropped duplicates of each session are counted, one hash per study ({@code <prefix><study>},
         * field {@code <participant>/<session>}), for the research console; kept this long after the last.
         */
        @WithDefault("ual:dropped:")
        String droppedKeyPrefix();

        @WithDefault("30d")
        Duration droppedTtl();
    }

    default Limits limits() {
        return new Limits(maxActions(), maxActionBytes(), maxDataDepth());
    }
}
