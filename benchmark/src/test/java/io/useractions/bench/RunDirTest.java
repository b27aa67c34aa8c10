package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs started in the same second (CI starts two at once) each get a data directory of their own. */
class RunDirTest {
    @TempDir
    Path dataDir;

    @Test
    void aRunStartedInTheSameSecondGetsTheNextName() throws Exception {
        Path wanted = dataDir.resolve("bench-20261203-101103");
        assertEquals(wanted, Benchmark.newRunDir(wanted));
        assertEquals(dataDir.resolve("bench-20261203-101103-2"), Benchmark.newRunDir(wanted));
        assertEquals(dataDir.resolve("bench-20261203-101103-3"), Benchmark.newRunDir(wanted));
    }
}
