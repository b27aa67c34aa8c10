package io.useractions.processor.projection;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.useractions.model.Action;
import io.useractions.model.ActionEnvelope;
import io.useractions.model.Json;

/** Maps a validated envelope to its rows. Pure: the same envelope always gives the same rows. */
public final class RowMapper {
    /** A send delay beyond this means the client's clock is off, not the network slow. */
    static final long MAX_SKEW_MS = 5 * 60_000L;
    /** An action this much after its batch was sent cannot be: the client's clock jumped. */
    static final long MAX_AFTER_SEND_MS = 1_000L;
    static final long MAX_AGE_MS = 7 * 24 * 3_600_000L;

    private RowMapper() {
    }

    /** The client's time shifted by the batch's send delay (receive time minus send time). */
    static long serverTimeMillis(ActionEnvelope envelope) {
        return envelope.action().t() + envelope.receivedAt() - envelope.sentAt();
    }

    /** Why the client's clock looks implausible ("clock_skew", "after_send", "too_old"), or null. */
    static String clockFlag(ActionEnvelope envelope) {
        long skew = envelope.receivedAt() - envelope.sentAt();
        long t = envelope.action().t();
        boolean skewed = Math.abs(skew) > MAX_SKEW_MS;
        if (!skewed && t <= envelope.sentAt() + MAX_AFTER_SEND_MS && envelope.sentAt() - t <= MAX_AGE_MS) {
            return null; // every action of a sane clock: no builder on the sink's hot path
        }
        StringBuilder flags = new StringBuilder();
        if (skewed) {
            flags.append("clock_skew");
        }
        if (t > envelope.sentAt() + MAX_AFTER_SEND_MS) {
            flags.append(flags.isEmpty() ? "" : ",").append("after_send");
        }
        if (envelope.sentAt() - t > MAX_AGE_MS) {
            flags.append(flags.isEmpty() ? "" : ",").append("too_old");
        }
        return flags.isEmpty() ? null : flags.toString();
    }

    public static UiAction action(ActionEnvelope envelope, int srcPartition, long srcOffset) {
        Action a = envelope.action();
        UiAction row = new UiAction();
        row.id = a.id();
        row.study = envelope.study();
        row.participant = envelope.participant();
        row.sessionId = envelope.session();
        row.condition = envelope.condition();
        row.seq = a.seq();
        row.type = a.type();
        row.clientTime = Instant.ofEpochMilli(a.t());
        row.tMono = a.tMono();
        row.sentAt = Instant.ofEpochMilli(envelope.sentAt());
        row.receivedAt = Instant.ofEpochMilli(envelope.receivedAt());
        row.serverTime = Instant.ofEpochMilli(serverTimeMillis(envelope));
        row.clockSkewMs = envelope.receivedAt() - envelope.sentAt();
        row.clockFlag = clockFlag(envelope);
        row.url = a.url();
        row.x = a.x();
        row.y = a.y();
        row.pageX = a.pageX();
        row.pageY = a.pageY();
        row.screenX = a.screenX();
        row.screenY = a.screenY();
        row.vw = a.vw();
        row.vh = a.vh();
        if (a.target() != null) {
            row.targetId = a.target().id();
            row.targetSelector = a.target().selector();
            row.targetAttrs = a.target().attrs() == null ? null : json(a.target().attrs());
        }
        row.data = a.data() == null ? null : a.data().toString();
        row.context = envelope.context() == null ? null : json(envelope.context());
        row.srcPartition = srcPartition;
        row.srcOffset = srcOffset;
        return row;
    }

    /** The mouse positions row of an action row, or null when the action has no pointer position. */
    public static MousePosition mousePosition(UiAction action) {
        if (action.x == null || action.y == null) {
            return null;
        }
        MousePosition row = new MousePosition();
        row.actionId = action.id;
        row.study = action.study;
        row.participant = action.participant;
        row.sessionId = action.sessionId;
        row.condition = action.condition;
        row.seq = action.seq;
        row.type = action.type;
        row.clientTime = action.clientTime;
        row.serverTime = action.serverTime;
        row.tMono = action.tMono;
        row.x = action.x;
        row.y = action.y;
        row.pageX = action.pageX;
        row.pageY = action.pageY;
        row.screenX = action.screenX;
        row.screenY = action.screenY;
        row.vw = action.vw;
        row.vh = action.vh;
        return row;
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
