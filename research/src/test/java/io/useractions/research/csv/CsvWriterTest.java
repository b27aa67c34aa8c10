package io.useractions.research.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvWriterTest {

    @Test
    void quotesOnlyWhatNeedsQuotesAndEndsRecordsWithCrLf() throws IOException {
        StringWriter out = new StringWriter();
        try (CsvWriter csv = new CsvWriter(out)) {
            csv.record("plain", "a,b", "say \"hi\"", "two\nlines", null, "");
            csv.field(1.5).field(Double.NaN).field(53L).field(-0.0).endRecord();
        }
        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\r\n1.5,,53,0\r\n", out.toString());
    }

    @Test
    void writesUtf8() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter csv = CsvWriter.utf8(bytes)) {
            csv.record("Zürich", "→");
        }
        assertEquals("Zürich,→\r\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void numbersReadBackToTheSameDouble() {
        for (double v : new double[] {0.1, 1587, -49.0545295947031, 89047.4499999993, 6.33e-16, 1e300, -1e-310,
                Math.PI, 1e15, 123456789012345.6}) {
            String text = CsvWriter.formatNumber(v);
            assertEquals(v, Double.parseDouble(text), text);
        }
        assertEquals("1587", CsvWriter.formatNumber(1587.0));
        assertEquals("Inf", CsvWriter.formatNumber(Double.POSITIVE_INFINITY));
        assertEquals("", CsvWriter.formatNumber(Double.NaN));
    }

    @Test
    void whatItWritesTheReaderReadsBack() throws IOException {
        StringWriter out = new StringWriter();
        List<String> fields = List.of("\"", ",", "\r\n", " spaced ", "ü");
        try (CsvWriter csv = new CsvWriter(out)) {
            csv.record(fields);
        }
        assertEquals(fields, new CsvReader(new StringReader(out.toString())).next());
    }
}
