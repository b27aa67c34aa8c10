package io.useractions.processor.replay;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The replay's arguments. {@code ProcessorMain} reads them before Quarkus starts, so that {@code --help} and a
 * wrong argument are answered without a database or a broker.
 */
@Command(name = "./ual replay", usageHelpAutoWidth = true,
        description = "Re-derives the tables, or only those named, from the raw topic, then prints one summary "
                + "line. Against the servers of the processor's configuration; ./ual replay defaults to the local "
                + "run's (docs/operations.md).",
        footer = "%nExit status: 0 done, 1 the replay failed (the tables are as they were), 2 a wrong argument.")
public final class ReplayOptions {
    @Option(names = "--table", paramLabel = "NAME", description = "Only this table (repeat it for more): ui_action, "
            + "mouse_position, trial, session_summary or a derived table; the others stay untouched.")
    private List<String> tables = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private ReplayOptions() {
    }

    /** The tables to replay; empty for all of them. */
    public List<String> tables() {
        return List.copyOf(tables);
    }

    /**
     * The options in {@code args} (those after {@code replay}), or none after answering {@code --help} on
     * {@code out} (exit status 0) or a wrong argument on {@code err} (2).
     */
    public static Parsed parse(String[] args, PrintStream out, PrintStream err) {
        ReplayOptions options = new ReplayOptions();
        CommandLine line = new CommandLine(options);
        try {
            line.parseArgs(args);
        } catch (ParameterException e) {
            err.println(e.getMessage());
            line.usage(err);
            return new Parsed(null, 2);
        }
        if (line.isUsageHelpRequested()) {
            line.usage(out);
            return new Parsed(null, 0);
        }
        return new Parsed(options, -1);
    }

    /** The options to run with, or none and the status to exit with. */
    public record Parsed(ReplayOptions options, int exitStatus) {
        public boolean run() {
            return options != null;
        }
    }
}
