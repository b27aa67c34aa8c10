package io.useractions.processor.projection;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.useractions.model.Target;

/**
 * The fields of an action a column can hold, each declared once with how it is written: the core tables
 * ({@link ProjectedTable}) take their columns from them, and a derived table's {@code from:} names them
 * (tables.ActionFields). A field's column is its name with dots as underscores ({@code target.id} is
 * {@code target_id}); its type is what its value writes ({@link #type()}).
 */
public enum ActionField {
    ID("id", (row, out) -> out.uuid(row.action().id())),
    STUDY("study", (row, out) -> out.text(row.record().study())),
    PARTICIPANT("participant", (row, out) -> out.text(row.record().participant())),
    SESSION_ID("session_id", (row, out) -> out.text(row.record().session())),
    CONDITION("condition", (row, out) -> out.text(row.record().condition())),
    SEQ("seq", (row, out) -> out.number(row.action().seq())),
    TYPE("type", (row, out) -> out.text(row.action().type())),
    CLIENT_TIME("client_time", (row, out) -> out.time(row.action().t())),
    T_MONO("t_mono", (row, out) -> out.number(row.action().tMono())),
    SENT_AT("sent_at", (row, out) -> out.time(row.record().sentAt())),
    RECEIVED_AT("received_at", (row, out) -> out.time(row.record().receivedAt())),
    SERVER_TIME("server_time", (row, out) -> out.time(row.serverTime())),
    CLOCK_SKEW_MS("clock_skew_ms", (row, out) -> out.number(row.record().skewMillis())),
    CLOCK_FLAG("clock_flag", (row, out) -> out.text(row.clockFlag())),
    URL("url", (row, out) -> out.text(row.action().url())),
    X("x", (row, out) -> out.number(row.action().x())),
    Y("y", (row, out) -> out.number(row.action().y())),
    PAGE_X("page_x", (row, out) -> out.number(row.action().pageX())),
    PAGE_Y("page_y", (row, out) -> out.number(row.action().pageY())),
    SCREEN_X("screen_x", (row, out) -> out.number(row.action().screenX())),
    SCREEN_Y("screen_y", (row, out) -> out.number(row.action().screenY())),
    VW("vw", (row, out) -> out.number(row.action().vw())),
    VH("vh", (row, out) -> out.number(row.action().vh())),
    TARGET_ID("target.id", (row, out) -> out.text(target(row, Target::id))),
    TARGET_SELECTOR("target.selector", (row, out) -> out.text(target(row, Target::selector))),
    TARGET_ATTRS("target.attrs", (row, out) -> {
        Map<String, String> attrs = target(row, Target::attrs);
        out.jsonb(attrs == null ? null : ActionRow.json(attrs));
    }),
    DATA("data", (row, out) -> out.jsonb(row.action().data() == null ? null : row.action().data().toString())),
    CONTEXT("context", (row, out) -> out.encodedJsonb(row.contextJsonb()));

    private static final Map<String, ActionField> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ActionField::fieldName, field -> field));

    private final String name;
    private final ProjectedTable.Value value;

    ActionField(String name, ProjectedTable.Value value) {
        this.name = name;
        this.value = value;
    }

    /** The field {@code name} names, if it is one. */
    public static Optional<ActionField> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** As a declaration names it: {@code target.id}. */
    public String fieldName() {
        return name;
    }

    public ProjectedTable.Value value() {
        return value;
    }

    /** Its column under its own name with dots as underscores: {@code target_id}. */
    public ProjectedTable.Column column() {
        return column(name.replace('.', '_'));
    }

    public ProjectedTable.Column column(String columnName) {
        return ProjectedTable.column(columnName, value);
    }

    /** Their columns, in this order. */
    public static List<ProjectedTable.Column> columns(ActionField... fields) {
        return Arrays.stream(fields).map(ActionField::column).toList();
    }

    /** The PostgreSQL type (as information_schema names it) its value writes. */
    public String type() {
        BinaryRows probe = BinaryRows.recordingTypes();
        value.write(ProjectedTable.probeRow(), probe);
        return probe.types().get(0);
    }

    private static <T> T target(ActionRow row, Function<Target, T> part) {
        Target target = row.action().target();
        return target == null ? null : part.apply(target);
    }
}
