package io.useractions.research.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import io.useractions.model.Jdbc;

/**
 * Rows as the pipeline writes them: each action in ui_action, pointer actions also in mouse_position.
 * Times have microseconds (server_time from received_at does), to check the millisecond rounding.
 */
final class Fixture {

    static final Instant T0 = Instant.parse("2026-12-02T05:14:46.123456Z");

    private final Connection c;
    private final PreparedStatement action;
    private final PreparedStatement position;
    private String study = "s1";
    private String participant = "P1";
    private String session = "sess-1";
    private String condition = "A";
    private int counter;

    Fixture(Connection c) throws SQLException {
        this.c = c;
        this.action = c.prepareStatement("""
                INSERT INTO ui_action (id, study, participant, session_id, condition, seq, type, client_time, t_mono,
                  sent_at, received_at, server_time, clock_skew_ms, clock_flag, url, x, y, page_x, page_y, screen_x,
                  screen_y, vw, vh, target_id, target_selector, target_attrs, data, context, src_partition, src_offset)
                VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb,
                  ?::jsonb, ?::jsonb, 0, ?)""");
        this.position = c.prepareStatement("""
                INSERT INTO mouse_position (action_id, study, participant, session_id, condition, seq, type,
                  client_time, server_time, t_mono, x, y, page_x, page_y, screen_x, screen_y, vw, vh, src_partition,
                  src_offset, src_index)
                VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0)""");
    }

    Fixture session(String study, String participant, String session, String condition) {
        this.study = study;
        this.participant = participant;
        this.session = session;
        this.condition = condition;
        return this;
    }

    Fixture marker(long seq, String type, String data) throws SQLException {
        return insert(seq, type, 1000.0 + seq * 16, null, data, null);
    }

    Fixture flagged(long seq, String type, String flag) throws SQLException {
        return insert(seq, type, 1000.0 + seq * 16, null, null, flag);
    }

    Fixture move(long seq, double x, double y) throws SQLException {
        return insert(seq, "mousemove", 1000.0 + seq * 16.5, new double[] {x, y}, null, null);
    }

    Fixture moveWithoutMonotonicTime(long seq, double x, double y) throws SQLException {
        return insert(seq, "mousemove", null, new double[] {x, y}, null, null);
    }

    private Fixture insert(long seq, String type, Double tMono, double[] xy, String data, String flag)
            throws SQLException {
        UUID id = new UUID(0x5eed, ++counter);
        Instant client = T0.plusMillis(seq * 16);
        Instant sent = client.plusMillis(2000);
        Instant received = sent.plusNanos(1_234_567_000L);
        Instant server = client.plusNanos(1_234_567_000L);
        Double x = xy == null ? null : xy[0];
        Double y = xy == null ? null : xy[1];
        Jdbc.bind(action, id.toString(), study, participant, session, condition, seq, type, Timestamp.from(client),
                tMono, Timestamp.from(sent), Timestamp.from(received), Timestamp.from(server), 1235L, flag,
                "https://example.org/study?a=1,b=\"2\"", x, y, plus(x, 0.5), plus(y, 300.25), plus(x, 100),
                plus(y, 180), 1280, 720, xy == null ? "target" : null, xy == null ? "#target" : null,
                xy == null ? "{\"data-x\": \"a,b\"}" : null, data, "{\"ua\": \"Zürich \\\"test\\\"\\nline\"}", counter)
                .executeUpdate();
        if (xy != null) {
            boolean noPage = seq % 7 == 0;
            Jdbc.bind(position, id.toString(), study, participant, session, condition, seq, type,
                    Timestamp.from(client), Timestamp.from(server), tMono, xy[0], xy[1], noPage ? null : xy[0] + 0.5,
                    noPage ? null : xy[1] + 300.25, xy[0] + 100, xy[1] + 180, 1280, 720, counter).executeUpdate();
        }
        return this;
    }

    private static Double plus(Double value, double offset) {
        return value == null ? null : value + offset;
    }

    /** Two studies; s1: P1 (condition A, two trials, the second incomplete), P2 (condition B, one trial). */
    static void standard(Connection c) throws SQLException {
        Fixture f = new Fixture(c);
        f.session("s1", "P1", "sess-1", "A")
                .marker(1, "page:load", null)
                .marker(2, "trial:start", "{\"trial\": 1, \"target_x\": 500}")
                .move(3, 100, 400).move(4, 110.5, 390.25).marker(5, "trial:miss", "{\"trial\": 1}")
                .move(7, 130, 350).flagged(8, "click", "future")
                .marker(9, "trial:end", "{\"trial\": 1, \"hit\": true}")
                .move(10, 140, 340)
                .marker(11, "trial:start", "{\"trial\": 2}")
                .move(12, 150, 330).move(13, 151, 329).move(14, 152, 328);
        f.session("s1", "P2", "sess-2", "B")
                .marker(1, "trial:start", "{\"trial\": 1}")
                .moveWithoutMonotonicTime(2, 10, 20).moveWithoutMonotonicTime(3, 11, 21)
                .marker(4, "trial:end", "{\"trial\": 1}");
        f.session("s2", "Q1", "sess-9", null)
                .marker(1, "trial:start", null).move(2, 1, 1).marker(3, "trial:end", null);
    }
}
