package io.useractions.processor.replay;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.useractions.model.ProgressLine;

/**
 * {@code replay}: re-derives the tables, prints one summary line and exits 0, or 1 when the replay failed.
 * On a terminal ({@link ProgressLine#wanted}) a line shows the records read, their rate and the time left.
 */
public class ReplayCommand implements QuarkusApplication {
    public static final String NAME = "replay";
    /** Starts the summary line that the benchmark and operators read. */
    public static final String SUMMARY_PREFIX = "Replay finished: ";
    private static final Logger LOG = Logger.getLogger(ReplayCommand.class);

    @Inject
    Replay replay;

    @Override
    public int run(String... args) {
        try {
            Replay.Result result = replay.run(ProgressLine.wanted(System.getenv()));
            System.out.println(SUMMARY_PREFIX + result.summary());
            return 0;
        } catch (RuntimeException e) {
            LOG.error("Replay failed; the tables are as they were", e);
            return 1;
        }
    }
}
