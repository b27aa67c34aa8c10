package io.useractions.processor.replay;

import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.useractions.model.ProgressLine;

/**
 * {@code replay [--table NAME]...} ({@link ReplayOptions}): re-derives the tables (or only those named), prints
 * one summary line and exits 0, or 1 when the replay failed, 2 for a wrong argument. On a terminal ({@link ProgressLine#wanted}) a
 * line shows the records read, their rate and the time left.
 */
public class ReplayCommand implements QuarkusApplication {
    public static final String NAME = "replay";
    /** Starts the summary line that the benchmark and operators read. */
    public static final String SUMMARY_PREFIX = "Replay finished: ";
    private static final Logger LOG = Logger.getLogger(ReplayCommand.class);

    @Inject
    Replay replay;

    /** @param tables the tables to replay, as {@link ReplayOptions} read them in ProcessorMain; none for all */
    @Override
    public int run(String... tables) {
        try {
            Replay.Result result = replay.run(List.of(tables), ProgressLine.wanted(System.getenv()));
            System.out.println(SUMMARY_PREFIX + result.summary());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("replay: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            LOG.error("Replay failed; the tables are as they were", e);
            return 1;
        }
    }
}
