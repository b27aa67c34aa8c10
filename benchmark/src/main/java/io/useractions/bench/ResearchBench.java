package io.useractions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

import io.useractions.infra.Postgres;
import io.useractions.research.export.ExportBench;
import io.useractions.research.quality.QualityBench;
import io.useractions.research.trajectory.MeasuresBench;

/**
 * {@code ./ual bench --research [--rows N] [--keep-data]}: the research outputs' speed, printed as
 * name=value lines. Trajectory measures per second on one thread, then the positions export (CSV and
 * Parquet) next to PostgreSQL's own {@code COPY (SELECT ...) TO STDOUT} for the same rows, on an embedded
 * PostgreSQL. {@code ./ual} runs it with a 256 MB heap, the bound an export of any size must keep.
 *
 * <p>{@code ./ual bench --console [--actions N] [--participants P] [--keep-data]}: the research console's
 * data-quality overview over N actions from P participants ({@link QualityBench}).
 */
public final class ResearchBench {

    private ResearchBench() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        String rows = "1000000";
        String actions = "10000000";
        String participants = "1000";
        boolean console = false;
        boolean keepData = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = args[++i];
                case "--console" -> console = true;
                case "--actions" -> actions = args[++i];
                case "--participants" -> participants = args[++i];
                case "--keep-data" -> keepData = true;
                default -> {
                    System.err.println("usage: ./ual bench --research [--rows N] [--keep-data]\n"
                            + "       ./ual bench --console [--actions N] [--participants P] [--keep-data]");
                    System.exit(2);
                }
            }
        }
        System.out.printf("%s benchmark, %d cores, max heap %d MB, %s%n", console ? "console" : "research",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Instant.now());
        if (!console) {
            MeasuresBench.main(new String[] {"10000", "200"});
        }

        Path root = Benchmark.HOME.resolve("benchmark").resolve("target").resolve((console ? "console" : "research") + "-bench-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        Postgres postgres = Postgres.builder().dataDir(root.resolve("data")).port(0).build().start();
        try {
            String migrations = Benchmark.HOME.resolve("stream-processor/src/main/resources/db/migration").toString();
            if (console) {
                QualityBench.main(new String[] {"--jdbc-url", postgres.jdbcUrl(), "--user", postgres.user(),
                        "--password", postgres.password(), "--actions", actions, "--participants", participants,
                        "--migrations", migrations});
            } else {
                ExportBench.main(new String[] {"--jdbc-url", postgres.jdbcUrl(), "--user", postgres.user(),
                        "--password", postgres.password(), "--rows", rows, "--migrations", migrations});
            }
        } finally {
            postgres.stop();
            if (!keepData) {
                delete(root);
            }
        }
        System.exit(0);
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
