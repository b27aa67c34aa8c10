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
 * Computes mousetrap's measures (and optionally its time normalisation) for browser pointer samples in a CSV
 * file, preparing them as the mousetrap reference does (docs/measures.md). Exit status: 0 done, 2 bad
 * arguments or input (one line on stderr naming file, line and column), 1 output could not be written.
 */
public final class MeasuresCommand {
    static final String USAGE = "usage: measures --in SAMPLES.csv --out MEASURES.csv [--flip-threshold N]"
            + " [--initiation-threshold N] [--hover-threshold MS] [--no-remap] [--tn-out TIME_NORMALIZED.csv]"
            + " [--steps N]";

    /** Appended after mousetrap's columns: why a trial's measures are missing or need care. */
    public static final String FLAGS_COLUMN = "flags";

    private MeasuresCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (InputException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (settings == null) {
            out.println(USAGE);
            return 0;
        }
        List<Trajectory> trials;
        try (InputStream in = Files.newInputStream(settings.in()); CsvReader csv = CsvReader.utf8(in)) {
            trials = new TrajectoryCsvReader(settings.in().toString()).read(csv);
        } catch (InputException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("error: " + settings.in() + ": no such file");
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + settings.in() + ": " + e.getMessage());
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
            out.println("measures: " + trials.size() + " trials (" + flagged + " flagged) -> " + settings.out()
                    + (settings.tnOut() == null ? "" : ", time-normalised -> " + settings.tnOut()));
            return 0;
        } catch (IOException e) {
            err.println("error: cannot write " + writing + ": " + e.getMessage());
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

    record Settings(Path in, Path out, Path tnOut, int steps, MeasureOptions measureOptions,
                    Preparation.Options preparation) {

        /** Null when help was asked for. */
        static Settings parse(String[] args) throws InputException {
            Path in = null;
            Path out = null;
            Path tnOut = null;
            int steps = TimeNormalize.DEFAULT_STEPS;
            MeasureOptions options = MeasureOptions.DEFAULTS;
            double hoverThreshold = Double.NaN;
            boolean remap = true;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        return null;
                    }
                    case "--in" -> in = Path.of(value(args, ++i, arg));
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--tn-out" -> tnOut = Path.of(value(args, ++i, arg));
                    case "--steps" -> steps = (int) number(args, ++i, arg, 1, true);
                    case "--flip-threshold" -> options = options.withFlipThreshold(number(args, ++i, arg, 0, false));
                    case "--initiation-threshold" ->
                            options = options.withInitiationThreshold(number(args, ++i, arg, 0, false));
                    case "--hover-threshold" -> hoverThreshold = number(args, ++i, arg, 0, false);
                    case "--no-remap" -> remap = false;
                    default -> throw new InputException("unknown argument " + arg);
                }
            }
            if (in == null || out == null) {
                throw new InputException("--in and --out are required");
            }
            if (!Double.isNaN(hoverThreshold)) {
                options = options.withHoverThreshold(hoverThreshold, true);
            }
            return new Settings(in, out, tnOut, steps, options, Preparation.Options.MOUSETRAP.withRemap(remap));
        }

        private static String value(String[] args, int i, String name) throws InputException {
            if (i >= args.length) {
                throw new InputException(name + " needs a value");
            }
            return args[i];
        }

        private static double number(String[] args, int i, String name, double min, boolean integer)
                throws InputException {
            String text = value(args, i, name);
            double v = TrajectoryCsvReader.isDecimal(text) ? Double.parseDouble(text) : Double.NaN;
            if (!(v >= min) || Double.isInfinite(v) || (integer && (v != Math.rint(v) || v > Integer.MAX_VALUE))) {
                throw new InputException(name + " needs " + (integer ? "an integer" : "a number") + " >= "
                        + CsvWriter.formatNumber(min) + ", not '" + text + "'");
            }
            return v;
        }
    }
}
