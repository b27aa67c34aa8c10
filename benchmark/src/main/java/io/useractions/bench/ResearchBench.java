package io.useractions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

import io.useractions.infra.Postgres;
import io.useractions.research.cli.ProjectCommand;
import io.useractions.research.export.ExportBench;
import io.useractions.research.quality.QualityBench;
import io.useractions.research.trajectory.MeasuresBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ual bench --research [--rows N] [--keep-data]}: the research outputs' speed, printed as
 * name=value lines. Trajectory measures per second on one thread, then the positions export (CSV and
 * Parquet) next to PostgreSQL's own {@code COPY (SELECT ...) TO STDOUT} for the same rows, on an embedded
 * PostgreSQL. {@code ./ual} runs it with a 256 MB heap, the bound an export of any size must keep.
 *
 * <p>{@code ./ual bench --console [--actions N] [--participants P] [--keep-data]}: the research console's
 * data-quality overview over N actions from P participants ({@link QualityBench}).
 */
// The options' descriptions are in ResearchBench.properties beside this class.
@Command(name = "./ual bench --research", resourceBundle = "io.useractions.bench.ResearchBench",
        customSynopsis = { "./ual bench --research [--rows=N] [--keep-data]",
                "       ./ual bench --console [--actions=N] [--participants=P] [--keep-data]" },
        description = { "--research: the research outputs' speed as name=value lines: trajectory measures per second "
                + "on one thread, then the positions export (CSV and Parquet) next to PostgreSQL's own COPY of the "
                + "same rows, on an embedded PostgreSQL (docs/exports.md).",
                "--console: the console's data-quality overview over N actions from P participants "
                + "(docs/research.md)." })
public final class ResearchBench extends ProjectCommand {

    @Option(names = "--console")
    private boolean console;

    @Option(names = "--rows", paramLabel = "N")
    private long rows = ExportBench.DEFAULT_ROWS;

    @Option(names = "--actions", paramLabel = "N")
    private long actions = QualityBench.DEFAULT_ACTIONS;

    @Option(names = "--participants", paramLabel = "P")
    private int participants = QualityBench.DEFAULT_PARTICIPANTS;

    @Option(names = "--keep-data")
    private boolean keepData;

    public static void main(String[] args) {
        Benchmark.exit(() -> commandLine(), args);
    }

    static CommandLine commandLine() {
        return Benchmark.withOneLineErrors(new CommandLine(new ResearchBench()));
    }

    @Override
    public Integer call() throws Exception {
        check();
        System.out.printf("%s benchmark, %d cores, max heap %d MB, %s%n", console ? "console" : "research",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Instant.now());
        if (!console) {
            MeasuresBench.main(new String[] {"10000", "200"});
        }

        Path root = Benchmark.newRunDir(Benchmark.HOME.resolve("benchmark").resolve("target"),
                (console ? "console" : "research") + "-bench");
        Postgres postgres = new Postgres(root.resolve("data"), 0).start();
        try {
            String migrations = Benchmark.HOME.resolve("stream-processor/src/main/resources/db/migration").toString();
            if (console) {
                QualityBench.main(new String[] {"--jdbc-url", postgres.jdbcUrl(), "--user", Postgres.USER,
                        "--password", Postgres.PASSWORD, "--actions", String.valueOf(actions), "--participants",
                        String.valueOf(participants), "--migrations", migrations});
            } else {
                ExportBench.main(new String[] {"--jdbc-url", postgres.jdbcUrl(), "--user", Postgres.USER,
                        "--password", Postgres.PASSWORD, "--rows", String.valueOf(rows), "--migrations", migrations});
            }
        } finally {
            postgres.stop();
            if (!keepData) {
                delete(root);
            }
        }
        return 0;
    }

    /** What picocli cannot check: each option belongs to one of the two benchmarks, and counts are positive. */
    void check() {
        for (String option : console ? new String[] {"--rows"} : new String[] {"--actions", "--participants"}) {
            if (spec().commandLine().getParseResult().hasMatchedOption(option)) {
                throw badArgument(option + " is for " + (console ? "--research" : "--console"));
            }
        }
        if (rows < 1 || actions < 1 || participants < 1) {
            throw badArgument("--rows, --actions and --participants must be at least 1");
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
