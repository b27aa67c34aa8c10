package io.useractions.research.heatmap;

/**
 * viridis, matplotlib's perceptually uniform colour scale: dark purple for the least, yellow for the most.
 * Its lightness rises steadily, so it stays readable to colour-blind eyes and in greyscale, and it never
 * reaches white, so any weight stays distinct from an empty cell.
 */
public final class ColourScale {
    // viridis at 0, 1/8, ..., 1 (viridisLite's viridis(9)), linearly interpolated between
    private static final int[] ANCHORS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21908c, 0x27ad81, 0x5dc863,
            0xaadc32, 0xfde725};

    public static final int BOTTOM = ANCHORS[0];
    public static final int TOP = ANCHORS[ANCHORS.length - 1];

    private ColourScale() {
    }

    /** The colour (0xRRGGBB) of a fraction of the maximum weight, clamped to [0, 1]. */
    public static int colour(double fraction) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        double position = f * (ANCHORS.length - 1);
        int i = Math.min((int) position, ANCHORS.length - 2);
        double t = position - i;
        int a = ANCHORS[i];
        int b = ANCHORS[i + 1];
        return channel(a, b, 16, t) << 16 | channel(a, b, 8, t) << 8 | channel(a, b, 0, t);
    }

    private static int channel(int a, int b, int shift, double t) {
        int from = a >> shift & 0xff;
        int to = b >> shift & 0xff;
        return (int) Math.round(from + (to - from) * t);
    }
}
