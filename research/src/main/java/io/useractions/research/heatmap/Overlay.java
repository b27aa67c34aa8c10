package io.useractions.research.heatmap;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import io.useractions.research.heatmap.OverlayException.Problem;

/**
 * A screenshot to draw a heatmap over, read from untrusted bytes: PNG or JPEG only, limited in bytes and
 * in pixels. The pixel limit is checked on the header's dimensions before decoding, so a small file that
 * decompresses to gigabytes (a decompression bomb) is refused without allocating it.
 */
public final class Overlay {
    private static final Set<String> FORMATS = Set.of("png", "jpeg");

    private Overlay() {
    }

    public static BufferedImage read(byte[] bytes, long maxBytes, long maxPixels) {
        if (bytes == null || bytes.length == 0) {
            throw new OverlayException(Problem.EMPTY, "the image is empty");
        }
        if (bytes.length > maxBytes) {
            throw new OverlayException(Problem.TOO_MANY_BYTES, String.format(Locale.ROOT,
                    "the image has %,d bytes, more than the limit of %,d", bytes.length, maxBytes));
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new OverlayException(Problem.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                            "the image is %,d x %,d pixels, more than the limit of %,d pixels", width, height,
                            maxPixels));
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof OverlayException overlay) {
                throw overlay;
            }
            throw new OverlayException(Problem.NOT_AN_IMAGE, "the image cannot be decoded: " + e.getMessage());
        }
    }

    private static ImageReader reader(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                    return reader;
                }
            } catch (IOException e) {
                // a reader that cannot name its format is not one of ours
            }
            reader.dispose();
        }
        throw new OverlayException(Problem.NOT_AN_IMAGE, "not a PNG or JPEG image");
    }
}
