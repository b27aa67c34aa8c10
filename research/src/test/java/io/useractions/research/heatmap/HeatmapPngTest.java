package io.useractions.research.heatmap;

import static io.useractions.research.heatmap.HeatmapsTest.assertUniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.useractions.research.heatmap.HeatmapRequest.Kind;
import io.useractions.research.heatmap.HeatmapRequest.Weight;
import io.useractions.research.heatmap.HeatmapRequest.XMode;

/** Rendering a grid: flat cells in the scale, the area's size, the legend in the bitmap font. */
class HeatmapPngTest {

    static HeatGrid grid(XMode x, int width, long participants, long samples, HeatGrid.Cell... cells) {
        HeatmapRequest request = new HeatmapRequest("demo", Kind.CLICK, null, null, null, x, Weight.COUNT, 10, 2000,
                null);
        return new HeatGrid(request, width, participants, samples, 0, List.of(cells));
    }

    private static HeatGrid.Cell cell(int col, int row, double weight) {
        return new HeatGrid.Cell(col, row, weight);
    }

    @Test
    void eachCellIsAFlatRectangleInTheColourOfItsShareOfTheHottest() {
        HeatGrid grid = grid(XMode.RELATIVE, 400, 3, 7, cell(1, 1, 4), cell(5, 2, 2), cell(39, 0, 1));
        BufferedImage image = HeatmapPng.render(grid);
        HeatmapPng.Layout layout = HeatmapPng.layout(grid, null);
        assertEquals(new Rectangle(10, 10, 10, 10), layout.cell(1, 1));
        assertUniform(image, layout.cell(1, 1), ColourScale.TOP);
        assertUniform(image, layout.cell(5, 2), ColourScale.colour(0.5));
        assertUniform(image, new Rectangle(390, 0, 10, 10), ColourScale.colour(0.25));
        int coloured = 0;
        for (int y = 0; y < layout.areaHeight(); y++) {
            for (int x = 0; x < layout.areaWidth(); x++) {
                coloured += (image.getRGB(x, y) & 0xffffff) == HeatmapPng.BACKGROUND ? 0 : 1;
            }
        }
        assertEquals(300, coloured, "three cells of 10 x 10, everything else background");
    }

    @Test
    void theAreaIsTheReferenceWidthAndReachesTheLowestCell() {
        HeatmapPng.Layout relative = HeatmapPng.layout(grid(XMode.RELATIVE, 400, 1, 1, cell(2, 49, 1)), null);
        assertEquals(List.of(400, 500, HeatmapPng.MIN_IMAGE_WIDTH), List.of(relative.areaWidth(),
                relative.areaHeight(), relative.width()));
        HeatmapPng.Layout empty = HeatmapPng.layout(grid(XMode.RELATIVE, 400, 0, 0), null);
        assertEquals(HeatmapPng.MIN_HEIGHT, empty.areaHeight());
        HeatmapPng.Layout absolute = HeatmapPng.layout(grid(XMode.ABSOLUTE, 400, 1, 1, cell(70, 0, 1)), null);
        assertEquals(710, absolute.areaWidth(), "absolute x wider than the reference width widens the area");
    }

    @Test
    void aPageTallerThanTheLimitIsCutAndTheLegendSaysSo() {
        HeatmapPng.Layout layout = HeatmapPng.layout(grid(XMode.RELATIVE, 1000, 1, 2, cell(0, 0, 1),
                cell(0, 2999, 1)), null);
        assertEquals(HeatmapPng.MAX_HEIGHT, layout.areaHeight());
        assertTrue(layout.cut());
        assertEquals("cut at 20,000 px", layout.legend().get(4));
        assertTrue(layout.cell(0, 2999).isEmpty());
        HeatmapPng.Layout wide = HeatmapPng.layout(grid(XMode.RELATIVE, 4000, 1, 1, cell(0, 1999, 1)), null);
        assertEquals(HeatmapPng.MAX_AREA_PIXELS / 4000, wide.areaHeight(), "a wide area is cut by its pixels");
    }

    @Test
    void theLegendStatesParticipantsAndSamplesInTheBitmapFont() {
        HeatGrid grid = grid(XMode.RELATIVE, 1000, 12, 3456, cell(0, 0, 37), cell(3, 3, 5));
        HeatmapPng.Layout layout = HeatmapPng.layout(grid, null);
        assertEquals(List.of("12 participants, 3,456 samples, clicks by count",
                "study demo, condition all, viewport all widths", "x relative at 1000 px, 10 px cells",
                "page all pages"), layout.legend());
        BufferedImage image = HeatmapPng.render(grid);
        for (int i = 0; i < layout.legend().size(); i++) {
            assertDrawn(image, layout.legend().get(i), layout.line(i));
        }
        assertDrawn(image, "0", layout.zeroLabelAt());
        assertDrawn(image, "37", layout.maxLabelAt());
    }

    @Test
    void theLegendNamesTheWeightAndSingleCounts() {
        HeatmapRequest move = new HeatmapRequest("demo", Kind.MOVE, "https://app/a", "B", ViewportBucket.parse("1920-"),
                XMode.ABSOLUTE, Weight.DWELL, 20, 1500, null);
        List<String> legend = HeatmapPng.legend(new HeatGrid(move, 1920, 1, 1, 4, List.of()), 0);
        assertEquals(List.of("1 participant, 1 sample, movement by dwell", "study demo, condition B, viewport 1920- px",
                "x absolute, 20 px cells, dwell <= 1,500 ms", "page https://app/a", "4 samples outside the area"),
                legend);
        assertEquals("12,345 ms", HeatmapPng.weightLabel(12_345.4, Weight.DWELL));
    }

    @Test
    void aLineTooLongForTheImageIsShortened() {
        HeatmapRequest request = new HeatmapRequest("demo", Kind.CLICK, "https://app/" + "x".repeat(200), null, null,
                XMode.RELATIVE, Weight.COUNT, 10, 2000, null);
        HeatmapPng.Layout layout = HeatmapPng.layout(new HeatGrid(request, 640, 0, 0, 0, List.of()), null);
        String page = layout.legend().get(3);
        assertTrue(page.endsWith("...") && BitmapFont.width(page, HeatmapPng.FONT_SCALE) <= layout.width() - 24, page);
    }

    @Test
    void theColourBarRunsFromTheBottomToTheTopColour() {
        HeatGrid grid = grid(XMode.RELATIVE, 800, 1, 1, cell(0, 0, 1));
        BufferedImage image = HeatmapPng.render(grid);
        Rectangle bar = HeatmapPng.layout(grid, null).colourBar();
        assertUniform(image, new Rectangle(bar.x, bar.y, 1, bar.height), ColourScale.BOTTOM);
        assertUniform(image, new Rectangle(bar.x + bar.width - 1, bar.y, 1, bar.height), ColourScale.TOP);
        double previous = -1;
        for (int x = bar.x; x < bar.x + bar.width; x++) {
            double lightness = luminance(image.getRGB(x, bar.y));
            assertTrue(lightness > previous - 1, "lighter to the right at x " + x + " (within 8-bit rounding)");
            previous = lightness;
        }
    }

    @Test
    void theScaleRisesInLightnessAndNeverReachesWhite() {
        assertEquals(0x440154, ColourScale.colour(0));
        assertEquals(0xfde725, ColourScale.colour(1));
        assertEquals(ColourScale.TOP, ColourScale.colour(7), "clamped");
        double previous = -1;
        for (int i = 0; i <= 1000; i++) {
            int rgb = ColourScale.colour(i / 1000.0);
            assertNotEquals(HeatmapPng.BACKGROUND, rgb);
            assertTrue(luminance(rgb) > previous - 1, "at " + i / 1000.0 + " (within 8-bit rounding)");
            previous = luminance(rgb);
        }
        for (int eighth = 1; eighth <= 8; eighth++) {
            assertTrue(luminance(ColourScale.colour(eighth / 8.0)) > luminance(ColourScale.colour((eighth - 1) / 8.0)));
        }
    }

    @Test
    void thePngHoldsTheRenderedPixels() throws Exception {
        HeatGrid grid = grid(XMode.RELATIVE, 300, 2, 3, cell(4, 4, 2), cell(8, 1, 1));
        BufferedImage rendered = HeatmapPng.render(grid);
        byte[] png = HeatmapPng.png(grid);
        assertEquals(List.of(0x89, (int) 'P', (int) 'N', (int) 'G'), List.of(png[0] & 0xff, (int) png[1], (int) png[2],
                (int) png[3]));
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(rendered.getWidth(), read.getWidth());
        assertEquals(rendered.getHeight(), read.getHeight());
        for (int y = 0; y < read.getHeight(); y++) {
            for (int x = 0; x < read.getWidth(); x++) {
                assertEquals(rendered.getRGB(x, y), read.getRGB(x, y));
            }
        }
    }

    private static double luminance(int rgb) {
        return 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
    }

    /** The text's pixels (and the blank around its glyphs) are exactly what the font draws on white. */
    private static void assertDrawn(BufferedImage image, String text, Point at) {
        int width = BitmapFont.width(text, HeatmapPng.FONT_SCALE);
        int height = BitmapFont.height(HeatmapPng.FONT_SCALE);
        BufferedImage expected = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                expected.setRGB(x, y, HeatmapPng.BACKGROUND);
            }
        }
        BitmapFont.draw(expected, text, 0, 0, HeatmapPng.FONT_SCALE, HeatmapPng.TEXT);
        int ink = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int want = expected.getRGB(x, y) & 0xffffff;
                ink += want == HeatmapPng.TEXT ? 1 : 0;
                assertEquals(want, image.getRGB(at.x + x, at.y + y) & 0xffffff,
                        "'" + text + "' at (" + x + ", " + y + ")");
            }
        }
        assertTrue(ink > 0, "'" + text + "' has ink");
    }
}
