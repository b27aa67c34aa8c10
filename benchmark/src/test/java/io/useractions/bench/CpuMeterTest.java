package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CpuMeterTest {
    @Test
    void aProcessIsKnownByItsCommandLine() {
        assertEquals("postgres: ual ual 127.0.0.1(4242) COPY", CpuMeter.command(
                "postgres: ual ual 127.0.0.1(4242) COPY", "4242 (postgres) S 4000 4242 4242 0 -1 ..."));
        assertEquals("java -cp a.jar io.useractions.bench.Benchmark ",
                CpuMeter.command("java\0-cp\0a.jar\0io.useractions.bench.Benchmark\0", "7 (java) S 1 ..."));
    }

    @Test
    void anExitedProcessNotYetReapedIsKnownByTheNameInItsStat() {
        // An autovacuum worker that exited: no command line until the postmaster waits for it, but still its ticks.
        assertEquals("postgres", CpuMeter.command("", "5151 (postgres) Z 4000 4000 4000 0 -1 4227148 ..."));
        assertEquals("a (b) c", CpuMeter.command("", "99 (a (b) c) Z 1 ..."));
        assertNull(CpuMeter.command("", "no name"));
    }
}
