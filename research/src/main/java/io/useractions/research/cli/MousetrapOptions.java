package io.useractions.research.cli;

import io.useractions.research.csv.CsvWriter;
import io.useractions.research.trajectory.MeasureOptions;
import io.useractions.research.trajectory.TimeNormalize;
import picocli.CommandLine.Option;

/**
 * mousetrap's options that {@code ./ual export} and {@code ./ual measures} share, as text with mousetrap's
 * defaults: export reads them as {@link io.useractions.research.export.ExportOptions} does a query's, measures
 * checks them itself.
 */
final class MousetrapOptions {

    @Option(names = "--flip-threshold", paramLabel = "N", description = "mousetrap's flip_threshold, px (default: "
            + "${DEFAULT-VALUE}).")
    String flipThreshold = CsvWriter.formatNumber(MeasureOptions.DEFAULTS.flipThreshold());

    @Option(names = "--initiation-threshold", paramLabel = "N", description = "mousetrap's initiation_threshold, "
            + "px (default: ${DEFAULT-VALUE}).")
    String initiationThreshold = CsvWriter.formatNumber(MeasureOptions.DEFAULTS.initiationThreshold());

    @Option(names = "--steps", paramLabel = "N", description = "Steps of mousetrap's time normalisation, "
            + "mt_time_normalize (default: ${DEFAULT-VALUE}).")
    String steps = String.valueOf(TimeNormalize.DEFAULT_STEPS);
}
