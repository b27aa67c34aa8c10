package io.useractions.research.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.useractions.research.trajectory.Preparation;
import io.useractions.research.trajectory.TimeNormalize;
import io.useractions.research.trajectory.TimeNormalized;
import io.useractions.research.trajectory.Trajectory;

class TrajectoryPlotTest {

    private static TimeNormalized straight(String id, double endX) {
        return TimeNormalize.of(Preparation.prepare(new Trajectory(id, new double[] {0, 10, 20},
                new double[] {500, 500 + endX / 2, 500 + endX}, new double[] {700, 400, 100})), 11);
    }

    private static List<String> polylines(String svg, String kind) {
        Matcher m = Pattern.compile("<polyline class=\"" + kind + "\"[^>]*points=\"([^\"]*)\"").matcher(svg);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void eachConditionHasOnePathPerTrialAndTheirMean() {
        String svg = TrajectoryPlot.svg("test", List.of(
                new TrajectoryPlot.Path("A", "p1/s1/1", straight("a1", -200), 10, 100),
                new TrajectoryPlot.Path("A", "p1/s1/2", straight("a2", -100), 20, 200),
                new TrajectoryPlot.Path("B", "p2/s2/1", straight("b1", -300), 30, 300)));
        assertEquals(3, polylines(svg, "trial").size());
        assertEquals(2, polylines(svg, "mean").size(), "one mean per condition");
        assertTrue(svg.contains("data-condition=\"A\" data-trials=\"2\""), svg);
        assertTrue(svg.contains("data-condition=\"B\" data-trials=\"1\""), svg);
        assertEquals(11, polylines(svg, "mean").get(0).split(" ").length, "one point per step");
        assertEquals(2, svg.split("data-measure=\"MAD\"").length - 1);
    }

    @Test
    void theMeanLiesBetweenItsTrials() {
        String svg = TrajectoryPlot.svg("test", List.of(
                new TrajectoryPlot.Path("A", "1", straight("a1", -200), 0, 0),
                new TrajectoryPlot.Path("A", "2", straight("a2", -100), 0, 0)));
        List<String> trials = polylines(svg, "trial");
        String[] mean = polylines(svg, "mean").get(0).split(" ");
        String[] first = trials.get(0).split(" ");
        String[] second = trials.get(1).split(" ");
        int last = mean.length - 1;
        double x = Double.parseDouble(mean[last].split(",")[0]);
        double a = Double.parseDouble(first[last].split(",")[0]);
        double b = Double.parseDouble(second[last].split(",")[0]);
        assertEquals((a + b) / 2, x, 0.11, "the mean's end halfway between the two trials' ends");
    }

    @Test
    void noTrialMakesAPlotThatSaysSo() {
        assertTrue(TrajectoryPlot.svg("empty", List.of()).contains("no complete trial"));
    }
}
