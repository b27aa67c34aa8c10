package io.useractions.console.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.useractions.model.Topics;

/** The console's own settings; see "Console settings" in docs/research.md. */
@ConfigMapping(prefix = "ual.console")
public interface ConsoleConfig {
    /** The password of the user {@code admin}, who sees every study. */
    String adminPassword();

    /**
     * Per-study read keys as {@code study:key} entries: signing in with the study as user name and its key
     * as password opens that study's pages and data, and no other.
     */
    Optional<List<String>> readKeys();

    /** Where screenshots that a heatmap names ({@code ?image=NAME}) are read from; none by default. */
    Optional<Path> screenshotDir();

    /** The largest screenshot accepted, in bytes, uploaded or named. */
    @WithDefault("10485760")
    long screenshotMaxBytes();

    /** The most pixels a screenshot may have, checked before it is decoded. */
    @WithDefault("40000000")
    long screenshotMaxPixels();

    /** The ingest service's per-study hashes of dropped duplicates in Redis: this prefix and the study. */
    @WithDefault("ual:dropped:")
    String droppedKeyPrefix();

    DeadLetters deadLetters();

    /** Dead letters counted per study and session from the dead-letter topic. */
    interface DeadLetters {
        @WithDefault("true")
        boolean enabled();

        @WithDefault(Topics.DEAD_LETTER)
        String topic();
    }
}
