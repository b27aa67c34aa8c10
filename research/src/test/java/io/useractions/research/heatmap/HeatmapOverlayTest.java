package io.useractions.research.heatmap;

import static io.useractions.research.heatmap.HeatmapsTest.assertUniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.useractions.research.heatmap.HeatmapRequest.XMode;
import io.useractions.research.heatmap.OverlayException.Problem;

/** A screenshot under the heat: scaled to the reference width, visible where no cell is; and refused when unsafe. */
class HeatmapOverlayTest {
    private static final int RED = 0xff0000;
    private static final int BLUE = 0x0000ff;

    /** A screenshot at twice the reference width (a 2x display): left half red, right half blue. */
    private static BufferedImage screenshot(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 2 ? RED : BLUE);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    @Test
    void aScreenshotAtTwiceTheReferenceWidthIsScaledToItAndShowsWhereNoHeatIs() {
        HeatGrid grid = HeatmapPngTest.grid(XMode.RELATIVE, 300, 1, 3, new HeatGrid.Cell(0, 0, 2),
                new HeatGrid.Cell(20, 5, 1));
        BufferedImage overlay = screenshot(600, 400);
        HeatmapPng.Layout layout = HeatmapPng.layout(grid, overlay);
        assertEquals(List.of(300, 200, 200), List.of(layout.areaWidth(), layout.overlayHeight(), layout.areaHeight()));
        BufferedImage image = HeatmapPng.render(grid, overlay);
        assertUniform(image, new Rectangle(10, 20, 130, 180), RED);
        assertUniform(image, new Rectangle(160, 0, 40, 200), BLUE);
        assertUniform(image, new Rectangle(210, 0, 90, 200), BLUE);
        assertUniform(image, layout.cell(0, 0), HeatmapPng.blend(ColourScale.TOP, RED, HeatmapPng.OVERLAY_ALPHA));
        assertUniform(image, layout.cell(20, 5), HeatmapPng.blend(ColourScale.colour(0.5), BLUE,
                HeatmapPng.OVERLAY_ALPHA));
        assertUniform(image, new Rectangle(300, 0, layout.width() - 300, 200), HeatmapPng.BEYOND_AREA);
    }

    @Test
    void theAreaCoversDataBelowTheScreenshot() {
        HeatGrid grid = HeatmapPngTest.grid(XMode.RELATIVE, 300, 1, 1, new HeatGrid.Cell(3, 30, 1));
        BufferedImage overlay = screenshot(600, 200);
        HeatmapPng.Layout layout = HeatmapPng.layout(grid, overlay);
        assertEquals(List.of(100, 310), List.of(layout.overlayHeight(), layout.areaHeight()));
        BufferedImage image = HeatmapPng.render(grid, overlay);
        assertUniform(image, new Rectangle(0, 0, 140, 100), RED);
        assertUniform(image, new Rectangle(0, 100, 300, 200), HeatmapPng.BACKGROUND);
        assertUniform(image, layout.cell(3, 30), HeatmapPng.blend(ColourScale.TOP, HeatmapPng.BACKGROUND,
                HeatmapPng.OVERLAY_ALPHA));
    }

    @Test
    void pngAndJpegAreRead() throws IOException {
        BufferedImage image = screenshot(60, 40);
        for (String format : List.of("png", "jpeg")) {
            BufferedImage read = Overlay.read(encode(image, format), 1_000_000, 10_000);
            assertEquals(List.of(60, 40), List.of(read.getWidth(), read.getHeight()), format);
        }
    }

    @Test
    void whatIsNotAPngOrJpegIsRefused() throws IOException {
        assertEquals(Problem.EMPTY, assertThrows(OverlayException.class,
                () -> Overlay.read(new byte[0], 1000, 1000)).problem());
        for (byte[] bytes : List.of("<html>not an image</html>".getBytes(StandardCharsets.UTF_8),
                encode(screenshot(10, 10), "gif"), truncated(encode(screenshot(10, 10), "png")))) {
            OverlayException e = assertThrows(OverlayException.class, () -> Overlay.read(bytes, 100_000, 100_000));
            assertEquals(Problem.NOT_AN_IMAGE, e.problem(), e.getMessage());
            assertFalse(e.tooLarge());
            assertTrue(e.getMessage().startsWith("overlay: "), e.getMessage());
        }
    }

    @Test
    void tooManyBytesAreRefused() throws IOException {
        byte[] png = encode(screenshot(60, 40), "png");
        OverlayException e = assertThrows(OverlayException.class, () -> Overlay.read(png, png.length - 1, 10_000));
        assertEquals(Problem.TOO_MANY_BYTES, e.problem());
        assertTrue(e.tooLarge());
        assertEquals(60, Overlay.read(png, png.length, 10_000).getWidth());
    }

    @Test
    void tooManyPixelsAreRefusedFromTheHeaderBeforeDecoding() throws IOException {
        // a header and no pixel data: decoding it would fail, so a pixel refusal proves none was tried
        byte[] headerOnly = pngHeader(100, 100);
        assertEquals(Problem.NOT_AN_IMAGE, assertThrows(OverlayException.class,
                () -> Overlay.read(headerOnly, 1000, 10_000)).problem());
        OverlayException e = assertThrows(OverlayException.class, () -> Overlay.read(headerOnly, 1000, 9_999));
        assertEquals(Problem.TOO_MANY_PIXELS, e.problem());
        assertEquals("overlay: the image is 100 x 100 pixels, more than the limit of 9,999 pixels", e.getMessage());
        // 10^10 pixels (40 GB decoded) in 57 bytes
        assertEquals(Problem.TOO_MANY_PIXELS, assertThrows(OverlayException.class,
                () -> Overlay.read(pngHeader(100_000, 100_000), 1000, 50_000_000)).problem());
    }

    private static byte[] truncated(byte[] bytes) {
        return Arrays.copyOf(bytes, 40);
    }

    /** A PNG signature, an IHDR chunk (8-bit RGB) and IEND: dimensions without image data. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream fields = new DataOutputStream(ihdr);
        fields.writeInt(width);
        fields.writeInt(height);
        fields.write(new byte[] {8, 2, 0, 0, 0});
        chunk(data, "IHDR", ihdr.toByteArray());
        chunk(data, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] body) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(body);
        out.writeInt(body.length);
        out.write(name);
        out.write(body);
        out.writeInt((int) crc.getValue());
    }
}
