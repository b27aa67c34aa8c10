package io.useractions.research.cli;

import io.useractions.research.csv.CsvReader;
import io.useractions.research.csv.CsvWriter;
import io.useractions.research.trajectory.Flag;
import io.useractions.research.trajectory.Measure;
import io.useractions.research.trajectory.MeasureOptions;
import io.useractions.research.trajectory.Measures;
import io.useractions.research.trajectory.Preparation;
import io.useractions.research.trajectory.TimeNormalize;
import io.useractions.research.trajectory.TimeNormalized;
import io.useractions.research.trajectory.Trajectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code ./ual measures}: mousetrap's measures (and optionally its time normalisation) for browser pointer
 * samples in a CSV file, prepared as the mousetrap reference does (docs/measures.md). Exit status: 0 done, 2
 * bad arguments or input (one line on stderr naming file, line and column), 1 output could not be written.
 */
@Command(name = "./ual measures",
        description = "Computes mousetrap's measures, and on request its time normalisation, for the pointer "
                + "samples of any trials in a CSV file with trial, sample, t_ms, x and y columns (docs/measures.md).",
        footer = "%nExit status: 0 done, 2 bad arguments or input (one line naming file, line and column), 1 an "
                + "output could not be written.")
public final class MeasuresCommand extends ProjectCommand {

    /** Appended after mousetrap's columns: why a trial's measures are missing or need care. */
    public static final String FLAGS_COLUMN = "flags";

    @Option(names = "--in", paramLabel = "SAMPLES.csv", required = true, description = "The pointer samples.")
    private Path in;

    @Option(names = "--out", paramLabel = "MEASURES.csv", required = true, description = "Where to write one row of "
            + "measures per trial, then its flags.")
    private Path out;

    @Option(names = "--tn-out", paramLabel = "TIME_NORMALIZED.csv", description = "Also write mousetrap's time "
            + "normalisation, --steps rows per trial.")
    private Path tnOut;

    @Option(names = "--hover-threshold", paramLabel = "MS", description = "Also hover_time and hovers: still "
            + "periods longer than MS, the initial one included (default: none).")
    private String hoverThreshold;

    @Option(names = "--no-remap", description = "Skip mousetrap's mt_remap_symmetric: keep the direction the "
            + "trajectories went.")
    private boolean noRemap;

    @Mixin
    private MousetrapOptions mousetrap;

    private final PrintStream stdout;
    private final PrintStream stderr;

    private MeasuresCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return CommandLines.execute(new MeasuresCommand(out, err), args, out, err);
    }

    /** The command as {@code args} set it up, not yet run. */
    static MeasuresCommand parse(String... args) {
        MeasuresCommand command = new MeasuresCommand(System.out, System.err);
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Override
    public Integer call() {
        Settings settings = settings();
        List<Trajectory> trials;
        try (InputStream stream = Files.newInputStream(settings.in()); CsvReader csv = CsvReader.utf8(stream)) {
            trials = new TrajectoryCsvReader(settings.in().toString()).read(csv);
        } catch (InputException e) {
            stderr.println("error: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            stderr.println("error: " + settings.in() + ": no such file");
            return 2;
        } catch (IOException e) {
            stderr.println("error: cannot read " + settings.in() + ": " + e.getMessage());
            return 2;
        }
        List<Trajectory> prepared = trials.stream()
                .map(raw -> Preparation.prepare(raw, settings.preparation()))
                .toList();
        Path writing = settings.out();
        try {
            int flagged = writeMeasures(prepared, settings);
            if (settings.tnOut() != null) {
                writing = settings.tnOut();
                writeTimeNormalized(prepared, settings);
            }
            stdout.println("measures: " + trials.size() + " trials (" + flagged + " flagged) -> " + settings.out()
                    + (settings.tnOut() == null ? "" : ", time-normalised -> " + settings.tnOut()));
            return 0;
        } catch (IOException e) {
            stderr.println("error: cannot write " + writing + ": " + e.getMessage());
            return 1;
        }
    }

    private static int writeMeasures(List<Trajectory> trials, Settings settings) throws IOException {
        List<Measure> measures = settings.measureOptions().measures();
        int flagged = 0;
        try (OutputStream stream = Files.newOutputStream(settings.out()); CsvWriter csv = CsvWriter.utf8(stream)) {
            csv.field("mt_id");
            for (Measure m : measures) {
                csv.field(m.column());
            }
            csv.field(FLAGS_COLUMN).endRecord();
            for (Trajectory trajectory : trials) {
                Measures result = Measures.of(trajectory, settings.measureOptions());
                csv.field(result.id());
                for (Measure m : measures) {
                    csv.field(result.get(m));
                }
                csv.field(result.flags().stream().map(Flag::label).collect(Collectors.joining(";"))).endRecord();
                if (!result.flags().isEmpty()) {
                    flagged++;
                }
            }
        }
        return flagged;
    }

    private static void writeTimeNormalized(List<Trajectory> trials, Settings settings) throws IOException {
        try (OutputStream stream = Files.newOutputStream(settings.tnOut()); CsvWriter csv = CsvWriter.utf8(stream)) {
            csv.record("mt_id", "steps", "timestamps", "xpos", "ypos");
            for (Trajectory trajectory : trials) {
                TimeNormalized tn = TimeNormalize.of(trajectory, settings.steps());
                for (int i = 0; i < tn.steps(); i++) {
                    csv.field(tn.id()).field(i + 1).field(tn.timestamp(i)).field(tn.x(i)).field(tn.y(i)).endRecord();
                }
            }
        }
    }

    /** The options checked: a number out of range is a bad value, as picocli's own are. */
    Settings settings() {
        MeasureOptions options = MeasureOptions.DEFAULTS
                .withFlipThreshold(number("--flip-threshold", mousetrap.flipThreshold, 0, false))
                .withInitiationThreshold(number("--initiation-threshold", mousetrap.initiationThreshold, 0, false));
        if (hoverThreshold != null) {
            options = options.withHoverThreshold(number("--hover-threshold", hoverThreshold, 0, false), true);
        }
        return new Settings(in, out, tnOut, (int) number("--steps", mousetrap.steps, 1, true), options,
                Preparation.Options.MOUSETRAP.withRemap(!noRemap));
    }

    private double number(String name, String text, double min, boolean integer) {
        double v = TrajectoryCsvReader.isDecimal(text) ? Double.parseDouble(text) : Double.NaN;
        if (!(v >= min) || Double.isInfinite(v) || (integer && (v != Math.rint(v) || v > Integer.MAX_VALUE))) {
            throw badArgument(name + " needs " + (integer ? "an integer" : "a number")
                    + " >= " + CsvWriter.formatNumber(min) + ", not '" + text + "'");
        }
        return v;
    }

    record Settings(Path in, Path out, Path tnOut, int steps, MeasureOptions measureOptions,
                    Preparation.Options preparation) {
    }
}
