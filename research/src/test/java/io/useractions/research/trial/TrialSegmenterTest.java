package io.useractions.research.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.useractions.model.trial.PointerSample;
import io.useractions.model.trial.SampleClock;
import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.model.trial.TrialSegmenter;

class TrialSegmenterTest {

    @Test
    void trialRunsFromStartToNextEndAndCountsMissesWithoutEnding() {
        List<Trial> trials = new Rows()
                .action(1, "page:load")
                .marker(2, "trial:start", "1")
                .move(3, 10.0, 1, 1)
                .action(4, "trial:miss")
                .move(5, 26.0, 2, 2)
                .action(6, "trial:miss")
                .move(7, 42.0, 3, 3)
                .marker(8, "trial:end", "1")
                .move(9, 58.0, 4, 4)
                .trials();

        assertEquals(1, trials.size());
        Trial t = trials.get(0);
        assertEquals(1, t.trial());
        assertEquals("trial:end", t.outcome());
        assertFalse(t.incomplete());
        assertEquals(2, t.startSeq());
        assertEquals(8, t.endSeq());
        assertEquals(Rows.at(2), t.startClientTime());
        assertEquals(Rows.at(8), t.endClientTime());
        assertEquals(Rows.at(2).plusMillis(500), t.startServerTime());
        assertEquals(Rows.at(8).plusMillis(500), t.endServerTime());
        assertEquals(2, t.misses());
        assertEquals(3, t.sampleCount());
        assertEquals(List.of(3L, 5L, 7L), t.samples().stream().map(PointerSample::seq).toList());
        assertEquals(0, t.lostActions());
        assertFalse(t.clockFlagged());
        assertEquals(Rows.SESSION, t.session());
    }

    @Test
    void nextStartClosesTheRunningTrialAsIncomplete() {
        List<Trial> trials = new Rows()
                .marker(1, "trial:start", "1")
                .move(2, 10.0, 1, 1)
                .move(3, 20.0, 1, 1)
                .marker(6, "trial:start", "2")
                .marker(7, "trial:end", "2")
                .trials();

        assertEquals(2, trials.size());
        Trial first = trials.get(0);
        assertTrue(first.incomplete());
        assertNull(first.outcome());
        assertEquals(1, first.startSeq());
        assertEquals(3, first.endSeq());
        assertEquals(Rows.at(3), first.endClientTime());
        assertEquals(2, first.sampleCount());
        assertEquals(2, first.lostActions(), "seq 4 and 5 were lost before the next start: maybe its end marker");
        assertFalse(trials.get(1).incomplete());
        assertEquals(2, trials.get(1).trial());
    }

    @Test
    void sessionEndClosesTheRunningTrialAsIncomplete() {
        List<Trial> trials = new Rows()
                .marker(1, "trial:start", "1")
                .marker(2, "trial:end", "1")
                .marker(3, "trial:start", "2")
                .move(4, 10.0, 1, 1)
                .trials();

        assertEquals(2, trials.size());
        Trial last = trials.get(1);
        assertTrue(last.incomplete());
        assertEquals(3, last.startSeq());
        assertEquals(4, last.endSeq());
        assertEquals(0, last.lostActions());
    }

    @Test
    void startMarkerAloneAtSessionEndIsAnIncompleteTrialOfNoSamples() {
        Trial t = new Rows().marker(5, "trial:start", null).trials().get(0);
        assertTrue(t.incomplete());
        assertEquals(5, t.startSeq());
        assertEquals(5, t.endSeq());
        assertEquals(0, t.sampleCount());
        assertNull(t.medianIntervalMs());
        assertNull(t.p95IntervalMs());
    }

    @Test
    void trialNumberIsTheMarkersDataTrialElseTheOrdinal() {
        List<Trial> trials = new Rows()
                .marker(1, "trial:start", "7")
                .marker(2, "trial:end", null)
                .marker(3, "trial:start", null)
                .marker(4, "trial:end", null)
                .marker(5, "trial:start", "left")
                .marker(6, "trial:end", null)
                .marker(7, "trial:start", null)
                .marker(8, "trial:end", "12")
                .marker(9, "trial:start", "4.0")
                .marker(10, "trial:end", null)
                .trials();

        assertEquals(List.of(7L, 2L, 3L, 12L, 4L), trials.stream().map(Trial::trial).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), trials.stream().map(Trial::ordinal).toList());
    }

    @Test
    void mtIdNamesParticipantSessionAndTrialAndNumbersRepeats() {
        List<Trial> trials = new Rows()
                .marker(1, "trial:start", "1")
                .marker(2, "trial:start", "1")
                .marker(3, "trial:end", "1")
                .marker(4, "trial:start", "2")
                .marker(5, "trial:end", "2")
                .trials();

        assertEquals(List.of("P1/sess-1/1", "P1/sess-1/1#2", "P1/sess-1/2"), trials.stream().map(Trial::mtId).toList());
    }

    @Test
    void seqGapsInsideATrialCountLostActions() {
        Trial t = new Rows()
                .marker(10, "trial:start", "1")
                .move(11, 1.0, 0, 0)
                .move(14, 2.0, 0, 0)
                .move(15, 3.0, 0, 0)
                .move(15, 3.0, 0, 0)
                .marker(20, "trial:end", "1")
                .trials().get(0);
        assertEquals(2 + 4, t.lostActions());
    }

    @Test
    void gapsOutsideTrialsDoNotCount() {
        Trial t = new Rows()
                .action(1, "page:load")
                .marker(50, "trial:start", "1")
                .marker(51, "trial:end", "1")
                .action(90, "click")
                .trials().get(0);
        assertEquals(0, t.lostActions());
    }

    @Test
    void anyClockFlaggedActionInsideFlagsTheTrial() {
        List<Trial> trials = new Rows()
                .flagged(1, "page:load", "future")
                .marker(2, "trial:start", "1")
                .marker(3, "trial:end", "1")
                .marker(4, "trial:start", "2")
                .flagged(5, "click", "skew")
                .marker(6, "trial:end", "2")
                .trials();
        assertFalse(trials.get(0).clockFlagged());
        assertTrue(trials.get(1).clockFlagged());
    }

    @Test
    void samplingIntervalsAreMedianAndType7P95OfTMonoSteps() {
        Rows rows = new Rows().marker(1, "trial:start", "1");
        double[] times = {0, 10, 20, 30, 45, 60, 100};
        for (int i = 0; i < times.length; i++) {
            rows.move(2 + i, 1000 + times[i], i, i);
        }
        Trial t = rows.marker(20, "trial:end", "1").trials().get(0);
        // steps 10,10,10,15,15,40: median 12.5; p95 at h = 5*0.95 = 4.75 -> 15 + 0.75*25
        assertEquals(12.5, t.medianIntervalMs(), 1e-12);
        assertEquals(33.75, t.p95IntervalMs(), 1e-12);
    }

    @Test
    void samplesWithoutTMonoFallBackToTheClientClockForTheWholeTrial() {
        Trial t = new Rows()
                .marker(1, "trial:start", "1")
                .move(2, 500.0, 0, 0)
                .move(5, null, 0, 0)
                .move(9, 900.0, 0, 0)
                .marker(10, "trial:end", "1")
                .trials().get(0);
        // client clock: 1 ms per seq -> steps 3 and 4
        assertEquals(3.5, t.medianIntervalMs(), 1e-12);
        assertFalse(SampleClock.usesMonotonic(t.samples()));
    }

    @Test
    void oneSampleHasNoInterval() {
        Trial t = new Rows().marker(1, "trial:start", "1").move(2, 5.0, 0, 0).marker(3, "trial:end", "1")
                .trials().get(0);
        assertEquals(1, t.sampleCount());
        assertNull(t.medianIntervalMs());
    }

    @Test
    void markerNamesAreConfigurable() {
        Rows rows = new Rows()
                .marker(1, "block:go", "1")
                .move(2, 1.0, 0, 0)
                .action(3, "block:oops")
                .marker(4, "block:done", null)
                .marker(5, "trial:start", "9")
                .marker(6, "trial:end", "9");
        List<Trial> trials = rows.trials(new TrialMarkers("block:go", "block:done", "block:oops"));
        assertEquals(1, trials.size());
        assertEquals("block:done", trials.get(0).outcome());
        assertEquals(1, trials.get(0).misses());
        assertEquals(1, trials.get(0).sampleCount());
    }

    @Test
    void endAndMissMarkersOutsideATrialAreIgnored() {
        List<Trial> trials = new Rows()
                .marker(1, "trial:end", "0")
                .action(2, "trial:miss")
                .move(3, 1.0, 0, 0)
                .marker(4, "trial:start", "1")
                .marker(5, "trial:end", "1")
                .marker(6, "trial:end", "1")
                .trials();
        assertEquals(1, trials.size());
        assertEquals(0, trials.get(0).misses());
        assertEquals(0, trials.get(0).sampleCount());
        assertEquals(5, trials.get(0).endSeq());
    }

    @Test
    void sessionsAreSegmentedIndependently() {
        List<Trial> out = new ArrayList<>();
        TrialSegmenter segmenter = new TrialSegmenter(TrialMarkers.DEFAULT, out::add);
        segmenter.startSession(Rows.SESSION);
        new Rows().marker(1, "trial:start", null).move(2, 1.0, 0, 0).actions().forEach(segmenter::accept);
        SessionKey other = new SessionKey("s", "P2", "sess-2", "B");
        segmenter.startSession(other);
        new Rows().marker(1, "trial:start", null).marker(2, "trial:end", null).actions().forEach(segmenter::accept);
        segmenter.finish();

        assertEquals(2, out.size());
        assertTrue(out.get(0).incomplete());
        assertEquals("P1/sess-1/1", out.get(0).mtId());
        assertEquals(other, out.get(1).session());
        assertEquals("P2/sess-2/1", out.get(1).mtId(), "ordinals restart with each session");
        assertFalse(out.get(1).incomplete());
    }

    @Test
    void actionsOutOfSeqOrderAreRejected() {
        Rows rows = new Rows().action(5, "a").action(4, "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, rows::trials);
        assertTrue(e.getMessage().contains("out of seq order"), e.getMessage());
    }

    @Test
    void markersMustBeNamedAndDistinct() {
        assertThrows(IllegalArgumentException.class, () -> new TrialMarkers("a", "a", null));
        assertThrows(IllegalArgumentException.class, () -> new TrialMarkers("", "b", null));
        assertNull(new TrialMarkers("a", "b", " ").miss());
    }

    @Test
    void aSegmenterSavedAndRestoredAfterEveryActionCutsTheSameTrials() throws Exception {
        Rows rows = new Rows()
                .marker(1, "trial:start", "1")
                .move(2, 10.0, 1, 1)
                .flagged(3, "keydown", "clock_skew")
                .marker(4, "trial:start", "1")
                .move(5, null, 2, 2)
                .action(6, "trial:miss")
                .move(9, 30.0, 3, 3)
                .marker(10, "trial:end", "1")
                .marker(11, "trial:start", "2")
                .move(12, 40.0, 4, 4);
        List<Trial> restored = new ArrayList<>();
        byte[] saved = null;
        for (SessionAction action : rows.actions()) {
            TrialSegmenter segmenter;
            if (saved == null) {
                segmenter = new TrialSegmenter(TrialMarkers.DEFAULT, restored::add);
                segmenter.startSession(Rows.SESSION);
            } else {
                segmenter = TrialSegmenter.restore(Rows.SESSION,
                        new DataInputStream(new ByteArrayInputStream(saved)), TrialMarkers.DEFAULT, restored::add);
            }
            segmenter.accept(action);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            segmenter.save(new DataOutputStream(out));
            saved = out.toByteArray();
        }
        TrialSegmenter.restore(Rows.SESSION, new DataInputStream(new ByteArrayInputStream(saved)),
                TrialMarkers.DEFAULT, restored::add).finish();

        List<Trial> straight = rows.trials();
        assertEquals(3, straight.size());
        assertEquals(straight, restored);
    }

    @Test
    void endingTheRunningTrialKeepsCountingTheSessionsTrials() {
        List<Trial> trials = new ArrayList<>();
        TrialSegmenter segmenter = new TrialSegmenter(TrialMarkers.DEFAULT, trials::add);
        segmenter.startSession(Rows.SESSION);
        new Rows().marker(1, "trial:start", "1").move(2, 10.0, 1, 1).actions().forEach(segmenter::accept);
        assertTrue(segmenter.inTrial());

        segmenter.endRunningTrial();
        new Rows().marker(3, "trial:start", "1").marker(4, "trial:end", "1").actions().forEach(segmenter::accept);

        assertEquals(List.of(true, false), trials.stream().map(Trial::incomplete).toList());
        assertEquals(List.of(1, 2), trials.stream().map(Trial::ordinal).toList());
        assertEquals(List.of("P1/sess-1/1", "P1/sess-1/1#2"), trials.stream().map(Trial::mtId).toList());
        assertEquals(0, trials.get(0).lostActions());
    }
}
