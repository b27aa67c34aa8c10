package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code ./ual bench}'s command line, without running anything: bad input must fail before a server starts. */
class BenchmarkOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = Benchmark.commandLine(new PrintStream(new ByteArrayOutputStream()));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String option : new String[] { "--quick", "--ingest-only", "--projection-only", "--records=N",
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
    void unknownOptionIsOneLineAndExitStatusTwo() {
        assertEquals(2, run("--quik"));
        assertTrue(err.toString().startsWith("Unknown option: '--quik' (see ./ual bench --help)\n"), err.toString());
        assertTrue(err.toString().contains("--quick"), "suggests the option meant: " + err);
    }

    @Test
    void badValueIsExitStatusTwo() {
        assertEquals(2, run("--partitions=twelve"));
        assertEquals("Invalid value for option '--partitions': 'twelve' is not an int (see ./ual bench --help)",
                err.toString().strip());
    }

    @Test
    void externalServersNeedAllThreeBeforeAnythingStarts() {
        assertEquals(2, run("--kafka=localhost:9092", "--redis=redis://localhost:6379"));
        assertEquals("external servers need --kafka, --jdbc-url and --redis together (see ./ual bench --help)",
                err.toString().strip());
    }

    @Test
    void tableCostRunsAlone() {
        assertEquals(2, run("--table-cost", "--projection-only"));
        assertTrue(err.toString().startsWith("--ingest-only, --projection-only, --table-cost and --crypto exclude each other"),
                err.toString());
    }

    @Test
    void withTableCostGoesWithTheWholeRunOnly() {
        assertEquals(2, run("--with-table-cost", "--ingest-only"));
        assertTrue(err.toString().startsWith("--with-table-cost goes with the whole run only"), err.toString());
    }

    @Test
    void cryptoRunsAlone() {
        assertEquals(2, run("--crypto", "--table-cost"));
        assertTrue(err.toString().startsWith("--ingest-only, --projection-only, --table-cost and --crypto exclude each other"),
                err.toString());
    }

    @Test
    void ingestOnlyAndProjectionOnlyExcludeEachOther() {
        assertEquals(2, run("--ingest-only", "--projection-only"));
        assertTrue(err.toString().startsWith("--ingest-only, --projection-only, --table-cost and --crypto exclude each other"),
                err.toString());
    }
}
