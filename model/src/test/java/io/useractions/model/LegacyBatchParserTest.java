package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LegacyBatchParserTest {
    private static final String SEED_BATCH = """
            [{"name":"click","timestamp":1764412800000,"page_x":10,"page_y":220,"client_x":10,"client_y":20,
              "screen_x":110,"screen_y":320,"element_id":"btn","user":"alice","condition_1":"B","trial":3},
             {"name":"mouse move","timestamp":"2025-11-29T10:40:00.050Z","page_x":11,"page_y":221,"client_x":11,
              "client_y":21,"screen_x":111,"screen_y":321,"element_id":null,"user":"alice","condition_1":"B"},
             {"name":"click","timestamp":1764412800000,"page_x":10,"page_y":220,"client_x":10,"client_y":20,
              "screen_x":110,"screen_y":320,"element_id":"btn","user":"alice","condition_1":"B","trial":3}]""";

    private final LegacyBatchParser parser = new LegacyBatchParser(Limits.DEFAULT, "legacy");

    private Batch parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), null, 1764412801000L);
    }

    @Test
    void mapsSeedFieldsOntoV1() {
        Batch batch = parse(SEED_BATCH);
        assertEquals("legacy", batch.study());
        assertEquals("alice", batch.participant());
        assertEquals("B", batch.condition());
        Action click = batch.actions().get(0);
        assertEquals("click", click.type());
        assertEquals(10.0, click.x());
        assertEquals(220.0, click.pageY());
        assertEquals(320.0, click.screenY());
        assertEquals("btn", click.target().id());
        assertEquals(3, click.data().get("trial").intValue());
        Action move = batch.actions().get(1);
        assertEquals("mouse_move", move.type());
        assertEquals("mouse move", move.data().get("name").textValue());
        assertEquals(1764412800050L, move.t());
    }

    @Test
    void identicalActionsGetDistinctIdsAndResendsGetTheSameIds() {
        Batch first = parse(SEED_BATCH);
        Batch again = parse(SEED_BATCH);
        assertNotEquals(first.actions().get(0).id(), first.actions().get(2).id());
        for (int i = 0; i < first.actions().size(); i++) {
            assertEquals(first.actions().get(i).id(), again.actions().get(i).id());
        }
        assertEquals(first.session(), again.session());
    }

    @Test
    void studyParameterWins() {
        Batch batch = parser.parse(SEED_BATCH.getBytes(StandardCharsets.UTF_8), "exp-7", 1L);
        assertEquals("exp-7", batch.study());
    }

    @Test
    void missingTimestampIsNamed() {
        ValidationException e = assertThrows(ValidationException.class, () -> parse("[{\"name\":\"click\"}]"));
        assertEquals("[0].timestamp", e.field());
    }

    @Test
    void nonArrayIsRejected() {
        assertThrows(ValidationException.class, () -> parse("{\"name\":\"click\"}"));
    }
}
