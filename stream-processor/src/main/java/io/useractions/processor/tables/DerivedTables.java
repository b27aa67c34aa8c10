package io.useractions.processor.tables;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.arc.ClientProxy;
import io.useractions.model.Jdbc;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.sessions.SessionTables;

/**
 * The tables the sink and the replay write: the core ones ({@link ProjectedTable#CORE}) and the derived
 * ones of {@code ual.processor.tables.dir}, declared in YAML or written in Java ({@link TableDefinition}
 * beans, each on while a file there names it). At start-up {@link #ensureSchema()} creates a derived table that is new and re-creates one whose
 * definition changed (its fingerprint, kept in {@code ual_derived_table}, differs), keeping the previous
 * rows in {@code NAME_old}; either starts empty, to be back-filled by {@code ./ual replay --table NAME}.
 */
@ApplicationScoped
public class DerivedTables {
    private static final Logger LOG = Logger.getLogger(DerivedTables.class);
    /** Serializes the schema changes of processors that start together. */
    private static final long SCHEMA_LOCK = 0x75616c5f74626c73L;

    private final List<DerivedTable> derived;
    private final List<ProjectedTable> all;
    private final DataSource dataSource;

    @Inject
    public DerivedTables(ProcessorConfig config, Instance<TableDefinition> javaTables, DataSource dataSource) {
        this(without(definitions(config.tables().dir().map(Path::of), javaTables),
                config.tables().skip().orElse(List.of())), config.sessions().enabled(), dataSource);
    }

    DerivedTables(List<DerivedTable> derived, boolean sessions, DataSource dataSource) {
        this.derived = List.copyOf(derived);
        List<ProjectedTable> tables = new ArrayList<>(ProjectedTable.CORE);
        if (sessions) {
            tables.addAll(SessionTables.ALL);
        }
        derived.forEach(table -> tables.add(table.projection()));
        this.all = List.copyOf(tables);
        this.dataSource = dataSource;
    }

    /**
     * The tables of the directory's files: declared ones, and the Java ones ({@code javaTables}) that a file
     * names, so that a Java table is added or removed like a declared one. A name used twice or by a core
     * table is refused.
     */
    static List<DerivedTable> definitions(Optional<Path> directory, Iterable<TableDefinition> javaTables) {
        Map<String, TableDefinition> byClass = new HashMap<>();
        for (TableDefinition definition : javaTables) {
            byClass.put(className(definition), definition);
        }
        List<DerivedTable> tables = directory.map(dir -> DeclaredTables.load(dir, byClass)).orElse(List.of());
        Map<String, DerivedTable> byName = new HashMap<>();
        for (DerivedTable table : tables) {
            boolean core = ProjectedTable.CORE.stream().anyMatch(c -> c.name().equals(table.name()))
                    || SessionTables.ALL.stream().anyMatch(c -> c.name().equals(table.name()));
            if (core) {
                throw new DefinitionException(table.source() + ": table '" + table.name() + "' is a core table");
            }
            DerivedTable before = byName.putIfAbsent(table.name(), table);
            if (before != null) {
                throw new DefinitionException(table.source() + ": table '" + table.name() + "' is also defined in "
                        + before.source());
            }
        }
        return tables;
    }

    /** The tables but those named in {@code skip} (ual.processor.tables.skip); a name no table has is refused. */
    static List<DerivedTable> without(List<DerivedTable> tables, List<String> skip) {
        for (String name : skip) {
            if (tables.stream().noneMatch(table -> table.name().equals(name))) {
                throw new DefinitionException("ual.processor.tables.skip: no derived table is named '" + name
                        + "'; defined: " + String.join(", ", tables.stream().map(DerivedTable::name).toList()));
            }
        }
        return tables.stream().filter(table -> !skip.contains(table.name())).toList();
    }

    /** The definition's own class, not the CDI proxy's. */
    private static String className(TableDefinition definition) {
        return ClientProxy.unwrap(definition).getClass().getName();
    }

    /** Every table, core first, then trial and session_summary, in the order the sink writes them. */
    public List<ProjectedTable> all() {
        return all;
    }

    /** The kept table of rows spanning actions called {@code name}, or null. */
    public ProjectedTable spanning(String name) {
        for (ProjectedTable table : all) {
            if (table.upserted() && table.name().equals(name)) {
                return table;
            }
        }
        return null;
    }

    public List<DerivedTable> derived() {
        return derived;
    }

    /** The derived table {@code name}, if there is one. */
    public Optional<DerivedTable> derived(String name) {
        return derived.stream().filter(table -> table.name().equals(name)).findFirst();
    }

    /**
     * Creates each derived table that does not exist and re-creates each whose definition changed, in one
     * transaction; refuses a name that a table outside this registry already has.
     */
    public void ensureSchema() {
        if (derived.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            Jdbc.inTransaction(connection, c -> {
                try (Statement statement = c.createStatement()) {
                    statement.execute("select pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                    for (DerivedTable table : derived) {
                        ensure(c, statement, table);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the derived tables: " + e.getMessage(), e);
        }
    }

    private static void ensure(Connection connection, Statement statement, DerivedTable table) throws SQLException {
        String stored = null;
        try (PreparedStatement query = connection.prepareStatement(
                "select fingerprint from ual_derived_table where name = ?")) {
            query.setString(1, table.name());
            try (ResultSet rs = query.executeQuery()) {
                stored = rs.next() ? rs.getString(1) : null;
            }
        }
        String fingerprint = table.fingerprint();
        if (fingerprint.equals(stored)) {
            return;
        }
        boolean exists;
        try (PreparedStatement query = connection.prepareStatement("select to_regclass(?) is not null")) {
            query.setString(1, table.name());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                exists = rs.getBoolean(1);
            }
        }
        if (stored == null && exists) {
            throw new DefinitionException(table.source() + ": a table named '" + table.name()
                    + "' already exists and is not a derived table: choose another name");
        }
        if (exists) {
            String old = table.name() + "_old";
            statement.execute("drop table if exists " + old);
            statement.execute("alter table " + table.name() + " rename to " + old);
            statement.execute("alter index if exists " + table.name() + "_pkey rename to " + old + "_pkey");
            statement.execute("alter index if exists " + table.name() + "_session_seq rename to " + old + "_session_seq");
            LOG.warnf("The definition of table %s changed (%s): the table starts again empty, its previous rows are "
                    + "in %s; run ./ual replay --table %s to derive it from the raw topic", table.name(), table.source(),
                    old, table.name());
        } else {
            LOG.infof("Created table %s (%s); rows from now on; run ./ual replay --table %s to derive the earlier "
                    + "ones", table.name(), table.source(), table.name());
        }
        for (String ddl : table.createStatements()) {
            statement.execute(ddl);
        }
        try (PreparedStatement upsert = connection.prepareStatement("insert into ual_derived_table (name, fingerprint, "
                + "source) values (?, ?, ?) on conflict (name) do update set fingerprint = excluded.fingerprint, "
                + "source = excluded.source, defined_at = now()")) {
            upsert.setString(1, table.name());
            upsert.setString(2, fingerprint);
            upsert.setString(3, table.source());
            upsert.executeUpdate();
        }
    }
}
