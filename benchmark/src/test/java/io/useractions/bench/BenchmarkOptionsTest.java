package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code ./ual bench}'s command line, without running anything: bad input must fail before a server starts. */
class BenchmarkOptionsTest {
    private final CommandRun cli = new CommandRun(() -> Benchmark.commandLine(new PrintStream(new ByteArrayOutputStream())));

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertEquals(0, cli.run("--help"));
        String help = cli.out();
        for (String option : new String[] { "--quick", "--ingest-only", "--projection-only", "--e2e-only", "--records=N",
                "--rates=RATE", "--e2e-rates=RATE", "--step-seconds=N", "--partitions=N", "--processors=N",
                "--connections=N", "--ingest-jvm=", "--processor-jvm=", "--out=FILE", "--data-dir=DIR", "--keep-data",
                "--secure-kafka", "--table-cost", "--with-table-cost", "--cost-rounds=N", "--cost-rates=RATE", "--kafka=", "--jdbc-url=", "--db-user=", "--db-password=", "--redis=" }) {
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
        assertEquals("--ingest-only, --with-table-cost are mutually exclusive (specify only one) "
                + "(see ./ual bench --help)", cli.refusal("--with-table-cost", "--ingest-only"));
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
        assertEquals("Missing required argument(s): --jdbc-url=URL (see ./ual bench --help)",
                cli.refusal("--kafka=localhost:9092", "--redis=redis://localhost:6379"));
    }

    @Test
    void externalServersLogInAsTheLocalDevelopmentRoleUnlessTold() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        Endpoints given = Benchmark.parse(out, "--kafka=kafka:9092", "--jdbc-url=jdbc:postgresql://db/ual",
                "--redis=redis://cache:6379").externalEndpoints();
        assertEquals(List.of("kafka:9092", "jdbc:postgresql://db/ual", "ual", "ual", "redis://cache:6379"),
                List.of(given.kafka().get("bootstrap.servers"), given.jdbcUrl(), given.dbUser(), given.dbPassword(),
                        given.redis()));
        assertEquals("study", Benchmark.parse(out, "--kafka=kafka:9092", "--jdbc-url=jdbc:postgresql://db/ual",
                "--redis=redis://cache:6379", "--db-user=study").externalEndpoints().dbUser());
        assertNull(Benchmark.parse(out, "--quick").externalEndpoints(), "embedded servers unless all three are given");
    }

    @Test
    void runModesExcludeEachOther() {
        // picocli names them in the order the command declares them
        for (String[] args : new String[][] {{"--projection-only", "--table-cost"}, {"--table-cost", "--with-table-cost"},
                {"--ingest-only", "--projection-only"}, {"--projection-only", "--e2e-only"}}) {
            assertEquals(String.join(", ", args) + " are mutually exclusive (specify only one) "
                    + "(see ./ual bench --help)", cli.refusal(args[1], args[0]));
        }
    }
}
