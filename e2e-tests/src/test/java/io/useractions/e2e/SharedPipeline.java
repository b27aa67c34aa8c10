package io.useractions.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.useractions.infra.Apps;

/**
 * One pipeline for the suites that need nothing of their own from it ({@link PipelineIT},
 * {@link StudyLifecycleIT}, {@link WithdrawalIT}, {@link DerivedTableRoundTripIT}, {@link StudyBrowserIT}):
 * started by the first of them in a JVM and stopped when the last has run (the root store closes it), so
 * that {@link CorePipelineIT} pays for one start of the servers and apps instead of five. Run alone, a suite
 * starts and stops it for itself. Its settings are what any of them needs; each suite keeps to studies,
 * participants or sessions of its own.
 */
final class SharedPipeline implements BeforeAllCallback {
    /** The participants' key cache: the erasure bound {@link WithdrawalIT} waits for is this plus a poll. */
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(2);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPipeline.class);

    private static TestPipeline pipeline;
    private static Path tablesDir;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestPipeline.class, key -> start(),
                TestPipeline.class);
    }

    private static TestPipeline start() {
        TestPipeline made = new TestPipeline();
        try {
            tablesDir = Files.createDirectories(made.root.resolve("tables"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Two ingest services, as two pods would run (StudyLifecycleIT); the study app and console
        // (WithdrawalIT's and StudyBrowserIT's browsers). Summaries of sessions that changed every half
        // second, so that a phase is projected soon; a short key cache, so that the erasure bound passes within
        // a test; the studies read every 200 ms (2 s by default), so that a change reaches both ingest services
        // soon. Two trials a participant (6 by default) and trials still running when their session goes
        // quiet ended after 8 s (10 min by default), so that StudyBrowserIT sees every browser session's
        // trials; the other suites send whole trials, so neither changes what they check.
        pipeline = made.withInstances(2, 1)
                .withEnv("UAL_PROCESSOR_SESSIONS_EMIT_INTERVAL", "500ms")
                .withEnv("UAL_STUDY_TRIALS", "2")
                .withEnv("UAL_PROCESSOR_SESSIONS_TRIAL_TIMEOUT", "8s")
                .withEnv("UAL_KEY_CACHE_TTL", KEY_CACHE_TTL.toMillis() + "ms")
                .withEnv("UAL_INGEST_ACCESS_REFRESH_INTERVAL", "200ms")
                // The processor's derived tables come from here, where DerivedTableRoundTripIT puts them.
                .withAppEnv(Apps.PROCESSOR, infra -> Map.of(Apps.TABLES_DIR, tablesDir.toString()))
                .start(true);
        return pipeline;
    }

    /** The pipeline, once the extension has run for the calling suite. */
    static TestPipeline pipeline() {
        if (pipeline == null) {
            throw new IllegalStateException("a suite on the shared pipeline needs @ExtendWith(SharedPipeline.class)");
        }
        return pipeline;
    }

    /** The processor's directory of derived tables (empty at the start). */
    static Path tablesDir() {
        return tablesDir;
    }
}
