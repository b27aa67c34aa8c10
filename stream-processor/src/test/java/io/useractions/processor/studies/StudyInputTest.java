package io.useractions.processor.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class StudyInputTest {
    private static final Duration MAX = StudyInput.MAX_OVERLAP;

    @Test
    void durationsInShortAndIsoForm() {
        assertEquals(Duration.ofSeconds(90), StudyInput.duration("90s", "overlap", MAX));
        assertEquals(Duration.ofMinutes(10), StudyInput.duration("10m", "overlap", MAX));
        assertEquals(Duration.ofHours(2), StudyInput.duration("2h", "overlap", MAX));
        assertEquals(Duration.ofDays(7), StudyInput.duration("7d", "overlap", MAX));
        assertEquals(Duration.ZERO, StudyInput.duration("0", "overlap", MAX));
        assertEquals(Duration.ofMinutes(10), StudyInput.duration("PT10M", "overlap", MAX));
        assertNull(StudyInput.duration(null, "overlap", MAX));
    }

    @Test
    void badDurationsNameTheField() {
        for (String bad : List.of("10", "ten minutes", "10w", "-5m", "PT-1S", "91d", "m", "P")) {
            StudyException e = assertThrows(StudyException.class, () -> StudyInput.duration(bad, "overlap", MAX), bad);
            assertEquals(400, e.answer().status());
            assertEquals("invalid_duration", e.answer().error());
            assertEquals("overlap", e.answer().field());
        }
    }

    @Test
    void originsAreWhatBrowsersSend() {
        assertEquals(List.of("https://a.example", "http://127.0.0.1:8090", "*"),
                StudyInput.origins(List.of("https://a.example", "http://127.0.0.1:8090", "*", "https://a.example")));
        for (String bad : Arrays.asList("https://a.example/", "https://a.example/path", "ftp://a.example", "a.example",
                "https://A.example", "https://u@a.example", "https://a.example?x", "", null)) {
            StudyException e = assertThrows(StudyException.class,
                    () -> StudyInput.origins(Arrays.asList("https://ok.example", bad)), String.valueOf(bad));
            assertEquals("invalid_origin", e.answer().error());
            assertEquals("origins[1]", e.answer().field());
        }
    }

    @Test
    void studyIdsFollowTheWireFormat() {
        assertEquals("s-1.b_c", StudyInput.id("s-1.b_c"));
        StudyException e = assertThrows(StudyException.class, () -> StudyInput.id("has space"));
        assertEquals("invalid_study", e.answer().error());
        assertEquals("id", e.answer().field());
    }
}
