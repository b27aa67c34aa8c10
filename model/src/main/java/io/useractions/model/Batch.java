package io.useractions.model;

import java.util.List;

/** A parsed, validated {@code POST /v1/batches} body. */
public record Batch(
        String study,
        String participant,
        String session,
        String condition,
        long sentAt,
        ClientContext context,
        List<Action> actions,
        RawActions raw) {

    /** A batch built in code (the legacy format, tests), without the client's bytes. */
    public Batch(String study, String participant, String session, String condition, long sentAt,
            ClientContext context, List<Action> actions) {
        this(study, participant, session, condition, sentAt, context, actions, null);
    }

    /**
     * Where each action's JSON is in the request body, so the raw record can carry the client's bytes of
     * an action as they came (validated, not re-encoded).
     */
    public record RawActions(byte[] body, int[] starts, int[] ends) {
        public int length(int i) {
            return ends[i] - starts[i];
        }
    }
}
