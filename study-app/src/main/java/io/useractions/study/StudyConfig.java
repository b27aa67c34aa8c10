package io.useractions.study;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the example study; each one can be set by environment variable (UAL_STUDY_...). */
@ConfigMapping(prefix = "ual.study")
public interface StudyConfig {

    /** Where the page's logger posts its batches (the ingest service, another origin). */
    @WithDefault("http://127.0.0.1:8080/v1/batches")
    String ingestUrl();

    @WithDefault("demo")
    String name();

    /** The study's write key at the ingest service; public by nature (it is in the page). */
    @WithDefault("demo-local-dev-key")
    String writeKey();

    /** Conditions participants are assigned to, balanced. */
    @WithDefault("A,B")
    List<String> conditions();

    /** Target-selection trials per participant. */
    @WithDefault("6")
    int trials();
}
