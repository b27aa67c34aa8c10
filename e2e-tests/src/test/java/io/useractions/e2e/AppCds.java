package io.useractions.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class-data sharing for the apps the suites start (JDK 17's dynamic archives): the first start of an app
 * in a build writes the classes it loaded to an archive when it stops, and every later start of that app
 * maps them instead of loading, verifying and linking them again (a third off an app's start). An archive
 * belongs to one build's jars (in {@code target/}); a JVM that cannot use it runs without it. One suite in a
 * build makes each app's archive (the Failsafe forks claim it with a file): the dump at exit costs an
 * app's stop 5-20 s on a busy machine, which a second fork making the same archive would pay again.
 */
final class AppCds {
    private static final Path DIR = TestPipeline.HOME.resolve("e2e-tests").resolve("target").resolve("appcds");
    /** Archives this JVM is making, by app, until their app has stopped. */
    private static final Map<String, Path> MAKING = new ConcurrentHashMap<>();

    private AppCds() {
    }

    /**
     * The options of one app's JVM: its archive if there is one; else, for the first instance of the app
     * in this JVM, to write one when it exits.
     */
    static List<String> options(String module, List<String> jvm) {
        List<String> options = new ArrayList<>(jvm);
        Path archive = archive(module);
        if (Files.isRegularFile(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
        } else {
            Path making = DIR.resolve(module + "-" + UUID.randomUUID() + ".jsa.part");
            if (MAKING.putIfAbsent(module, making) == null) {
                if (claim(module)) {
                    // In a file the launcher reads at each start, so that a restart after keepMade maps the
                    // archive instead of dumping it again at its stop.
                    options.add("@" + writeArgs(making, "-XX:ArchiveClassesAtExit=" + making));
                } else {
                    MAKING.remove(module, making);
                }
            }
        }
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        return options;
    }

    /** Options for a command of an app (the replay): its archive if there is one, never a new one. */
    static List<String> commandOptions(String module, List<String> jvm) {
        List<String> options = new ArrayList<>(jvm);
        Path archive = archive(module);
        if (Files.isRegularFile(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
            options.add("-Xlog:cds=off");
        }
        return options;
    }

    /** Once the apps have stopped: the archives they wrote become the apps' (the first made in a build stays). */
    static void keepMade() {
        List.copyOf(MAKING.keySet()).forEach(AppCds::keepMade);
        MAKING.clear();
    }

    /**
     * Once an app's instances have stopped: the archive its first instance wrote becomes the app's, for the
     * suites that start it from then on, and for that instance when it starts again (its options file now
     * names the archive: before, each restarted instance dumped once more at its stop, to no use, some 8 s of
     * a suite's end); a killed one writes nothing.
     */
    static void keepMade(String module) {
        Path made = MAKING.get(module);
        if (made == null) {
            return;
        }
        try {
            if (Files.size(made) > 0 && !Files.exists(archive(module))) {
                Files.move(made, archive(module), StandardCopyOption.ATOMIC_MOVE);
            }
            writeArgs(made, "-XX:SharedArchiveFile=" + archive(module));
            MAKING.remove(module);
        } catch (IOException e) {
            // not written yet (the app was killed and runs again): its next stop writes it
        }
    }

    /** The options file ({@code java @file}) of the instance that makes {@code making}. */
    private static Path writeArgs(Path making, String option) {
        Path args = making.resolveSibling(making.getFileName() + ".args");
        try {
            Files.writeString(args, "\"" + option + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return args;
    }

    /** Whether this JVM is the first in the build to make the module's archive. */
    private static boolean claim(String module) {
        try {
            Files.createFile(DIR.resolve(module + ".making"));
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the archives go, made if missing. */
    static void prepare() {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path archive(String module) {
        return DIR.resolve(module + ".jsa");
    }
}
