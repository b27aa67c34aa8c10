package io.useractions.research.cli;

import java.io.PrintStream;
import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs a research command through picocli as {@code ./ual bench} runs (Benchmark): help and errors on the
 * given streams, a bad option or value one line {@code error: ... (see NAME --help)} with exit status 2.
 */
final class CommandLines {

    private CommandLines() {
    }

    static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(command);
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        commandLine.setParameterExceptionHandler((error, arguments) -> {
            CommandLine failed = error.getCommandLine();
            failed.getErr().printf("error: %s (see %s --help)%n", error.getMessage(), failed.getCommandName());
            UnmatchedArgumentException.printSuggestions(error, failed.getErr());
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        int status = commandLine.execute(args);
        outWriter.flush();
        errWriter.flush();
        return status;
    }
}
