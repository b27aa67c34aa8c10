package io.useractions.processor.projection;

import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.useractions.model.Action;
import io.useractions.model.ClientContext;
import io.useractions.model.Json;
import io.useractions.model.RawRecord;

/**
 * One action of a raw record with what every table's columns derive from it: its record, its index in
 * the record, its provenance and the values more than one column needs. {@link CopyRows} moves one
 * instance along the actions, so a row costs no allocation of its own.
 */
public final class ActionRow {
    private RawRecord record;
    private Action action;
    private int index;
    private int srcPartition;
    private long srcOffset;
    private long serverTime;
    private String clockFlag;
    /** The actions of one record share their context: encoded once. */
    private ClientContext lastContext;
    private String lastContextJson;
    /** {@link #lastContextJson} as a binary COPY value: the same for every row of a record, so encoded once. */
    private byte[] lastContextJsonb;

    ActionRow at(RawRecord record, int index, int srcPartition, long srcOffset) {
        this.record = record;
        this.index = index;
        this.action = record.actions().get(index);
        this.srcPartition = srcPartition;
        this.srcOffset = srcOffset;
        this.serverTime = Clocks.serverTimeMillis(record, action);
        this.clockFlag = Clocks.flag(record, action);
        return this;
    }

    public RawRecord record() {
        return record;
    }

    public Action action() {
        return action;
    }

    /** The action's index in its record: 0 for a v1 record. */
    public int index() {
        return index;
    }

    public int srcPartition() {
        return srcPartition;
    }

    public long srcOffset() {
        return srcOffset;
    }

    /** The action's id as text. */
    public String id() {
        return action.id().toString();
    }

    /** The action's time on the server's clock (see {@link Clocks}). */
    public long serverTime() {
        return serverTime;
    }

    /** Why the client's clock looks implausible, or null (see {@link Clocks#flag}). */
    public String clockFlag() {
        return clockFlag;
    }

    /** The record's client context as JSON, or null. */
    public String contextJson() {
        ClientContext context = record.context();
        if (context == null) {
            return null;
        }
        if (!Objects.equals(context, lastContext)) {
            lastContextJson = json(context);
            lastContext = context;
            lastContextJsonb = null;
        }
        return lastContextJson;
    }

    /** {@link #contextJson()} as a binary COPY jsonb value, or null. */
    byte[] contextJsonb() {
        String json = contextJson();
        if (json == null) {
            return null;
        }
        if (lastContextJsonb == null) {
            lastContextJsonb = BinaryRows.jsonbValue(json);
        }
        return lastContextJsonb;
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
