package io.useractions.research.trajectory;

import io.useractions.research.csv.CsvReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The mousetrap reference files on the test classpath, read with nothing but the CSV reader. */
public final class ReferenceData {
    public static final String DIRECTORY = "/mousetrap-reference/";

    /** Counts and values copied from a sample must be equal; everything else is within {@link #close}. */
    public static final Set<String> EXACT_COLUMNS = java.util.Set.of(
            "xpos_flips", "ypos_flips", "xpos_reversals", "ypos_reversals", "RT", "initiation_time",
            "MAD_time", "MD_above_time", "MD_below_time", "vel_max_time", "vel_min_time", "acc_max_time",
            "acc_min_time", "steps");

    private ReferenceData() {
    }

    /** One table: header and rows, cells as text. */
    public record Table(List<String> header, List<List<String>> rows) {
        public int column(String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + name + " in " + header);
            }
            return i;
        }
    }

    public static Table table(String file) {
        try (InputStream in = ReferenceData.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIRECTORY + file);
            }
            return read(CsvReader.utf8(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Table read(CsvReader csv) throws IOException {
        List<String> header = csv.next();
        List<List<String>> rows = new ArrayList<>();
        List<String> row;
        while ((row = csv.next()) != null) {
            rows.add(row);
        }
        return new Table(header, rows);
    }

    /** The raw (browser frame) trajectories of trajectories.csv, in file order. */
    public static List<Trajectory> rawTrajectories() {
        Table table = table("trajectories.csv");
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        for (List<String> row : table.rows()) {
            samples.computeIfAbsent(row.get(table.column("trial")), k -> new ArrayList<>()).add(new double[] {
                    Double.parseDouble(row.get(table.column("t_ms"))),
                    Double.parseDouble(row.get(table.column("x"))),
                    Double.parseDouble(row.get(table.column("y")))});
        }
        List<Trajectory> result = new ArrayList<>();
        samples.forEach((id, list) -> {
            double[] t = new double[list.size()];
            double[] x = new double[list.size()];
            double[] y = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                t[i] = list.get(i)[0];
                x[i] = list.get(i)[1];
                y[i] = list.get(i)[2];
            }
            result.add(new Trajectory(id, t, x, y));
        });
        return result;
    }

    /** R's NA (and an empty cell) is NaN. */
    public static double number(String cell) {
        return cell.isEmpty() || cell.equals("NA") ? Double.NaN : Double.parseDouble(cell);
    }

    /** The README's tolerance: 1e-9 relative, 1e-6 absolute for values near zero (|expected| &lt; 1e-3). */
    public static boolean close(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        double tolerance = Math.abs(expected) < 1e-3 ? 1e-6 : 1e-9 * Math.abs(expected);
        return Math.abs(expected - actual) <= tolerance;
    }

    /** Exact columns must be equal, the others {@link #close}. */
    public static boolean matches(String column, double expected, double actual) {
        if (EXACT_COLUMNS.contains(column)) {
            return Double.compare(expected + 0.0, actual + 0.0) == 0;
        }
        return close(expected, actual);
    }
}
