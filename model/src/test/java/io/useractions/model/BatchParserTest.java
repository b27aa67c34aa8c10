package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class BatchParserTest {
    private static final String ID1 = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01";
    private static final String ID2 = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a02";

    private final BatchParser parser = new BatchParser(Limits.DEFAULT);

    static String batch(String actions) {
        return """
                {"study":"demo","participant":"p-001","session":"4f1d2c3b-0000-4000-8000-000000000001",
                 "condition":"A","sent_at":1764412800123,
                 "context":{"user_agent":"UA","screen_w":1920,"screen_h":1080,"dpr":2},
                 "actions":[%s]}""".formatted(actions);
    }

    static String click(String id, int seq) {
        return """
                {"id":"%s","seq":%d,"type":"click","t":1764412800000,"t_mono":1234.56,
                 "url":"https://app/page","x":10,"y":20,"page_x":10,"page_y":220,
                 "screen_x":110,"screen_y":320,"vw":1280,"vh":800,
                 "target":{"id":"btn","selector":"main > button#btn","attrs":{"data-trial":"3"}},
                 "data":{"any":"custom values"}}""".formatted(id, seq);
    }

    private Batch parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private ValidationException rejected(String json) {
        return assertThrows(ValidationException.class, () -> parse(json));
    }

    /** The click of {@link #click} with {@code from} replaced by {@code to} is rejected, at {@code field}. */
    private ValidationException rejectedAt(String field, String from, String to) {
        ValidationException e = rejected(batch(click(ID1, 1).replace(from, to)));
        assertEquals(field, e.field());
        return e;
    }

    @Test
    void parsesTheDocumentedExample() {
        Batch batch = parse(batch(click(ID1, 1)));
        assertEquals("demo", batch.study());
        assertEquals("A", batch.condition());
        assertEquals(1920, batch.context().screenW());
        Action action = batch.actions().get(0);
        assertEquals(UUID.fromString(ID1), action.id());
        assertEquals(1764412800000L, action.t());
        assertEquals(1234.56, action.tMono());
        assertEquals(220.0, action.pageY());
        assertEquals("3", action.target().attrs().get("data-trial"));
        assertEquals("custom values", action.data().get("any").textValue());
        assertTrue(action.hasPointer());
    }

    @Test
    void keyActionWithoutPointerFieldsIsValid() {
        Batch batch = parse(batch("""
                {"id":"%s","seq":2,"type":"keydown","t":1764412800001}""".formatted(ID1)));
        Action action = batch.actions().get(0);
        assertFalse(action.hasPointer());
        assertNull(action.target());
    }

    @Test
    void malformedJsonSaysWhere() {
        ValidationException e = rejected("{\"study\": \"demo\",");
        assertEquals("", e.field());
        assertTrue(e.getMessage().startsWith("malformed JSON at line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
    }

    @Test
    void mismatchedBracketSaysWhatWasExpectedWithoutParserInternals() {
        ValidationException e = rejected("{\"study\":\"demo\",\"actions\":[}");
        assertEquals("malformed JSON at line 1, column 28: Unexpected close marker '}': expected ']'", e.getMessage());
    }

    @Test
    void missingFieldIsNamed() {
        ValidationException e = rejected(batch(click(ID1, 1)).replace("\"participant\":\"p-001\",", ""));
        assertEquals("participant", e.field());
        assertEquals("participant: is required", e.getMessage());
    }

    @Test
    void wrongTypeInsideAnActionIsNamedWithItsIndex() {
        ValidationException e = rejected(batch(click(ID1, 1) + "," + click(ID2, 2).replace("\"t\":1764412800000",
                "\"t\":\"yesterday\"")));
        assertEquals("actions[1].t", e.field());
        assertTrue(e.getMessage().contains("must be an integer"));
    }

    @Test
    void duplicateIdsInsideOneBatchAreRejected() {
        ValidationException e = rejected(batch(click(ID1, 1) + "," + click(ID1, 2)));
        assertEquals("actions[1].id", e.field());
        assertTrue(e.getMessage().contains("actions[0]"));
    }

    @Test
    void idMustBeAUuid() {
        assertEquals("actions[0].id", rejected(batch(click("not-a-uuid", 1))).field());
        assertEquals("actions[0].id", rejected(batch(click("", 1))).field());
    }

    @Test
    void idIsReadInEitherCaseAndEveryGroupIsChecked() {
        String upper = "F47AC10B-58CC-4372-A567-0E02B2C3D479";
        Batch batch = parse(batch(click(upper, 1)));
        assertEquals(UUID.fromString(upper), batch.actions().get(0).id());
        String valid = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
        for (int i = 0; i < valid.length(); i++) {
            String broken = valid.substring(0, i) + (valid.charAt(i) == '-' ? '0' : 'g') + valid.substring(i + 1);
            ValidationException e = rejected(batch(click(broken, 1)));
            assertEquals("actions[0].id", e.field(), broken);
            assertTrue(e.getMessage().contains("must be a UUID"), e.getMessage());
        }
    }

    @Test
    void emptyBatchIsRejected() {
        assertEquals("actions", rejected(batch("")).field());
    }

    @Test
    void unknownFieldIsRejectedSoTyposDoNotVanish() {
        rejectedAt("actions[0].timestamp", "\"vh\":800", "\"vh\":800,\"timestamp\":1");
    }

    @Test
    void nulCharacterIsRejectedBecausePostgresCannotStoreIt() {
        ValidationException e = rejectedAt("actions[0].data.any", "custom values", "a\\u0000b");
        assertTrue(e.getMessage().contains("NUL"));
    }

    @Test
    void loneSurrogateIsRejected() {
        rejectedAt("actions[0].target.id", "\"btn\"", "\"\\ud800x\"");
    }

    @Test
    void surrogatePairsAreValidText() {
        Batch batch = parse(batch(click(ID1, 1).replace("custom values", "\\ud83d\\ude00")));
        assertEquals("\uD83D\uDE00", batch.actions().get(0).data().get("any").textValue());
    }

    @Test
    void deeplyNestedDataIsRejected() {
        String nested = "{\"a\":".repeat(9) + "1" + "}".repeat(9);
        ValidationException e = rejected(batch(click(ID1, 1).replace("{\"any\":\"custom values\"}", nested)));
        assertTrue(e.field().startsWith("actions[0].data"), e.field());
    }

    @Test
    void hundredLevelNestingIsAParseErrorNotAStackOverflow() {
        String nested = "[".repeat(100) + "]".repeat(100);
        ValidationException e = rejected(batch(click(ID1, 1).replace("\"custom values\"", nested)));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void tooManyActionsIsASizeError() {
        BatchParser small = new BatchParser(new Limits(1, 16384, 8));
        ValidationException e = assertThrows(ValidationException.class,
                () -> small.parse(batch(click(ID1, 1) + "," + click(ID2, 2)).getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.tooLarge());
        assertEquals("actions", e.field());
    }

    @Test
    void timestampBefore1970IsRejected() {
        rejectedAt("actions[0].t", "1764412800000", "-5");
    }

    @Test
    void xWithoutYIsRejected() {
        rejectedAt("actions[0].y", "\"y\":20,", "");
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertTrue(rejected(batch(click(ID1, 1)).replace("\"condition\":\"A\"", "\"condition\":\"A\",\"condition\":\"B\""))
                .getMessage().contains("Duplicate field"));
    }

    @Test
    void duplicateKeysAnywhereAreMalformedAndNamed() {
        String twoActionArrays = batch(click(ID1, 1)).replaceFirst("\\{", "{\"actions\":[" + click(ID2, 2) + "],");
        String inAction = batch(click(ID1, 1).replace("\"seq\":1", "\"seq\":1,\"seq\":2"));
        String inData = batch(click(ID1, 1).replace("\"any\":\"custom values\"", "\"k\":1,\"k\":2"));
        for (String body : List.of(twoActionArrays, inAction, inData)) {
            String message = rejected(body).getMessage();
            assertTrue(message.matches("malformed JSON at line \\d+, column \\d+: Duplicate field '\\w+'"), message);
        }
    }

    @Test
    void membersInAnotherOrderThanTheLastActionsAreReadTheSame() {
        // The reader guesses each name from the order it met last; a different order must not matter.
        String usual = click(ID1, 1);
        String reordered = "{\"t\":1764412800000,\"type\":\"click\",\"seq\":2,\"id\":\"" + ID2
                + "\",\"y\":20,\"x\":10}";
        Batch batch = parse(batch(usual + "," + reordered + "," + usual.replace(ID1, ID2.replace("02", "03"))));
        Action second = batch.actions().get(1);
        assertEquals(UUID.fromString(ID2), second.id());
        assertEquals(2, second.seq());
        assertEquals("click", second.type());
        assertEquals(10.0, second.x());
        assertEquals(20.0, second.y());
        assertEquals(batch.actions().get(0).target(), batch.actions().get(2).target());
        // After "type" the reader now guesses "seq" (the reordered action's order); a repeated guess is a duplicate.
        String repeated = "{\"id\":\"" + ID2 + "\",\"seq\":2,\"t\":1,\"type\":\"click\",\"seq\":3}";
        String message = rejected(batch(usual + "," + reordered.replace(ID2, ID1.replace("01", "04")) + ","
                + repeated)).getMessage();
        assertTrue(message.endsWith("Duplicate field 'seq'"), message);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = batch(click(ID1, 1)).getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.UTF_8).indexOf("custom");
        body[at] = (byte) 0xC3;
        body[at + 1] = (byte) 0x28;
        ValidationException e = assertThrows(ValidationException.class, () -> parser.parse(body));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void emptyBodyAndNonObjectRootAreRejected() {
        assertThrows(ValidationException.class, () -> parser.parse(new byte[0]));
        assertEquals("", rejected("[1,2]").field());
    }
}
