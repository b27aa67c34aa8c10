package io.useractions.processor;

import java.util.Arrays;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.useractions.processor.config.NativeLz4;
import io.useractions.processor.replay.ReplayCommand;
import io.useractions.processor.replay.ReplayOptions;

/**
 * Without arguments the processor runs (validate and route, and the PostgreSQL sink) until stopped;
 * {@code replay} re-derives the tables from the raw topic (or only those named by {@code --table}) and exits. The replay runs alone: no Kafka
 * Streams, no sink and no fixed HTTP port, so it can run next to a live processor.
 */
@QuarkusMain
public final class ProcessorMain {
    private ProcessorMain() {
    }

    public static void main(String... args) {
        if (args.length == 0) {
            NativeLz4.load();
            Quarkus.run(args);
        } else if (ReplayCommand.NAME.equals(args[0])) {
            ReplayOptions.Parsed parsed = ReplayOptions.parse(Arrays.copyOfRange(args, 1, args.length), System.out,
                    System.err);
            if (!parsed.run()) {
                System.exit(parsed.exitStatus());
            }
            System.setProperty("ual.processor.streams.enabled", "false");
            System.setProperty("ual.processor.sink.enabled", "false");
            System.setProperty("quarkus.http.port", "0");
            // Loaded only where an app runs: --help and a refused option read no record.
            NativeLz4.load();
            // The command takes the tables as parsed: its arguments are their names.
            Quarkus.run(ReplayCommand.class, parsed.options().tables().toArray(String[]::new));
        } else {
            System.err.println("usage: stream-processor [" + ReplayCommand.NAME + " [--table NAME]... | "
                    + ReplayCommand.NAME + " --help]");
            System.exit(2);
        }
    }
}
