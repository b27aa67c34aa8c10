package io.useractions.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.useractions.research.cli.ProjectCommand;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ual bench --crypto} and {@code ./ual bench --summary-cost}: what one part of the design costs, measured
 * apart from the pipeline, so without its servers and apps. {@link CryptoPhase}: sealing and opening the
 * workload's raw records on one thread, no server. {@link SummaryCostPhase}: the data-quality summary's
 * PostgreSQL CPU per action, kept three ways, on one embedded PostgreSQL. Each prints one table, as
 * {@link Benchmark} does.
 */
@Command(name = "./ual bench --crypto",
        customSynopsis = { "./ual bench --crypto [--quick] [--out=FILE]",
                "       ./ual bench --summary-cost [--quick] [--keep-data] [--out=FILE]" },
        description = "What one part of the design costs, apart from the pipeline (docs/benchmarks.md).")
public final class CostBench extends ProjectCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Part part;

    @Option(names = "--quick", description = "A short run that checks the benchmark works (CI); the figures are "
            + "not meaningful.")
    private boolean quick;

    @Option(names = "--keep-data", description = "With --summary-cost: keep the embedded PostgreSQL's data under "
            + "benchmark/target.")
    private boolean keepData;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table as Markdown to FILE.")
    private Path output;

    private final PrintStream out;

    /** One of the two, which picocli requires. */
    static final class Part {
        @Option(names = "--crypto", required = true, description = "What crypto-shredding costs, without servers: "
                + "the workload's raw records sealed and opened with AES-256-GCM on one thread, whole and as wired "
                + "in (compressed first), and a session ledger's round trip (µs per action, bytes per action added, "
                + "lz4-compressed bytes plain and sealed); docs/withdrawal.md.")
        boolean crypto;

        @Option(names = "--summary-cost", required = true, description = "What the data-quality summary costs "
                + "PostgreSQL per action, on one embedded PostgreSQL: the sink's own sums (V16) against the insert "
                + "triggers they replaced (V15) and no summary, the same transactions into each in turn; "
                + "docs/benchmarks.md.")
        boolean summaryCost;
    }

    CostBench(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        Benchmark.exit(() -> commandLine(System.out), args);
    }

    static CommandLine commandLine(PrintStream out) {
        return Benchmark.withOneLineErrors(new CommandLine(new CostBench(out)));
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report();
        if (part.crypto) {
            report.header(Report.title("encryption cost", quick));
            Duration step = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
            new CryptoPhase(out, report, step.multipliedBy(2), step)
                    .run(Workload.create(400, Benchmark.ACTIONS_PER_BATCH, 2000, 42), 400);
        } else {
            report.header(Report.title("data-quality summary cost", quick));
            Path root = Benchmark.newRunDir(Benchmark.HOME.resolve("benchmark").resolve("target"), "summary-cost");
            try {
                new SummaryCostPhase(out, report, quick ? 5 : 100, quick ? 5 : 150).run(root.resolve("postgres"),
                        Benchmark.HOME.resolve("stream-processor/src/main/resources/db/migration"));
            } finally {
                if (!keepData) {
                    Benchmark.deleteData(root);
                }
            }
        }
        out.println();
        out.print(report.text());
        if (output != null) {
            Files.writeString(output, report.markdown(), StandardCharsets.UTF_8);
        }
        return 0;
    }
}
