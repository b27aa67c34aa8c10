package io.useractions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of a process from /proc (Linux). */
final class ProcStatus {
    private ProcStatus() {
    }

    /** VmHWM: the highest resident set size the process has had since it started. */
    static long peakRssBytes(long pid) {
        return kib(pid, "VmHWM:") * 1024;
    }

    private static long kib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status of process " + pid, e);
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }
}
