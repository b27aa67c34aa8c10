package io.useractions.research.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The legend's bitmap font: every printable character its own glyph, drawn at the asked scale. */
class HeatmapFontTest {

    private static String glyph(char ch) {
        StringBuilder bits = new StringBuilder();
        for (int row = 0; row < BitmapFont.GLYPH_HEIGHT; row++) {
            for (int col = 0; col < BitmapFont.GLYPH_WIDTH; col++) {
                bits.append(BitmapFont.ink(ch, col, row) ? '#' : '.');
            }
        }
        return bits.toString();
    }

    @Test
    void everyPrintableCharacterHasItsOwnGlyph() {
        Map<String, Character> seen = new HashMap<>();
        for (char ch = '!'; ch <= '~'; ch++) {
            String glyph = glyph(ch);
            assertTrue(glyph.contains("#"), "'" + ch + "' has ink");
            Character before = seen.put(glyph, ch);
            assertEquals(null, before, "'" + ch + "' looks like '" + before + "'");
        }
        assertEquals(".".repeat(35), glyph(' '));
        assertEquals(glyph('?'), glyph('\u00e9'), "a character outside ASCII is a question mark");
    }

    @Test
    void aGlyphIsDrawnAsScaledSquaresOneColumnApart() {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        BitmapFont.draw(image, "1l", 1, 2, 2, 0xffffff);
        assertEquals(22, BitmapFont.width("1l", 2));
        int lit = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                boolean ink = (image.getRGB(x, y) & 0xffffff) != 0;
                lit += ink ? 1 : 0;
                int col = (x - 1) % 12 / 2;
                int row = (y - 2) / 2;
                boolean expected = x >= 1 && y >= 2 && x < 23 && row < 7 && col < 5
                        && BitmapFont.ink("1l".charAt((x - 1) / 12), col, row);
                assertEquals(expected, ink, "(" + x + ", " + y + ")");
            }
        }
        assertEquals(4 * (glyph('1') + glyph('l')).chars().filter(c -> c == '#').count(), lit);
    }
}
