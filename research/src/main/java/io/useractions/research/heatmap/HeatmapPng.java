package io.useractions.research.heatmap;

import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import io.useractions.research.heatmap.HeatmapRequest.Kind;
import io.useractions.research.heatmap.HeatmapRequest.Weight;
import io.useractions.research.heatmap.HeatmapRequest.XMode;

/**
 * A {@link HeatGrid} as a PNG: the heat area on top, page y down from its top edge, each cell with weight a
 * flat rectangle in {@link ColourScale} (linear: the hottest cell gets the top colour), every other pixel
 * the background or the screenshot untouched (over a screenshot, cells are blended with what lies below at
 * {@link #OVERLAY_ALPHA}); below it a legend with a colour bar from 0 to the maximum weight and what was
 * counted. No blur: a cell's colour is its own weight. Text is drawn with {@link BitmapFont}, so rendering
 * needs no installed fonts.
 */
public final class HeatmapPng {
    public static final int MAX_HEIGHT = 20_000;
    public static final int MIN_HEIGHT = 100;
    /** The heat area's pixel budget (about 120 MB of image): a taller page is cut, and the legend says so. */
    public static final long MAX_AREA_PIXELS = 30_000_000;
    public static final int MIN_IMAGE_WIDTH = 800;
    public static final int BACKGROUND = 0xffffff;
    /** Right of a narrow heat area, so its edge shows. */
    public static final int BEYOND_AREA = 0xeeeeee;
    public static final int TEXT = 0x222222;
    /** How much of a cell's colour covers the screenshot below it. */
    public static final double OVERLAY_ALPHA = 0.6;
    public static final int FONT_SCALE = 2;

    private static final int PAD = 12;
    private static final int BAR_HEIGHT = 16;
    private static final int BAR_MAX_WIDTH = 400;
    private static final int LINE = BitmapFont.height(FONT_SCALE) + 8;

    /**
     * Where everything is drawn. The heat area starts at (0, 0); cell (col, row) is the square at
     * (col·cell, row·cell), clipped to the area.
     *
     * @param areaWidth     the reference width (relative x) or enough for the widest sample (absolute x)
     * @param areaHeight    covers the lowest cell and the scaled screenshot, within the limits
     * @param overlayHeight height of the screenshot scaled to the reference width, 0 without one
     * @param cut           the area is shorter than the data or screenshot
     * @param legend        the legend's lines, as drawn
     */
    public record Layout(int cell, int referenceWidth, int areaWidth, int areaHeight, int overlayHeight, int width,
                         int height, boolean cut, String maxLabel, List<String> legend) {

        /** The pixels of cell (col, row), empty when it lies outside the area. */
        public Rectangle cell(int col, int row) {
            return new Rectangle(col * cell, row * cell, cell, cell).intersection(area());
        }

        public Rectangle area() {
            return new Rectangle(0, 0, areaWidth, areaHeight);
        }

        public Rectangle colourBar() {
            return new Rectangle(PAD, areaHeight + 1 + PAD, Math.min(BAR_MAX_WIDTH, width - 2 * PAD), BAR_HEIGHT);
        }

        /** Top-left of the bar's labels: "0" under its left end, the maximum under its right end. */
        public Point zeroLabelAt() {
            Rectangle bar = colourBar();
            return new Point(bar.x, bar.y + bar.height + 6);
        }

        public Point maxLabelAt() {
            Rectangle bar = colourBar();
            return new Point(bar.x + bar.width - BitmapFont.width(maxLabel, FONT_SCALE), bar.y + bar.height + 6);
        }

        /** Top-left of legend line i. */
        public Point line(int i) {
            return new Point(PAD, zeroLabelAt().y + LINE + 4 + i * LINE);
        }
    }

    private HeatmapPng() {
    }

    public static byte[] png(HeatGrid grid) {
        return png(grid, null);
    }

    public static byte[] png(HeatGrid grid, BufferedImage overlay) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(grid, overlay), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static BufferedImage render(HeatGrid grid) {
        return render(grid, null);
    }

    /** With an overlay: the screenshot scaled to the reference width, the cells blended over it. */
    public static BufferedImage render(HeatGrid grid, BufferedImage overlay) {
        Layout layout = layout(grid, overlay);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Arrays.fill(pixels, BACKGROUND);
        fill(image, new Rectangle(layout.areaWidth(), 0, layout.width() - layout.areaWidth(), layout.areaHeight()),
                BEYOND_AREA);
        if (overlay != null) {
            drawScaled(image, overlay, layout);
        }
        double max = grid.maxWeight();
        for (HeatGrid.Cell cell : grid.cells()) {
            Rectangle r = layout.cell(cell.col(), cell.row());
            int colour = ColourScale.colour(cell.weight() / max);
            for (int y = r.y; y < r.y + r.height; y++) {
                for (int x = r.x; x < r.x + r.width; x++) {
                    int i = y * layout.width() + x;
                    pixels[i] = overlay == null ? colour : blend(colour, pixels[i], OVERLAY_ALPHA);
                }
            }
        }
        legend(image, layout);
        return image;
    }

    /** The layout of a grid, with or without a screenshot under it. */
    public static Layout layout(HeatGrid grid, BufferedImage overlay) {
        HeatmapRequest request = grid.request();
        int cell = request.cell();
        int reference = grid.width();
        int areaWidth = request.x() == XMode.RELATIVE ? reference
                : Math.min(HeatmapRequest.MAX_WIDTH, Math.max(reference, (grid.maxCol() + 1) * cell));
        int overlayHeight = overlay == null ? 0
                : (int) Math.round(overlay.getHeight() * (double) reference / overlay.getWidth());
        int wanted = Math.max(MIN_HEIGHT, Math.max((grid.maxRow() + 1) * cell, overlayHeight));
        int areaHeight = (int) Math.min(wanted, Math.min(MAX_HEIGHT, MAX_AREA_PIXELS / areaWidth));
        boolean cut = areaHeight < wanted;
        int width = Math.max(areaWidth, MIN_IMAGE_WIDTH);
        String maxLabel = weightLabel(grid.maxWeight(), request.weight());
        List<String> legend = new ArrayList<>();
        int chars = (width - 2 * PAD) / BitmapFont.advance(FONT_SCALE);
        for (String line : legend(grid, cut ? areaHeight : 0)) {
            legend.add(line.length() <= chars ? line : line.substring(0, Math.max(0, chars - 3)) + "...");
        }
        int height = areaHeight + 1 + PAD + BAR_HEIGHT + 6 + LINE + 4 + legend.size() * LINE + PAD;
        return new Layout(cell, reference, areaWidth, areaHeight, overlayHeight, width, height, cut, maxLabel,
                List.copyOf(legend));
    }

    /**
     * The legend's text: who and how much ("12 participants, 3,456 samples, clicks by count"), the
     * selection, the page, and what was left out. {@code cutAt} is the area's height when it was cut, else 0.
     */
    public static List<String> legend(HeatGrid grid, int cutAt) {
        HeatmapRequest r = grid.request();
        String weight = switch (r.weight()) {
            case COUNT -> "count";
            case PARTICIPANTS -> "participants";
            case DWELL -> "dwell";
        };
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%,d participant%s, %,d sample%s, %s by %s", grid.participants(),
                grid.participants() == 1 ? "" : "s", grid.samples(), grid.samples() == 1 ? "" : "s",
                r.kind() == Kind.CLICK ? "clicks" : "movement", weight));
        lines.add(String.format(Locale.ROOT, "study %s, condition %s, viewport %s", r.study(),
                r.condition() == null ? "all" : r.condition(),
                r.viewport() == null ? "all widths" : r.viewport().label() + " px"));
        lines.add((r.x() == XMode.RELATIVE ? "x relative at " + grid.width() + " px" : "x absolute") + ", "
                + r.cell() + " px cells" + (r.weight() == Weight.DWELL
                ? String.format(Locale.ROOT, ", dwell <= %,d ms", r.maxDwellMs()) : ""));
        lines.add("page " + (r.url() == null ? "all pages" : r.url()));
        List<String> left = new ArrayList<>();
        if (grid.outside() > 0) {
            left.add(String.format(Locale.ROOT, "%,d samples outside the area", grid.outside()));
        }
        if (cutAt > 0) {
            left.add(String.format(Locale.ROOT, "cut at %,d px", cutAt));
        }
        if (!left.isEmpty()) {
            lines.add(String.join(" | ", left));
        }
        return lines;
    }

    static String weightLabel(double weight, Weight kind) {
        return String.format(Locale.ROOT, kind == Weight.DWELL ? "%,d ms" : "%,d", Math.round(weight));
    }

    private static void legend(BufferedImage image, Layout layout) {
        fill(image, new Rectangle(0, layout.areaHeight(), layout.width(), 1), 0xcccccc);
        Rectangle bar = layout.colourBar();
        for (int x = 0; x < bar.width; x++) {
            fill(image, new Rectangle(bar.x + x, bar.y, 1, bar.height),
                    ColourScale.colour(bar.width == 1 ? 1 : x / (double) (bar.width - 1)));
        }
        draw(image, "0", layout.zeroLabelAt());
        draw(image, layout.maxLabel(), layout.maxLabelAt());
        for (int i = 0; i < layout.legend().size(); i++) {
            draw(image, layout.legend().get(i), layout.line(i));
        }
    }

    private static void draw(BufferedImage image, String text, Point at) {
        BitmapFont.draw(image, text, at.x, at.y, FONT_SCALE, TEXT);
    }

    private static void drawScaled(BufferedImage image, BufferedImage overlay, Layout layout) {
        Graphics2D g = image.createGraphics();
        try {
            g.setClip(layout.area());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(overlay, 0, 0, layout.referenceWidth(), layout.overlayHeight(), null);
        } finally {
            g.dispose();
        }
    }

    private static void fill(BufferedImage image, Rectangle r, int rgb) {
        Rectangle clipped = r.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        for (int y = clipped.y; y < clipped.y + clipped.height; y++) {
            for (int x = clipped.x; x < clipped.x + clipped.width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
    }

    static int blend(int over, int under, double alpha) {
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double c = alpha * (over >> shift & 0xff) + (1 - alpha) * (under >> shift & 0xff);
            rgb |= (int) Math.round(c) << shift;
        }
        return rgb;
    }
}
