package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void rawAndDeadLettersAreKeptForeverAndOnlyTheDeadLettersHaveOnePartition() {
        assertEquals(List.of(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER), Topics.names());
        assertEquals("-1", Topics.spec(Topics.RAW).configs().get("retention.ms"));
        assertEquals("-1", Topics.spec(Topics.DEAD_LETTER).configs().get("retention.ms"));
        assertEquals(null, Topics.spec(Topics.PROJECTION).configs().get("retention.ms"));
        assertEquals(7, Topics.spec(Topics.RAW).partitions(7));
        assertEquals(7, Topics.spec(Topics.PROJECTION).partitions(7));
        assertEquals(1, Topics.spec(Topics.DEAD_LETTER).partitions(7));
    }

    @Test
    void renamedTopicKeepsItsSettingsAndConfigsAreSorted() {
        TopicSpec copy = Topics.spec(Topics.RAW).named("bench-raw");
        assertEquals(new TopicSpec("bench-raw", true, Topics.spec(Topics.RAW).configs()), copy);
        assertEquals(List.of("cleanup.policy", "compression.type", "retention.bytes", "retention.ms"),
                List.copyOf(copy.configs().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> copy.configs().put("retention.ms", "1"));
        assertEquals(Map.of(), new TopicSpec("t", false, Map.of()).configs());
    }

    @Test
    void unknownTopicIsNamedWithThePipelinesTopics() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.spec("ui-action"));
        assertEquals("ui-action is none of the pipeline's topics [ui-actions, ui-actions-projection, ui-actions-dlq]",
                e.getMessage());
    }
}
