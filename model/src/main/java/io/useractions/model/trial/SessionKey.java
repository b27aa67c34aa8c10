package io.useractions.model.trial;

import java.util.List;

/** A session of one participant in one study; condition as logged with it (may be null). */
public record SessionKey(String study, String participant, String sessionId, String condition) {
    /** The columns that name a session, in the order every table of sessions and trials has them. */
    public static final List<String> COLUMNS = List.of("study", "participant", "session_id", "condition");

    /** This session's values for {@link #COLUMNS}, in that order. */
    public <E extends Exception> void write(TrialRow.Values<E> out) throws E {
        out.text(study);
        out.text(participant);
        out.text(sessionId);
        out.text(condition);
    }
}
