package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/** {@code ./ual bench --crypto} and {@code --summary-cost}'s command line, without running either. */
class CostBenchOptionsTest {
    private final CommandRun cli = new CommandRun(() -> CostBench.commandLine(new PrintStream(new ByteArrayOutputStream())));

    @Test
    void helpShowsBothBenchmarks() {
        assertEquals(0, cli.run("--crypto", "--help"));
        String help = cli.out();
        assertTrue(help.startsWith("Usage: ./ual bench --crypto [--quick] [--out=FILE]\n"
                + "       ./ual bench --summary-cost [--quick] [--keep-data] [--out=FILE]\n"), help);
        for (String option : new String[] {"--crypto", "--summary-cost", "--quick", "--keep-data", "--out=FILE"}) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
    }

    @Test
    void oneOfTheTwoAndNotBoth() {
        assertEquals("--crypto, --summary-cost are mutually exclusive (specify only one) "
                + "(see ./ual bench --crypto --help)", cli.refusal("--summary-cost", "--crypto"));
        assertEquals("Missing required argument (specify one of these): (--crypto | --summary-cost) "
                + "(see ./ual bench --crypto --help)", cli.refusal("--quick"));
    }
}
