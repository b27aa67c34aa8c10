package io.useractions.research.trial;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.useractions.model.trial.PointerSample;
import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.model.trial.TrialSegmenter;

/** Hand-made session rows: one action per seq, client clock 1 ms per seq unless given. */
final class Rows {

    static final SessionKey SESSION = new SessionKey("s", "P1", "sess-1", "A");
    static final Instant T0 = Instant.parse("2026-12-02T05:14:46.000Z");

    private final List<SessionAction> actions = new ArrayList<>();

    Rows action(long seq, String type) {
        return add(new SessionAction(seq, type, at(seq), at(seq).plusMillis(500), 1000.0 + seq, null, null, null));
    }

    Rows marker(long seq, String type, String trial) {
        return add(new SessionAction(seq, type, at(seq), at(seq).plusMillis(500), 1000.0 + seq, trial, null, null));
    }

    Rows flagged(long seq, String type, String flag) {
        return add(new SessionAction(seq, type, at(seq), at(seq).plusMillis(500), 1000.0 + seq, null, flag, null));
    }

    Rows move(long seq, Double tMono, double x, double y) {
        PointerSample p = new PointerSample(seq, tMono, at(seq), x, y, x + 10, y + 200, x + 100, y + 300);
        return add(new SessionAction(seq, "mousemove", at(seq), at(seq).plusMillis(500), tMono, null, null, p));
    }

    Rows add(SessionAction a) {
        actions.add(a);
        return this;
    }

    List<Trial> trials() {
        return TrialSegmenter.segment(SESSION, actions, TrialMarkers.DEFAULT);
    }

    List<Trial> trials(TrialMarkers markers) {
        return TrialSegmenter.segment(SESSION, actions, markers);
    }

    List<SessionAction> actions() {
        return actions;
    }

    static Instant at(long seq) {
        return T0.plusMillis(seq);
    }
}
