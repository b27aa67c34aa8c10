package io.useractions.processor.tables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.useractions.model.Action;
import io.useractions.processor.projection.ActionRow;
import io.useractions.processor.projection.ProjectedTable;

/**
 * A table a researcher adds, declared in YAML ({@link DeclaredTables}) or written in Java
 * ({@link TableDefinition}): one row per action it holds, keyed by the action's id. It starts with the
 * columns every table of actions has ({@code action_id}, {@code study}, {@code participant},
 * {@code session_id}, {@code condition}, {@code seq}, {@code type}, {@code client_time}), then its own,
 * then the provenance ({@code src_partition}, {@code src_offset}, {@code src_index}). Its schema is
 * generated from it, and its fingerprint, stored with the table, tells when the definition changed.
 */
public final class DerivedTable {
    public static final String KEY = "action_id";
    /** The columns every table of actions starts with, as {@link ProjectedTable#identity} writes them. */
    static final List<String> IDENTITY_DDL = List.of("action_id uuid primary key", "study text not null",
            "participant text not null", "session_id text not null", "condition text", "seq bigint not null",
            "type text not null", "client_time timestamptz not null");
    static final List<String> PROVENANCE_DDL = List.of("src_partition integer not null", "src_offset bigint not null",
            "src_index integer not null");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,50}");

    private final String name;
    private final String source;
    private final Set<String> actionTypes;
    private final Predicate<Action> holds;
    private final String holdsDescription;
    private final List<TableColumn> columns;
    private final String version;
    private final ProjectedTable projection;
    private final Builder builder;

    private DerivedTable(Builder builder, String source) {
        this.name = builder.name;
        this.source = source;
        this.actionTypes = Set.copyOf(builder.actionTypes);
        this.holds = builder.holds;
        this.holdsDescription = builder.holdsDescription;
        this.columns = List.copyOf(builder.columns);
        this.version = builder.version;
        List<ProjectedTable.Column> all = new ArrayList<>(ProjectedTable.identity(KEY));
        columns.forEach(column -> all.add(column.projected()));
        this.projection = new ProjectedTable(name, KEY, holds, all);
        this.builder = builder;
    }

    /** The same table, defined at {@code where} (a file and line, or a class). */
    DerivedTable withSource(String where) {
        return new DerivedTable(builder, where);
    }

    /** The columns every derived table has: the identity ones first, the provenance ones last. */
    public static List<String> builtInColumns() {
        List<String> names = new ArrayList<>();
        IDENTITY_DDL.forEach(ddl -> names.add(ddl.substring(0, ddl.indexOf(' '))));
        PROVENANCE_DDL.forEach(ddl -> names.add(ddl.substring(0, ddl.indexOf(' '))));
        return names;
    }

    /** Starts the definition of the table {@code name} (lower case letters, digits and underscores). */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Whether {@code name} can name a table or a column (lower case, starts with a letter, at most 51 characters). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public String name() {
        return name;
    }

    /** Where it is defined: a file and line, or a class. */
    public String source() {
        return source;
    }

    public List<TableColumn> columns() {
        return columns;
    }

    /** The action types it holds rows for; empty when a predicate decides. */
    public Set<String> actionTypes() {
        return actionTypes;
    }

    /** The declaration the sink and the replay write it by. */
    public ProjectedTable projection() {
        return projection;
    }

    /** The statements that create the table and its index by session. */
    public List<String> createStatements() {
        List<String> definitions = new ArrayList<>(IDENTITY_DDL);
        columns.forEach(column -> definitions.add(column.name() + " " + column.type().sql()));
        definitions.addAll(PROVENANCE_DDL);
        return List.of("create table " + name + " (" + String.join(", ", definitions) + ")",
                "create index " + name + "_session_seq on " + name + " (study, session_id, seq)");
    }

    /**
     * A digest of what decides the table's rows: its name, the actions it holds, each column's name, type and
     * source, and the version a Java definition gives. Stored with the table; another one at start-up means
     * the definition changed and its rows must be derived again.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder(name).append('\n').append(holdsDescription).append('\n')
                .append(version).append('\n');
        columns.forEach(c -> text.append(c.name()).append(' ').append(c.type().sql()).append(' ').append(c.from())
                .append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + source + ")";
    }

    /** A derived table's definition, column by column. */
    public static final class Builder {
        private final String name;
        private String source = "";
        private final Set<String> actionTypes = new TreeSet<>();
        private Predicate<Action> holds = action -> true;
        private String holdsDescription = "every action";
        private final List<TableColumn> columns = new ArrayList<>();
        private String version = "";

        private Builder(String name) {
            if (!isValidName(name)) {
                throw new IllegalArgumentException("table name '" + name
                        + "': use lower case letters, digits and underscores, starting with a letter");
            }
            this.name = name;
        }

        /** Holds rows only for actions of these types. */
        public Builder actions(Set<String> types) {
            actionTypes.clear();
            actionTypes.addAll(types);
            Set<String> wanted = Set.copyOf(types);
            holds = action -> wanted.contains(action.type());
            holdsDescription = "types " + actionTypes;
            return this;
        }

        /** Holds rows for the actions {@code predicate} accepts; {@code description} names it in the fingerprint. */
        public Builder holding(Predicate<Action> predicate, String description) {
            actionTypes.clear();
            holds = predicate;
            holdsDescription = description;
            return this;
        }

        /** A column of {@code type} whose value {@code value} computes; a value not of the type is NULL ({@link SqlType#write}). */
        public Builder column(String column, SqlType type, String from, Function<ActionRow, Object> value) {
            return column(column, type, from, type.of(value));
        }

        /** A column of {@code type} that {@code value} writes. */
        Builder column(String column, SqlType type, String from, ProjectedTable.Value value) {
            columns.add(new TableColumn(column, type, from, value));
            return this;
        }

        /** A Java definition's version: change it when its values change, so that the table is derived again. */
        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder source(String value) {
            source = value;
            return this;
        }

        /** The table, or an IllegalArgumentException naming the first problem. */
        public DerivedTable build() {
            Set<String> names = new TreeSet<>(builtInColumns());
            for (TableColumn column : columns) {
                if (!isValidName(column.name())) {
                    throw new IllegalArgumentException("column name '" + column.name()
                            + "': use lower case letters, digits and underscores, starting with a letter");
                }
                if (!names.add(column.name())) {
                    throw new IllegalArgumentException("column '" + column.name() + "' is defined twice (every table "
                            + "already has " + String.join(", ", builtInColumns()) + ")");
                }
            }
            return new DerivedTable(this, source);
        }
    }
}
