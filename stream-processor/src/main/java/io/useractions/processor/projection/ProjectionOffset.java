package io.useractions.processor.projection;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The next offset of the projection topic to write, per partition, committed with the rows it covers. */
@Entity
@Table(name = "projection_offset")
@IdClass(ProjectionOffset.Key.class)
public class ProjectionOffset extends PanacheEntityBase {
    @Id
    public String topic;
    @Id
    public int partition;
    @Column(name = "next_offset")
    public long nextOffset;

    public record Key(String topic, int partition) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
