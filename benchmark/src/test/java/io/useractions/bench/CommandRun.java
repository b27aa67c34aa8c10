package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

import picocli.CommandLine;

/** A command line run the way the launcher runs it, without a server, keeping what it printed. */
final class CommandRun {
    private final Supplier<CommandLine> commandLine;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    CommandRun(Supplier<CommandLine> commandLine) {
        this.commandLine = commandLine;
    }

    /** The exit status of a fresh command given {@code args}; {@link #out} and {@link #err} hold what it printed. */
    int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = commandLine.get();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** What the command printed on stderr, stripped, when it refused {@code args} with exit status 2. */
    String refusal(String... args) {
        assertEquals(2, run(args), err.toString());
        return err.toString().strip();
    }
}
