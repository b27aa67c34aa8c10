package io.useractions.research.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.useractions.research.trajectory.ReferenceData.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Every trial and every column of mousetrap's own output for the reference trajectories. */
class MousetrapReferenceTest {

    private static Map<String, Trajectory> prepared() {
        Map<String, Trajectory> byId = new LinkedHashMap<>();
        for (Trajectory raw : ReferenceData.rawTrajectories()) {
            byId.put(raw.id(), Preparation.prepare(raw));
        }
        return byId;
    }

    @Test
    void measuresMatchMousetrapForEveryTrialAndColumn() {
        Table expected = ReferenceData.table("measures.csv");
        assertEquals("mt_id", expected.header().get(0));
        assertEquals(Measures.COLUMNS, expected.header().subList(1, expected.header().size()),
                "column names and order");
        Map<String, Trajectory> trials = prepared();
        assertEquals(new ArrayList<>(trials.keySet()),
                expected.rows().stream().map(r -> r.get(0)).toList(), "trials and their order");

        assertEquals(43, expected.rows().size());
        assertEquals(28, Measures.COLUMNS.size());
        SoftAssertions softly = new SoftAssertions();
        for (List<String> row : expected.rows()) {
            Measures actual = Measures.of(trials.get(row.get(0)));
            for (String column : Measures.COLUMNS) {
                double want = ReferenceData.number(row.get(expected.column(column)));
                softly.assertThat(actual.get(column)).as("%s %s", row.get(0), column)
                        .matches(got -> ReferenceData.matches(column, want, got), "mousetrap's " + want);
            }
        }
        softly.assertAll();
    }

    @Test
    void timeNormalizationMatchesMousetrapForEveryTrialAndStep() {
        Table expected = ReferenceData.table("time_normalized.csv");
        assertEquals(List.of("mt_id", "steps", "timestamps", "xpos", "ypos"), expected.header());
        Map<String, TimeNormalized> normalized = new LinkedHashMap<>();
        prepared().forEach((id, tr) -> normalized.put(id, TimeNormalize.of(tr)));

        SoftAssertions softly = new SoftAssertions();
        Map<String, Integer> rowsPerTrial = new LinkedHashMap<>();
        for (List<String> row : expected.rows()) {
            String id = row.get(0);
            int step = Integer.parseInt(row.get(1));
            rowsPerTrial.merge(id, 1, Integer::sum);
            TimeNormalized tn = normalized.get(id);
            softly.assertThat(tn).as("%s computed", id).isNotNull();
            if (tn != null) {
                compare(softly, id, step, "timestamps", row.get(2), tn.timestamp(step - 1));
                compare(softly, id, step, "xpos", row.get(3), tn.x(step - 1));
                compare(softly, id, step, "ypos", row.get(4), tn.y(step - 1));
            }
        }
        assertEquals(normalized.keySet(), rowsPerTrial.keySet());
        rowsPerTrial.forEach((id, rows) -> assertEquals(101, rows, id + " steps"));
        normalized.values().forEach(tn -> assertEquals(101, tn.steps(), tn.id() + " steps"));
        softly.assertAll();
    }

    private static void compare(SoftAssertions softly, String id, int step, String column, String cell,
                                double actual) {
        double expected = ReferenceData.number(cell);
        softly.assertThat(actual).as("%s step %d %s", id, step, column)
                .matches(got -> ReferenceData.close(expected, got), "mousetrap's " + expected);
    }
}
