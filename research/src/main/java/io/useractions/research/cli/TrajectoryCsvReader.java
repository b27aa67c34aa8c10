package io.useractions.research.cli;

import io.useractions.research.csv.CsvFormatException;
import io.useractions.research.csv.CsvReader;
import io.useractions.research.csv.CsvWriter;
import io.useractions.research.trajectory.Trajectory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads pointer samples in the shape {@code trial,sample,t_ms,x,y} (header required, any column order, other
 * columns ignored) into one raw {@link Trajectory} per trial, in order of first appearance. Within a trial,
 * {@code sample} must increase and {@code t_ms} must not decrease from row to row.
 */
final class TrajectoryCsvReader {
    private static final List<String> REQUIRED = List.of("trial", "sample", "t_ms", "x", "y");

    private final String source;

    TrajectoryCsvReader(String source) {
        this.source = source;
    }

    List<Trajectory> read(CsvReader csv) throws IOException, InputException {
        try {
            return readRecords(csv);
        } catch (CsvFormatException e) {
            throw new InputException(source + " " + e.getMessage());
        }
    }

    private List<Trajectory> readRecords(CsvReader csv) throws IOException, InputException {
        List<String> header = csv.next();
        if (header == null) {
            throw new InputException(source + ": empty file, expected a header " + String.join(",", REQUIRED));
        }
        int[] column = new int[REQUIRED.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < REQUIRED.size(); c++) {
            column[c] = header.indexOf(REQUIRED.get(c));
            if (column[c] < 0) {
                missing.add(REQUIRED.get(c));
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException(source + " line " + csv.line() + ": missing column(s) "
                    + String.join(", ", missing) + " (header needs " + String.join(",", REQUIRED) + ")");
        }
        Map<String, Samples> trials = new LinkedHashMap<>();
        List<String> record;
        while ((record = csv.next()) != null) {
            long line = csv.line();
            if (record.size() != header.size()) {
                throw new InputException(source + " line " + line + ": " + record.size() + " fields, the header has "
                        + header.size());
            }
            String trial = record.get(column[0]);
            if (trial.isEmpty()) {
                throw new InputException(source + " line " + line + ", column trial: empty trial id");
            }
            double sample = number(record, column[1], "sample", line);
            double time = number(record, column[2], "t_ms", line);
            double x = number(record, column[3], "x", line);
            double y = number(record, column[4], "y", line);
            Samples samples = trials.computeIfAbsent(trial, Samples::new);
            if (samples.size > 0 && !(sample > samples.lastSample)) {
                throw new InputException(source + " line " + line + ", column sample: " + record.get(column[1])
                        + " is not after sample " + CsvWriter.formatNumber(samples.lastSample) + " of trial " + trial + " (line "
                        + samples.lastLine + ")");
            }
            if (samples.size > 0 && time < samples.t[samples.size - 1]) {
                throw new InputException(source + " line " + line + ", column t_ms: " + record.get(column[2])
                        + " is before " + CsvWriter.formatNumber(samples.t[samples.size - 1]) + " of the trial's previous sample (line "
                        + samples.lastLine + ")");
            }
            samples.add(sample, time, x, y, line);
        }
        List<Trajectory> result = new ArrayList<>(trials.size());
        for (Samples s : trials.values()) {
            result.add(s.toTrajectory());
        }
        return result;
    }

    private double number(List<String> record, int index, String name, long line) throws InputException {
        String text = record.get(index).trim();
        if (!isDecimal(text)) {
            throw new InputException(source + " line " + line + ", column " + name + ": '" + record.get(index)
                    + "' is not a number");
        }
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw new InputException(source + " line " + line + ", column " + name + ": '" + record.get(index)
                    + "' is out of range");
        }
        return value;
    }

    /** Plain decimal notation with an optional exponent; no NA, NaN, Inf, hex or type suffixes. */
    static boolean isDecimal(String s) {
        int i = skipSign(s, 0);
        int integerEnd = skipDigits(s, i);
        int end = integerEnd;
        if (end < s.length() && s.charAt(end) == '.') {
            end = skipDigits(s, end + 1);
        }
        if (end - i == (end > integerEnd ? 1 : 0)) {
            return false;
        }
        if (end < s.length() && (s.charAt(end) == 'e' || s.charAt(end) == 'E')) {
            int exponentStart = skipSign(s, end + 1);
            end = skipDigits(s, exponentStart);
            if (end == exponentStart) {
                return false;
            }
        }
        return end == s.length();
    }

    private static int skipSign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static final class Samples {
        final String trial;
        double[] t = new double[64];
        double[] x = new double[64];
        double[] y = new double[64];
        int size;
        double lastSample;
        long lastLine;

        Samples(String trial) {
            this.trial = trial;
        }

        void add(double sample, double time, double xValue, double yValue, long line) {
            if (size == t.length) {
                t = Arrays.copyOf(t, size * 2);
                x = Arrays.copyOf(x, size * 2);
                y = Arrays.copyOf(y, size * 2);
            }
            t[size] = time;
            x[size] = xValue;
            y[size] = yValue;
            size++;
            lastSample = sample;
            lastLine = line;
        }

        Trajectory toTrajectory() {
            return new Trajectory(trial, Arrays.copyOf(t, size), Arrays.copyOf(x, size), Arrays.copyOf(y, size));
        }
    }
}
