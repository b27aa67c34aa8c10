package io.useractions.research.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.Format;
import io.useractions.research.export.TableName;
import io.useractions.research.trial.Frame;

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
        ExportRequest r = ExportCommand.request(ExportCommand.parse(new String[] {"--jdbc-url", "jdbc:x",
                "--study", "s1", "--out", "d", "--format", "parquet", "--tables", "trials,trajectories",
                "--condition", "A", "--participant=P1", "--from", "2026-12-02T05:00:00Z",
                "--to", "2026-12-02T07:00:00+01:00", "--complete-only", "--start", "go", "--end", "stop",
                "--miss", "oops", "--frame", "screen"}));
        assertEquals(Format.PARQUET, r.format());
        assertEquals(Set.of(TableName.TRIALS, TableName.TRAJECTORIES), r.tables());
        assertEquals("A", r.filter().condition());
        assertEquals("P1", r.filter().participant());
        assertEquals("2026-12-02T06:00:00Z", r.filter().to().toString());
        assertTrue(r.filter().completeOnly());
        assertEquals("oops", r.markers().miss());
        assertEquals(Frame.SCREEN, r.frame());
    }

    @Test
    void defaultsToAllTablesAsCsvInTheClientFrame() {
        ExportRequest r = ExportCommand.request(ExportCommand.parse(new String[] {"--jdbc-url", "jdbc:x",
                "--study", "s1", "--out", "d"}));
        assertEquals(6, r.tables().size());
        assertEquals(Format.CSV, r.format());
        assertEquals(Frame.CLIENT, r.frame());
        assertEquals("trial:start", r.markers().start());
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
            String[] lines = error().split("\n");
            assertTrue(lines[0].startsWith("error: "), error());
            assertTrue(lines[1].startsWith("usage: export"), error());
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
