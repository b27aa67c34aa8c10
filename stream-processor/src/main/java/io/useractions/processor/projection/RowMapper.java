package io.useractions.processor.projection;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.useractions.model.Action;
import io.useractions.model.ActionEnvelope;
import io.useractions.model.Json;

/** Maps a validated envelope to its rows. Pure: the same envelope always gives the same rows. */
public final class RowMapper {
    private RowMapper() {
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

    /** The mouse positions row, or null when the action has no pointer position. */
    public static MousePosition mousePosition(ActionEnvelope envelope) {
        Action a = envelope.action();
        if (!a.hasPointer()) {
            return null;
        }
        MousePosition row = new MousePosition();
        row.actionId = a.id();
        row.study = envelope.study();
        row.participant = envelope.participant();
        row.sessionId = envelope.session();
        row.condition = envelope.condition();
        row.seq = a.seq();
        row.type = a.type();
        row.clientTime = Instant.ofEpochMilli(a.t());
        row.tMono = a.tMono();
        row.x = a.x();
        row.y = a.y();
        row.pageX = a.pageX();
        row.pageY = a.pageY();
        row.screenX = a.screenX();
        row.screenY = a.screenY();
        row.vw = a.vw();
        row.vh = a.vh();
        return row;
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
