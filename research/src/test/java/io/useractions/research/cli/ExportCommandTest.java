package io.useractions.research.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.useractions.research.export.Analysis;
import io.useractions.research.export.ExportOptions;
import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.Format;
import io.useractions.research.export.TableName;
import io.useractions.research.trial.Frame;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Argument handling without a database; ExporterTest covers the export itself. */
class ExportCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ExportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String error() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEveryOption() {
        ExportRequest r = ExportCommand.parse(Map.of(), "--jdbc-url", "jdbc:x",
                "--study", "s1", "--out", "d", "--format", "parquet", "--tables", "trials,trajectories",
                "--condition", "A", "--participant=P1", "--from", "2026-12-02T05:00:00Z",
                "--to", "2026-12-02T07:00:00+01:00", "--complete-only", "--start", "go", "--end", "stop",
                "--miss", "oops", "--frame", "screen", "--remap=false", "--flip-threshold", "2.5",
                "--initiation-threshold", "10", "--steps", "51").request();
        assertEquals(Format.PARQUET, r.format());
        assertEquals(Set.of(TableName.TRIALS, TableName.TRAJECTORIES), r.tables());
        assertEquals("A", r.filter().condition());
        assertEquals("P1", r.filter().participant());
        assertEquals("2026-12-02T06:00:00Z", r.filter().to().toString());
        assertTrue(r.filter().completeOnly());
        assertEquals("oops", r.markers().miss());
        assertEquals(Frame.SCREEN, r.frame());
        assertEquals(new Analysis(false, 2.5, 10, 51), r.analysis());
    }

    @Test
    void everyExportOptionIsAnOptionOfTheCommand() {
        CommandSpec spec = new CommandLine(ExportCommand.parse(Map.of(), "--study", "s1", "--out", "d"))
                .getCommandSpec();
        for (String name : ExportOptions.NAMES) {
            assertNotNull(spec.findOption("--" + name), name);
        }
    }

    @Test
    void defaultsToAllTablesAsCsvInTheClientFrame() {
        ExportRequest r = ExportCommand.parse(Map.of(), "--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d")
                .request();
        assertEquals(6, r.tables().size());
        assertEquals(Format.CSV, r.format());
        assertEquals(Frame.CLIENT, r.frame());
        assertEquals("trial:start", r.markers().start());
        assertEquals(Analysis.MOUSETRAP, r.analysis());
    }

    @Test
    void theDatabaseMayComeFromTheEnvironment() {
        ExportCommand command = ExportCommand.parse(Map.of(ExportCommand.JDBC_URL_VARIABLE, "jdbc:env"),
                "--study", "s1", "--out", "d");
        assertEquals("s1", command.request().filter().study());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: ./ual export "), help);
        for (String option : new String[] {"--jdbc-url=URL", "--user=U", "--password=P", "--study=S", "--out=DIR",
                "--format=csv|parquet", "--tables=T[,T...]", "--condition=C", "--participant=P", "--from=ISO",
                "--to=ISO", "--complete-only", "--start=TYPE", "--end=TYPE", "--miss=TYPE",
                "--frame=client|page|screen", "--remap=true|false", "--flip-threshold=N", "--initiation-threshold=N",
                "--steps=N"}) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        for (String fallback : new String[] {"(default: csv)",
                "(default: actions,positions,trials,measures,trajectories,trajectories_tn)",
                "(default: trial:start)", "(default: client)", "(default: true)", "(default: 0)",
                "(default: 101)", "(default: $UAL_EXPORT_JDBC_URL"}) {
            assertTrue(help.replaceAll("\\s+", "").contains(fallback.replace(" ", "")), fallback + " in\n" + help);
        }
        assertEquals("", error());
    }

    @Test
    void aBadValueIsOneLineNamingTheOptionAndTheHelp() {
        assertEquals(2, run("--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--steps", "1.5"));
        assertEquals("error: steps: '1.5' is not a whole number (see ./ual export --help)", error().strip());
        err.reset();
        assertEquals(2, run("--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--study", "s2"));
        assertTrue(error().startsWith("error: option '--study' (S) should be specified only once"), error());
        err.reset();
        assertEquals(2, run("--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--complete"));
        assertTrue(error().startsWith("error: Unknown option: '--complete' (see ./ual export --help)\n"), error());
        assertTrue(error().contains("--complete-only"), "suggests the option meant: " + error());
    }

    @Test
    void badArgumentsExitTwoWithOneErrorLine() {
        String[][] cases = {
                {"--study", "s1", "--out", "d"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--format", "xlsx"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--tables", "mice"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--from", "yesterday"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--frame", "window"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--start", "x", "--end", "x"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--bogus"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out"},
                {"--jdbc-url", "jdbc:x", "--study", "s1", "--out", "d", "--from", "2026-12-02T05:00:00Z",
                        "--to", "2026-12-02T04:00:00Z"},
        };
        for (String[] args : cases) {
            err.reset();
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(error().startsWith("error: "), error());
            assertTrue(error().endsWith(" (see ./ual export --help)\n"), error());
            assertEquals(1, error().lines().count(), error());
            assertFalse(error().contains("Exception"), error());
        }
    }

    @Test
    void unreachableDatabaseIsOneLineAndExitOne() {
        Path dir = Path.of("target", "exports", "unreachable");
        assertEquals(1, run("--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--user", "u", "--password", "p",
                "--study", "s1", "--out", dir.toString()));
        assertTrue(error().startsWith("error: database jdbc:postgresql://127.0.0.1:1/none: "), error());
        assertEquals(1, error().strip().split("\n").length, error());
        assertFalse(Files.exists(dir));
    }

    @Test
    void requestErrorsAreTheExportersException() {
        assertTrue(ExportRequestException.class.isAssignableFrom(
                io.useractions.research.export.UnknownStudyException.class));
    }
}
