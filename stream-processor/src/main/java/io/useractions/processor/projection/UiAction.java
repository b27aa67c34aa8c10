package io.useractions.processor.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.SQLInsert;
import org.hibernate.jdbc.Expectation;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One row per action id: the raw actions table. Inserts ignore an id that is already there, so a
 * replayed or duplicated record never makes a second row (columns in Hibernate's binding order).
 */
@Entity
@Table(name = "ui_action")
@SQLInsert(sql = "insert into ui_action (client_time, clock_flag, clock_skew_ms, condition, context, data, page_x, "
        + "page_y, participant, received_at, screen_x, screen_y, sent_at, seq, server_time, session_id, src_offset, "
        + "src_partition, study, t_mono, target_attrs, target_id, target_selector, type, url, vh, vw, x, y, id) "
        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "on conflict (id) do nothing", verify = Expectation.None.class)
public class UiAction extends PanacheEntityBase {
    @Id
    public UUID id;
    public String study;
    public String participant;
    @Column(name = "session_id")
    public String sessionId;
    public String condition;
    public long seq;
    public String type;
    @Column(name = "client_time")
    public Instant clientTime;
    @Column(name = "t_mono")
    public Double tMono;
    @Column(name = "sent_at")
    public Instant sentAt;
    @Column(name = "received_at")
    public Instant receivedAt;
    /** The client's time shifted by the batch's send delay: comparable across participants' clocks. */
    @Column(name = "server_time")
    public Instant serverTime;
    @Column(name = "clock_skew_ms")
    public long clockSkewMs;
    /** Why the client's clock looks implausible, or null. */
    @Column(name = "clock_flag")
    public String clockFlag;
    public String url;
    public Double x;
    public Double y;
    @Column(name = "page_x")
    public Double pageX;
    @Column(name = "page_y")
    public Double pageY;
    @Column(name = "screen_x")
    public Double screenX;
    @Column(name = "screen_y")
    public Double screenY;
    public Integer vw;
    public Integer vh;
    @Column(name = "target_id")
    public String targetId;
    @Column(name = "target_selector")
    public String targetSelector;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "target_attrs")
    public String targetAttrs;
    @JdbcTypeCode(SqlTypes.JSON)
    public String data;
    @JdbcTypeCode(SqlTypes.JSON)
    public String context;
    @Column(name = "src_partition")
    public int srcPartition;
    @Column(name = "src_offset")
    public long srcOffset;
}
