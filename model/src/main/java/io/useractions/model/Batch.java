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
        List<Action> actions) {

    /** The Kafka record of one action: the batch-level fields it needs to stand alone, plus the receive time. */
    public ActionEnvelope envelope(Action action, long receivedAt) {
        return new ActionEnvelope(ActionEnvelope.VERSION, study, participant, session, condition, sentAt, receivedAt,
                context, action);
    }
}
