package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ./ual bench --research} and {@code --console}'s command line; a bad one fails before PostgreSQL starts. */
class ResearchBenchOptionsTest {
    private final CommandRun cli = new CommandRun(ResearchBench::commandLine);

    @Test
    void helpShowsBothBenchmarksAndTheDefaults() {
        assertEquals(0, cli.run("--help"));
        String help = cli.out();
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
        assertEquals(2, cli.run("--row", "10"));
        assertTrue(cli.err().startsWith("Unknown options: '--row', '10' (see ./ual bench --research --help)\n"), cli.err());
    }

    @Test
    void badValueIsExitStatusTwo() {
        assertEquals("Invalid value for option '--rows': 'many' is not a long (see ./ual bench --research --help)",
                cli.refusal("--rows=many"));
    }

    @Test
    void eachBenchmarkTakesOnlyItsOwnCounts() {
        assertEquals("--rows is for --research (see ./ual bench --research --help)", cli.refusal("--console", "--rows=10"));
        assertEquals("--participants is for --console (see ./ual bench --research --help)",
                cli.refusal("--participants=10"));
        assertEquals("--rows, --actions and --participants must be at least 1 (see ./ual bench --research --help)",
                cli.refusal("--console", "--participants=0"));
    }
}
