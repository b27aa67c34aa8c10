package io.useractions.e2e;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * ual's BUILD_STAMP, marked fresh for a test that runs {@code ./ual}: the reactor running the test has just
 * packaged every app ual runs (they are this module's build dependencies), which is what the stamp records
 * after ual's own build; without it ual would start a second Maven build inside this one. {@link #close} puts
 * it back as it was, so a later {@code ./ual run} still judges freshness by the last build of its own. The
 * suites that use it run in two JVMs at once: a file lock, held from marking to putting back, keeps one from
 * putting the stamp back under the other's {@code ./ual}.
 */
final class BuildStamp implements AutoCloseable {
    /** `./ual run`, `replay`, `export`, ... rebuild unless every jar exists and no source is newer than this. */
    static final Path PATH = TestPipeline.HOME.resolve("target").resolve("ual-build.stamp");

    private static final Path LOCK = PATH.resolveSibling("ual-build.stamp.lock");

    /** When the stamp was last written, or null when there was none. */
    private final FileTime before;
    private final FileChannel lock;

    private BuildStamp(FileTime before, FileChannel lock) {
        this.before = before;
        this.lock = lock;
    }

    static BuildStamp markBuilt() throws IOException {
        Files.createDirectories(PATH.getParent());
        FileChannel lock = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock.lock();
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        FileTime before = null;
        if (Files.exists(PATH)) {
            before = Files.getLastModifiedTime(PATH);
        } else {
            Files.createFile(PATH);
        }
        Files.setLastModifiedTime(PATH, FileTime.from(Instant.now()));
        return new BuildStamp(before, lock);
    }

    @Override
    public void close() throws IOException {
        try (lock) {
            if (before != null) {
                Files.setLastModifiedTime(PATH, before);
            } else {
                Files.deleteIfExists(PATH);
            }
        }
    }
}
