package io.useractions.model.crypto;

import java.time.Duration;

import javax.sql.DataSource;

import io.smallrye.config.WithDefault;

/**
 * The participant keys' settings, {@code crypto.*} in the configuration of both services that seal
 * (docs/withdrawal.md#erasure-from-kafka), and the keys they give.
 */
public interface KeySettings {
    /**
     * Seals what the service writes with the participant's data key: the ingest each batch's raw record, the
     * processor the session state and the trial and session_summary rows. Off, those are written in clear;
     * sealed records are opened whatever this says, as long as their key exists.
     */
    @WithDefault("true")
    boolean enabled();

    /** The master key that wraps the data keys in PostgreSQL: 32 bytes in Base64. */
    String masterKey();

    /** How long an unwrapped data key is kept: after a withdrawal, this long (plus a poll) at most. */
    @WithDefault("60s")
    Duration keyCacheTtl();

    /** The participants' data keys in {@code dataSource}, wrapped by {@link #masterKey()}. */
    default ParticipantKeys keys(DataSource dataSource) {
        return new ParticipantKeys(dataSource, KeyWrapper.fromBase64(ParticipantKeys.MASTER_KEY_ID, masterKey()),
                keyCacheTtl());
    }
}
