package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.useractions.testing.TestDirs;

class ProcessesTest {

    private static final String RESOURCE = "/unpack/hello.sh";

    @Test
    void unpacksAnExecutableThatRuns() throws Exception {
        Path target = Processes.unpackExecutable(RESOURCE, TestDirs.fresh("unpack").resolve("hello"));

        assertEquals("unpacked", run(target));
        assertFalse(Files.exists(target.resolveSibling("hello.bytes")));
        assertFalse(Files.exists(target.resolveSibling("hello.new")));
    }

    @Test
    void keepsAnUnchangedExecutableAndReplacesAChangedOne() throws Exception {
        Path target = Processes.unpackExecutable(RESOURCE, TestDirs.fresh("unpack").resolve("hello"));
        Object unpacked = Files.readAttributes(target, BasicFileAttributes.class).fileKey();

        Processes.unpackExecutable(RESOURCE, target);
        assertEquals(unpacked, Files.readAttributes(target, BasicFileAttributes.class).fileKey());

        Files.writeString(target, "#!/bin/sh\necho stale\n");
        Processes.unpackExecutable(RESOURCE, target);
        assertEquals("unpacked", run(target));
    }

    @Test
    void anUnknownResourceIsNamed() {
        Path target = TestDirs.fresh("unpack").resolve("missing");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Processes.unpackExecutable("/unpack/missing", target));
        assertEquals("/unpack/missing is not on the classpath", e.getMessage());
    }

    /**
     * Other threads fork processes all along, as test threads and the launcher do: a file this JVM had open
     * for writing at a fork would be "Text file busy" to exec until that child execs (the CI failure that
     * this guards against). Each executable unpacked runs at once.
     */
    @Test
    void runsAtOnceWhileOtherThreadsFork() throws Exception {
        Path dir = TestDirs.fresh("unpack");
        AtomicBoolean forking = new AtomicBoolean(true);
        ExecutorService forkers = Executors.newFixedThreadPool(3);
        List<Future<?>> forks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            forks.add(forkers.submit(() -> {
                while (forking.get()) {
                    new ProcessBuilder("true").start().waitFor();
                }
                return null;
            }));
        }
        try {
            for (int i = 0; i < 100; i++) {
                Path target = Processes.unpackExecutable(RESOURCE, dir.resolve("hello-" + i));
                assertEquals("unpacked", run(target), "run " + i);
            }
        } finally {
            forking.set(false);
            forkers.shutdown();
            assertTrue(forkers.awaitTermination(10, TimeUnit.SECONDS));
        }
        for (Future<?> fork : forks) {
            fork.get();
        }
    }

    private static String run(Path executable) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(executable.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), output);
        return output;
    }
}
