package io.useractions.research.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

    @Test
    void readsQuotedAndUnquotedFields() throws IOException {
        CsvReader csv = reader("\"trial\",sample\r\n\"t,1\",\"say \"\"hi\"\"\"\r\n,\"\"\r\n");
        assertEquals(List.of("trial", "sample"), csv.next());
        assertEquals(List.of("t,1", "say \"hi\""), csv.next());
        assertEquals(List.of("", ""), csv.next());
        assertNull(csv.next());
    }

    @Test
    void countsPhysicalLinesAcrossLineEndsAndQuotedNewlines() throws IOException {
        CsvReader csv = reader("\uFEFFa,b\n\"multi\nline\",x\r\n\r\nlast,y\rcr,z");
        assertEquals(List.of("a", "b"), csv.next());
        assertEquals(1, csv.line());
        assertEquals(List.of("multi\nline", "x"), csv.next());
        assertEquals(2, csv.line());
        assertEquals(List.of("last", "y"), csv.next());
        assertEquals(5, csv.line(), "after the quoted newline and a blank line");
        assertEquals(List.of("cr", "z"), csv.next());
        assertEquals(6, csv.line());
        assertNull(csv.next());
    }

    @Test
    void lastRecordNeedsNoLineEnd() throws IOException {
        CsvReader csv = reader("a\n1,\"2\"");
        csv.next();
        assertEquals(List.of("1", "2"), csv.next());
        assertNull(csv.next());
    }

    @Test
    void refusesBrokenQuotingNamingTheLine() {
        CsvFormatException open = assertThrows(CsvFormatException.class, () -> readAll("a\nb\n\"never closed,1\n2\n"));
        assertEquals(3, open.line());
        CsvFormatException after = assertThrows(CsvFormatException.class, () -> readAll("a\n\"x\"y,1\n"));
        assertEquals(2, after.line());
        CsvFormatException inside = assertThrows(CsvFormatException.class, () -> readAll("a\nb\nx\"y\n"));
        assertEquals(3, inside.line());
    }

    private static CsvReader reader(String text) {
        return new CsvReader(new StringReader(text));
    }

    private static void readAll(String text) throws IOException {
        CsvReader csv = reader(text);
        while (csv.next() != null) {
            // reading is the test
        }
    }
}
