package io.useractions.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AssignmentResourceTest {
    private static StudyConfig conditions(String... names) {
        return new StudyConfig() {
            @Override
            public String ingestUrl() {
                return "http://127.0.0.1:8080/v1/batches";
            }

            @Override
            public String name() {
                return "demo";
            }

            @Override
            public String writeKey() {
                return "key";
            }

            @Override
            public List<String> conditions() {
                return List.of(names);
            }

            @Override
            public int trials() {
                return 1;
            }
        };
    }

    @Test
    void newParticipantsAreBalancedAcrossConditionsAtEveryStep() {
        AssignmentResource resource = new AssignmentResource(conditions("A", "B", "C"));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.merge(resource.assign("p-" + i).condition(), 1, Integer::sum);
            int max = counts.values().stream().max(Integer::compare).orElseThrow();
            int min = counts.size() < 3 ? 0 : counts.values().stream().min(Integer::compare).orElseThrow();
            assertTrue(max - min <= 1, "unbalanced after " + (i + 1) + ": " + counts);
        }
        assertEquals(Map.of("A", 10, "B", 10, "C", 10), counts);
    }

    @Test
    void returningParticipantDoesNotCountTwice() {
        AssignmentResource resource = new AssignmentResource(conditions("A", "B"));
        String first = resource.assign("x").condition();
        assertEquals(first, resource.assign("x").condition());
        assertTrue(!first.equals(resource.assign("y").condition()), "the second participant gets the other condition");
    }
}
