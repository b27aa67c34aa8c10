package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.useractions.model.ActionEnvelope;
import io.useractions.model.EnvelopeCodec;
import io.useractions.model.Limits;

class RowMapperTest {
    private static ActionEnvelope envelope(String actionFields) {
        String json = """
                {"v":1,"study":"demo","participant":"p-1","session":"s-1","condition":"A","sent_at":1764412800100,
                 "received_at":1764412800200,"context":{"screen_w":1920},
                 "action":{"id":"0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01","seq":4,"type":"click",
                 "t":1764412800000,"t_mono":12.25%s}}""".formatted(actionFields);
        return EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    }

    @Test
    void actionRowCarriesAllFramesTimesAndProvenance() {
        UiAction row = RowMapper.action(envelope(",\"x\":1,\"y\":2,\"page_x\":3,\"page_y\":4,\"screen_x\":5,"
                + "\"screen_y\":6,\"vw\":800,\"vh\":600,\"target\":{\"id\":\"b\",\"attrs\":{\"data-trial\":\"3\"}},"
                + "\"data\":{\"k\":[1,2]}"), 2, 99);
        assertEquals("s-1", row.sessionId);
        assertEquals("A", row.condition);
        assertEquals(Instant.ofEpochMilli(1764412800000L), row.clientTime);
        assertEquals(Instant.ofEpochMilli(1764412800200L), row.receivedAt);
        assertEquals(12.25, row.tMono);
        assertEquals(6.0, row.screenY);
        assertEquals("{\"data-trial\":\"3\"}", row.targetAttrs);
        assertEquals("{\"k\":[1,2]}", row.data);
        assertEquals("{\"screen_w\":1920}", row.context);
        assertEquals(2, row.srcPartition);
        assertEquals(99, row.srcOffset);
    }

    @Test
    void pointerActionGetsAMousePositionRow() {
        MousePosition row = RowMapper.mousePosition(RowMapper.action(envelope(",\"x\":1.5,\"y\":2,\"page_x\":3,\"page_y\":4"), 0, 0));
        assertEquals(1.5, row.x);
        assertEquals(4.0, row.pageY);
        assertNull(row.screenX);
        assertEquals(4, row.seq);
    }

    @Test
    void serverTimeShiftsTheClientTimeByTheSendDelay() {
        UiAction row = RowMapper.action(envelope(""), 0, 0);
        assertEquals(100, row.clockSkewMs);
        assertEquals(Instant.ofEpochMilli(1764412800100L), row.serverTime);
        assertNull(row.clockFlag);
        assertEquals(row.serverTime, RowMapper.mousePosition(RowMapper.action(envelope(",\"x\":1,\"y\":2"), 0, 0)).serverTime);
    }

    @Test
    void implausibleClocksAreFlaggedNotDropped() {
        ActionEnvelope skewed = EnvelopeCodec.decode("""
                {"v":1,"study":"demo","participant":"p","session":"s","sent_at":1764400000000,
                 "received_at":1764412800200,"action":{"id":"0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01","seq":1,
                 "type":"click","t":1764400005000}}""".getBytes(java.nio.charset.StandardCharsets.UTF_8), Limits.DEFAULT);
        assertEquals("clock_skew,after_send", RowMapper.action(skewed, 0, 0).clockFlag);
        ActionEnvelope old = EnvelopeCodec.decode("""
                {"v":1,"study":"demo","participant":"p","session":"s","sent_at":1764412800100,
                 "received_at":1764412800200,"action":{"id":"0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01","seq":1,
                 "type":"click","t":1000}}""".getBytes(java.nio.charset.StandardCharsets.UTF_8), Limits.DEFAULT);
        assertEquals("too_old", RowMapper.action(old, 0, 0).clockFlag);
    }

    @Test
    void actionWithoutPointerHasNoMousePosition() {
        assertNull(RowMapper.mousePosition(RowMapper.action(envelope(""), 0, 0)));
    }
}
