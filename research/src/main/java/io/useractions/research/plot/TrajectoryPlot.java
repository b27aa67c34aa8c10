package io.useractions.research.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.useractions.research.trajectory.TimeNormalized;

/**
 * mousetrap's plot of time-normalised trajectories as SVG: one panel per condition with every trial's
 * path (thin) and their mean (thick), start aligned and remapped as prepared, y up; under each panel the
 * distribution of MAD and AUC over its trials as dots on a line. Pure: trials in, markup out.
 */
public final class TrajectoryPlot {
    private static final int PANEL = 320;
    private static final int MARGIN = 36;
    private static final int STRIP = 34;

    /** One trial of the plot: its condition, key, time-normalised path and two of its measures. */
    public record Path(String condition, String mtId, TimeNormalized normalized, double mad, double auc) {
    }

    private TrajectoryPlot() {
    }

    public static String svg(String title, List<Path> paths) {
        Map<String, List<Path>> byCondition = new LinkedHashMap<>();
        for (Path path : paths) {
            if (path.normalized().isDefined() && path.normalized().steps() > 0) {
                byCondition.computeIfAbsent(path.condition() == null ? "(none)" : path.condition(),
                        c -> new ArrayList<>()).add(path);
            }
        }
        double[] box = bounds(byCondition.values().stream().flatMap(List::stream).toList());
        int width = Math.max(1, byCondition.size()) * (PANEL + MARGIN) + MARGIN;
        int height = MARGIN + PANEL + 2 * STRIP + MARGIN;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        if (byCondition.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no complete trial with a trajectory</text>%n",
                    MARGIN, MARGIN + 20));
        }
        int left = MARGIN;
        for (Map.Entry<String, List<Path>> panel : byCondition.entrySet()) {
            panel(svg, left, panel.getKey(), panel.getValue(), box);
            left += PANEL + MARGIN;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, int left, String condition, List<Path> paths, double[] box) {
        svg.append(String.format(Locale.ROOT, "<g class=\"condition\" data-condition=\"%s\" data-trials=\"%d\">%n",
                escape(condition), paths.size()));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">condition %s, %d trials"
                + "</text>%n", left, MARGIN - 10, escape(condition), paths.size()));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#999\"/>%n", left, MARGIN, PANEL, PANEL));
        int steps = paths.get(0).normalized().steps();
        double[] meanX = new double[steps];
        double[] meanY = new double[steps];
        for (Path path : paths) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < steps; i++) {
                meanX[i] += path.normalized().x(i) / paths.size();
                meanY[i] += path.normalized().y(i) / paths.size();
                point(points, left, box, path.normalized().x(i), path.normalized().y(i));
            }
            svg.append(String.format(Locale.ROOT, "<polyline class=\"trial\" data-mt-id=\"%s\" points=\"%s\""
                    + " fill=\"none\" stroke=\"#7a8aa6\" stroke-opacity=\"0.5\" stroke-width=\"1\"/>%n",
                    escape(path.mtId()), points.toString().trim()));
        }
        StringBuilder mean = new StringBuilder();
        for (int i = 0; i < steps; i++) {
            point(mean, left, box, meanX[i], meanY[i]);
        }
        svg.append(String.format(Locale.ROOT, "<polyline class=\"mean\" points=\"%s\" fill=\"none\" stroke=\"#c0392b\""
                + " stroke-width=\"3\"/>%n", mean.toString().trim()));
        strip(svg, left, MARGIN + PANEL + STRIP - 8, "MAD", paths.stream().mapToDouble(Path::mad).toArray());
        strip(svg, left, MARGIN + PANEL + 2 * STRIP - 8, "AUC", paths.stream().mapToDouble(Path::auc).toArray());
        svg.append("</g>\n");
    }

    /** Values as dots on a line from their minimum to their maximum, both written at the ends. */
    private static void strip(StringBuilder svg, int left, int y, String name, double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            return;
        }
        int x0 = left + 40;
        int x1 = left + PANEL - 60;
        svg.append(String.format(Locale.ROOT, "<g class=\"distribution\" data-measure=\"%s\"><text x=\"%d\" y=\"%d\">"
                + "%s</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>%n", name, left, y + 4, name,
                x0, y, x1, y));
        for (double v : values) {
            if (Double.isFinite(v)) {
                double x = max == min ? (x0 + x1) / 2.0 : x0 + (v - min) / (max - min) * (x1 - x0);
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"#7a8aa6\""
                        + " fill-opacity=\"0.6\"/>%n", x, y));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.4g … %.4g</text></g>%n",
                x1 + 4, y + 4, min, max));
    }

    private static void point(StringBuilder points, int left, double[] box, double x, double y) {
        double scale = PANEL / Math.max(box[2] - box[0], box[3] - box[1]);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + (x - box[0]) * scale,
                MARGIN + PANEL - (y - box[1]) * scale));
    }

    /** minX, minY, maxX, maxY over every point, padded, so that all panels share one scale. */
    private static double[] bounds(List<Path> paths) {
        double[] box = {0, 0, 1, 1};
        for (Path path : paths) {
            for (int i = 0; i < path.normalized().steps(); i++) {
                box[0] = Math.min(box[0], path.normalized().x(i));
                box[1] = Math.min(box[1], path.normalized().y(i));
                box[2] = Math.max(box[2], path.normalized().x(i));
                box[3] = Math.max(box[3], path.normalized().y(i));
            }
        }
        double pad = 0.05 * Math.max(box[2] - box[0], box[3] - box[1]);
        return new double[] {box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad};
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
