package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code ./ual bench --research} and {@code --console}'s command line; a bad one fails before PostgreSQL starts. */
class ResearchBenchOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = ResearchBench.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void helpShowsBothBenchmarksAndTheDefaults() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        assertTrue(help.startsWith("Usage: ./ual bench --research [--rows=N] [--keep-data]\n"
                + "       ./ual bench --console [--actions=N] [--participants=P] [--keep-data]\n"), help);
        String oneLine = help.replaceAll("\\s+", " ");
        for (String option : new String[] {"--rows=N Positions to load and export (default: 1000000)",
                "--actions=N With --console: actions to load (default: 10000000)",
                "(default: 1000)", "--keep-data", "--console"}) {
            assertTrue(oneLine.contains(option), option + " in\n" + help);
        }
    }

    @Test
    void unknownOptionIsOneLineAndExitStatusTwo() {
        assertEquals(2, run("--row", "10"));
        assertTrue(err.toString().startsWith("Unknown options: '--row', '10' (see ./ual bench --research --help)\n"),
                err.toString());
    }

    @Test
    void badValueIsExitStatusTwo() {
        assertEquals(2, run("--rows=many"));
        assertEquals("Invalid value for option '--rows': 'many' is not a long (see ./ual bench --research --help)",
                err.toString().strip());
    }

    @Test
    void eachBenchmarkTakesOnlyItsOwnCounts() {
        assertEquals(2, run("--console", "--rows=10"));
        assertEquals("--rows is for --research (see ./ual bench --research --help)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--participants=10"));
        assertEquals("--participants is for --console (see ./ual bench --research --help)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--console", "--participants=0"));
        assertEquals("--rows, --actions and --participants must be at least 1 (see ./ual bench --research --help)",
                err.toString().strip());
    }
}
