package io.useractions.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the components that run servers as child processes. */
final class Processes {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int TAIL_BYTES = 64 * 1024;

    private Processes() {
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs the command in its own session, so a Ctrl-C in the terminal reaches only the launcher, whose
     * shutdown hook then stops the children in order (services before the broker they depend on).
     * A child that is not a process-group leader makes setsid exec in place: the pid stays the server's.
     */
    static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Runs every stop in order; one that fails does not keep the others from running. Throws the first
     * failure, with the later ones suppressed in it.
     */
    static void stopAll(List<Runnable> stops) {
        RuntimeException failure = null;
        for (Runnable stop : stops) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** SIGTERM, then SIGKILL once the grace period is over. */
    static void terminate(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
    }

    static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(" + file + " does not exist)";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The executable resource {@code resource} of the classpath as the file {@code target}, unpacked unless
     * it is there already with the same bytes. The file that runs is never open for writing in this JVM: a
     * process another thread forks while the JVM writes a file inherits the write descriptor until it execs,
     * and exec of that file then fails with "Text file busy". So the bytes go to a file beside it that never
     * runs, a child {@code install} makes the executable from it, and a rename puts that in place.
     */
    static Path unpackExecutable(String resource, Path target) {
        byte[] bytes;
        String absolute = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = Processes.class.getResourceAsStream(absolute)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        try {
            if (Files.isExecutable(target) && Files.size(target) == bytes.length
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path source = target.resolveSibling(target.getFileName() + ".bytes");
            Path made = target.resolveSibling(target.getFileName() + ".new");
            Files.write(source, bytes);
            Process install = new ProcessBuilder("install", "-m", "755", source.toString(), made.toString())
                    .redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (install.waitFor() != 0) {
                throw new IOException("install " + source + " " + made + " failed: " + output);
            }
            Files.move(made, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(source);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + resource + " to " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking " + resource, e);
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
