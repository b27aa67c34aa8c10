package io.useractions.processor.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.SQLInsert;
import org.hibernate.jdbc.Expectation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One row per action with a pointer position: the mouse positions table, keyed like {@link UiAction}. */
@Entity
@Table(name = "mouse_position")
@SQLInsert(sql = "insert into mouse_position (client_time, condition, page_x, page_y, participant, screen_x, "
        + "screen_y, seq, server_time, session_id, study, t_mono, type, vh, vw, x, y, action_id) "
        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "on conflict (action_id) do nothing", verify = Expectation.None.class)
public class MousePosition extends PanacheEntityBase {
    @Id
    @Column(name = "action_id")
    public UUID actionId;
    public String study;
    public String participant;
    @Column(name = "session_id")
    public String sessionId;
    public String condition;
    public long seq;
    public String type;
    @Column(name = "client_time")
    public Instant clientTime;
    @Column(name = "server_time")
    public Instant serverTime;
    @Column(name = "t_mono")
    public Double tMono;
    public double x;
    public double y;
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
}
