package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CopyRowsTest {

    private static String time(long millis) {
        CopyRows.Utf8Rows out = new CopyRows.Utf8Rows(1);
        out.time(millis);
        String text = out.toString();
        assertEquals('\t', text.charAt(text.length() - 1));
        return text.substring(0, text.length() - 1);
    }

    private static String number(Double value) {
        CopyRows.Utf8Rows out = new CopyRows.Utf8Rows(1);
        out.number(value);
        return out.toString();
    }

    @Test
    void timesReadBackAsTheSameInstant() {
        SplittableRandom random = new SplittableRandom(7);
        long last = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-30_610_224_000_000L, last + 1);
            assertEquals(Instant.ofEpochMilli(millis), Instant.parse(time(millis)), "epoch ms " + millis);
        }
        assertEquals("1970-01-01T00:00:00.000Z", time(0));
        assertEquals("2024-02-29T23:59:59.999Z", time(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli()));
        assertEquals("1969-12-31T23:59:59.999Z", time(-1));
    }

    @Test
    void yearsOutsideFourDigitsFallBackToInstantFormatting() {
        long far = Instant.parse("+12000-01-01T00:00:00Z").toEpochMilli();
        assertEquals(Instant.ofEpochMilli(far).toString(), time(far));
        assertEquals(Instant.ofEpochMilli(-62_000_000_000_000L).toString(), time(-62_000_000_000_000L));
    }

    @Test
    void wholeNumbersPrintAsIntegersAndOthersReadBackExactly() {
        assertEquals("12\t", number(12.0));
        assertEquals("-3\t", number(-3.0));
        assertEquals("0\t", number(0.0));
        assertEquals("-0.0\t", number(-0.0));
        assertEquals("1.0E15\t", number(1e15));
        assertEquals("NaN\t", number(Double.NaN));
        assertEquals("-Infinity\t", number(Double.NEGATIVE_INFINITY));
        assertEquals("\\N\t", number(null));
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            double d = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-5, 20));
            String text = number(d);
            assertEquals(d, Double.parseDouble(text.substring(0, text.length() - 1)), text);
        }
    }

    @Test
    void textEscapesWhatCopyTreatsAsSyntax() {
        CopyRows.Utf8Rows out = new CopyRows.Utf8Rows(1);
        out.text("a\\b\tc\nd\re \\N");
        out.text(null);
        out.text("Zoë 😀 ∑ \uD800x");
        out.number(-1234567890123L);
        out.number(Long.MIN_VALUE);
        out.endRow();
        assertEquals("a\\\\b\\tc\\nd\\re \\\\N\t\\N\tZoë 😀 ∑ ?x\t-1234567890123\t" + Long.MIN_VALUE + "\n",
                out.toString());
    }
}
