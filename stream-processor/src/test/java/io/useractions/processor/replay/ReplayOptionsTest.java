package io.useractions.processor.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The replay's arguments, as read before Quarkus starts: no server is needed to be told how to call it. */
class ReplayOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ReplayOptions.Parsed parse(String... args) {
        return ReplayOptions.parse(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsReplayEveryTable() {
        ReplayOptions.Parsed parsed = parse();
        assertTrue(parsed.run());
        assertEquals(List.of(), parsed.options().tables());
    }

    @Test
    void eachTableOptionNamesOneTable() {
        assertEquals(List.of("click", "trial"), parse("--table", "click", "--table", "trial").options().tables());
    }

    @Test
    void helpIsPrintedWithTheOptionsAndExitsZero() {
        ReplayOptions.Parsed parsed = parse("--help");
        assertFalse(parsed.run());
        assertEquals(0, parsed.exitStatus());
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: ./ual replay"), help);
        assertTrue(help.contains("--table=NAME") && help.contains("Exit status: 0 done"), help);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWrongArgumentIsNamedWithTheUsageAndExitsTwo() {
        ReplayOptions.Parsed parsed = parse("--tabel", "click");
        assertFalse(parsed.run());
        assertEquals(2, parsed.exitStatus());
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("Unknown options: '--tabel'") && said.contains("Usage: ./ual replay"), said);
        assertEquals(2, parse("--table").exitStatus(), "a table option without its name");
    }
}
