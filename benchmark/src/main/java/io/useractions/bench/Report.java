package io.useractions.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one table the benchmark prints: a row per figure, as plain text and as Markdown for docs/benchmarks.md. */
final class Report {
    private static final String[] COLUMNS = { "measure", "result", "p50 ms", "p99 ms", "p99.9 ms", "notes" };

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Double> metrics = new HashMap<>();
    private String header = "";

    /** A run's title: what it measures, full or quick, the cores, the time. */
    static String title(String what, boolean quick) {
        return String.format(Locale.ROOT, "UserActionsLogging %s, %s mode, %d cores, %s", what, quick ? "quick" : "full",
                Runtime.getRuntime().availableProcessors(), Instant.now());
    }

    void header(String header) {
        this.header = header;
    }

    String header() {
        return header;
    }

    void note(String note) {
        notes.add(note);
    }

    void row(String measure, String result, String notes) {
        rows.add(new String[] { measure, result, "", "", "", notes });
        Double value = leadingNumber(result);
        if (value != null) {
            metrics.put(measure, value);
        }
    }

    void metric(String measure, double value) {
        metrics.put(measure, value);
    }

    /** A ratio row of two figures already in the report, such as projection / COPY. */
    void ratio(String measure, String baseline, String notes) {
        Double a = metrics.get(measure);
        Double b = metrics.get(baseline);
        if (a != null && b != null && b > 0) {
            rows.add(new String[] { measure + " / " + baseline.replace("baseline: ", ""),
                    String.format(Locale.ROOT, "%.0f%%", 100 * a / b), "", "", "", notes });
        }
    }

    void latencyRow(String measure, OpenLoop.Result result, String notes) {
        percentilesRow(measure, rate(result.acceptedPerSecond(), "actions/s"), result.percentileMillis(50),
                result.percentileMillis(99), result.percentileMillis(99.9),
                String.format(Locale.ROOT, "%,d requests, %d refused, %d failed%s%s; %s", result.requests(),
                        result.refused(), result.failed(), result.gaveUp() ? ", gave up" : "",
                        result.firstProblem() == null ? "" : " (the first: " + result.firstProblem() + ")", notes));
    }

    void percentilesRow(String measure, String result, double p50, double p99, double p999, String notes) {
        rows.add(new String[] { measure, result, ms(p50), ms(p99), ms(p999), notes });
    }

    void lagRow(String measure, OpenLoop.Result result, double p50, double p99, double p999, String notes) {
        percentilesRow(measure, rate(result.acceptedPerSecond(), "actions/s"), p50, p99, p999,
                String.format(Locale.ROOT, "202 → row; ingest p99 %s ms; %s", ms(result.percentileMillis(99)), notes));
    }

    /** A rate as the table shows it, such as "12,345 actions/s". */
    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    List<String[]> rows() {
        return rows;
    }

    String text() {
        int[] widths = new int[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++) {
            widths[i] = COLUMNS[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder(header).append('\n');
        appendLine(text, COLUMNS, widths);
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append("-".repeat(width)).append("  ");
        }
        text.append(rule.toString().stripTrailing()).append('\n');
        for (String[] row : rows) {
            appendLine(text, row, widths);
        }
        for (String note : notes) {
            text.append(note).append('\n');
        }
        return text.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder(header).append("\n\n| ").append(String.join(" | ", COLUMNS)).append(" |\n|");
        for (int i = 0; i < COLUMNS.length; i++) {
            md.append(i == 0 || i == COLUMNS.length - 1 ? "---|" : "---:|");
        }
        md.append('\n');
        for (String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        for (String note : notes) {
            md.append(note).append("  \n");
        }
        return md.toString();
    }

    private static void appendLine(StringBuilder text, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean numeric = i >= 1 && i <= 4;
            String cell = cells[i];
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(numeric ? pad + cell : cell + pad).append("  ");
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, millis < 10 ? "%.1f" : "%,.0f", millis);
    }

    private static Double leadingNumber(String text) {
        StringBuilder digits = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (Character.isDigit(c) || c == '.') {
                digits.append(c);
            } else if (c != ',') {
                break;
            }
        }
        return digits.length() == 0 ? null : Double.valueOf(digits.toString());
    }
}
