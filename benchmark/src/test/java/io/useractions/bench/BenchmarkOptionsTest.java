package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/** {@code ./ual bench}'s command line, without running anything: bad input must fail before a server starts. */
class BenchmarkOptionsTest {
    private static final String EXCLUSIVE = "--ingest-only, --projection-only, --e2e-only, --table-cost, --crypto and "
            + "--summary-cost exclude each other";

    private final CommandRun cli = new CommandRun(() -> Benchmark.commandLine(new PrintStream(new ByteArrayOutputStream())));

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertEquals(0, cli.run("--help"));
        String help = cli.out();
        for (String option : new String[] { "--quick", "--ingest-only", "--projection-only", "--e2e-only", "--records=N",
                "--rates=RATE", "--e2e-rates=RATE", "--step-seconds=N", "--partitions=N", "--processors=N",
                "--connections=N", "--ingest-jvm=", "--processor-jvm=", "--out=FILE", "--data-dir=DIR", "--keep-data",
                "--secure-kafka", "--table-cost", "--with-table-cost", "--crypto", "--cost-rounds=N", "--cost-rates=RATE", "--kafka=", "--jdbc-url=", "--db-user=", "--db-password=", "--redis=" }) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(help.contains("(default: 600000; --quick: 10000)"), help);
        assertTrue(help.contains("(default: 64)"), help);
        assertTrue(help.contains("within 15% or FAIL"), help);
    }

    @Test
    void versionIsTheProjectsVersion() {
        assertEquals(0, cli.run("--version"));
        assertTrue(cli.out().matches("\\./ual bench \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), cli.out());
    }

    @Test
    void withTableCostGoesWithTheWholeRunOnly() {
        assertEquals("--with-table-cost goes with the whole run only (see ./ual bench --help)",
                cli.refusal("--with-table-cost", "--ingest-only"));
    }

    @Test
    void unknownOptionIsOneLineAndExitStatusTwo() {
        assertEquals(2, cli.run("--quik"));
        assertTrue(cli.err().startsWith("Unknown option: '--quik' (see ./ual bench --help)\n"), cli.err());
        assertTrue(cli.err().contains("--quick"), "suggests the option meant: " + cli.err());
    }

    @Test
    void badValueIsExitStatusTwo() {
        assertEquals("Invalid value for option '--partitions': 'twelve' is not an int (see ./ual bench --help)",
                cli.refusal("--partitions=twelve"));
    }

    @Test
    void externalServersNeedAllThreeBeforeAnythingStarts() {
        assertEquals("external servers need --kafka, --jdbc-url and --redis together (see ./ual bench --help)",
                cli.refusal("--kafka=localhost:9092", "--redis=redis://localhost:6379"));
    }

    @Test
    void runModesExcludeEachOther() {
        for (String[] args : new String[][] {{"--table-cost", "--projection-only"}, {"--crypto", "--table-cost"},
                {"--ingest-only", "--projection-only"}, {"--e2e-only", "--projection-only"},
                {"--summary-cost", "--crypto"}}) {
            String refusal = cli.refusal(args);
            assertTrue(refusal.startsWith(EXCLUSIVE), refusal);
        }
    }
}
