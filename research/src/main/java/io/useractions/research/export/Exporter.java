package io.useractions.research.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;
import io.useractions.research.trajectory.Trajectory;

/**
 * Writes an export package (the selected tables, datapackage.json, dictionary.md) to a directory or as a
 * zip to a stream, or one table to a stream. All tables of one call are read in one REPEATABLE READ,
 * read-only transaction, so they agree with each other while the pipeline keeps writing; rows stream
 * through (no table is held in memory) in a fixed order, so unchanged data exports byte-identically.
 */
public final class Exporter {

    /** Where connections come from: DriverManager, a DataSource, ... The exporter closes what it opens. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    public static final String DATAPACKAGE = "datapackage.json";
    public static final String DICTIONARY = "dictionary.md";

    private final ConnectionSource db;

    public Exporter(ConnectionSource db) {
        this.db = db;
    }

    /** The tables of a request in package order, described for its frame. */
    public static List<Table> tables(ExportRequest request) {
        return request.tables().stream().sorted()
                .map(t -> Tables.describe(t, request.frame(), request.analysis())).toList();
    }

    /**
     * Checks a request against the database (unknown study, condition or participant) before anything is
     * written, for callers that cannot take back what they started to send, such as an HTTP response.
     */
    public void validate(ExportRequest request) throws SQLException {
        try (Connection c = db.open()) {
            c.setReadOnly(true);
            check(c, request.filter());
        }
    }

    /** A trial with its trajectory after the request's preparation; null when its samples are no trajectory. */
    public record PreparedTrial(Trial trial, Trajectory prepared) {
    }

    /**
     * Streams the request's trials (its filter, markers, frame and analysis) with their prepared
     * trajectories, in the export's order, from one read-only snapshot: for plots and summaries.
     */
    public void trials(ExportRequest request, Consumer<PreparedTrial> out) throws SQLException {
        inSnapshot(request, c -> {
            Progress unseen = new Progress("trials", Progress.ACTIONS, -1, ProgressListener.NONE);
            TrialSource.stream(c, request, unseen, trial -> out.accept(new PreparedTrial(trial,
                    DerivedTables.prepared(trial, request.frame(), request.analysis()))));
        });
    }

    /**
     * The summary of each of the request's sessions, computed from its rows as the processor's
     * session_summary table holds it (docs/derived-tables.md), from one read-only snapshot.
     */
    public void sessions(ExportRequest request, Consumer<SessionSummary> out) throws SQLException {
        inSnapshot(request, c -> TrialSource.summaries(c, request, out));
    }

    @FunctionalInterface
    private interface Reading {
        void read(Connection c) throws SQLException;
    }

    /** Runs {@code reading} in one read-only snapshot of the database, after checking the request's study. */
    private void inSnapshot(ExportRequest request, Reading reading) throws SQLException {
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                check(c, request.filter());
                reading.read(c);
            } finally {
                c.rollback();
            }
        }
    }

    public ExportSummary toDirectory(ExportRequest request, Path dir, ProgressListener progress)
            throws SQLException, IOException {
        return run(request, (c, tables) -> {
            Files.createDirectories(dir);
            List<TableSummary> written = new ArrayList<>();
            for (Table t : tables) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(
                        t.fileName(request.format()))), 1 << 16)) {
                    written.add(write(c, request, t, out, progress));
                }
            }
            Files.writeString(dir.resolve(DATAPACKAGE), DataPackage.json(request, tables), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(DICTIONARY), Dictionary.markdown(request, tables), StandardCharsets.UTF_8);
            return written;
        });
    }

    /** The package as a zip; entries carry a fixed time, so the zip too is byte-identical on repeat. */
    public ExportSummary toZip(ExportRequest request, OutputStream out, ProgressListener progress)
            throws SQLException, IOException {
        return run(request, (c, tables) -> {
            ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
            List<TableSummary> written = new ArrayList<>();
            for (Table t : tables) {
                zip.putNextEntry(entry(t.fileName(request.format())));
                written.add(write(c, request, t, zip, progress));
                zip.closeEntry();
            }
            zip.putNextEntry(entry(DATAPACKAGE));
            zip.write(DataPackage.json(request, tables).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(entry(DICTIONARY));
            zip.write(Dictionary.markdown(request, tables).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
            zip.flush();
            return written;
        });
    }

    /** One table in the request's format; the request's table set is ignored. */
    public TableSummary table(ExportRequest request, TableName table, OutputStream out, ProgressListener progress)
            throws SQLException, IOException {
        ExportRequest one = request.withTables(java.util.Set.of(table));
        ExportSummary s = run(one, (c, tables) -> List.of(write(c, one, tables.get(0), out, progress)));
        return s.tables().get(0);
    }

    private interface Work {
        List<TableSummary> run(Connection c, List<Table> tables) throws SQLException, IOException;
    }

    private ExportSummary run(ExportRequest request, Work work) throws SQLException, IOException {
        long started = System.nanoTime();
        List<Table> tables = tables(request);
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL standard_conforming_strings = on");
                }
                check(c, request.filter());
                List<TableSummary> written = work.run(c, tables);
                return new ExportSummary(request.filter().study(), request.format(), written,
                        (System.nanoTime() - started) / 1e9);
            } finally {
                c.rollback();
            }
        }
    }

    private static TableSummary write(Connection c, ExportRequest request, Table table, OutputStream target,
                                      ProgressListener listener) throws SQLException, IOException {
        CountingOutputStream out = new CountingOutputStream(target);
        boolean fromDatabase = table.name() == TableName.ACTIONS || table.name() == TableName.POSITIONS;
        long total = listener.wantsTotals() ? count(c, table, request.filter()) : -1;
        Progress progress = new Progress(table.label(), fromDatabase ? Progress.ROWS : Progress.ACTIONS, total,
                listener);
        long written;
        try (RowWriter rows = request.format() == Format.CSV ? new CsvRowWriter(out, table)
                : new ParquetRowWriter(out, table)) {
            written = fromDatabase ? DatabaseTables.rows(c, table, request.filter(), rows, progress)
                    : writeDerived(c, request, table, rows, progress);
        }
        out.flush();
        progress.done();
        return new TableSummary(table.label(), written, out.count(), progress.seconds());
    }

    /** What {@link Progress} will count for the table, counted in the export's snapshot. */
    private static long count(Connection c, Table table, ExportFilter filter) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.count(table, filter))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes a derived table's rows, counting the actions read in {@code progress}; returns the rows. */
    private static long writeDerived(Connection c, ExportRequest request, Table table, RowWriter rows,
                                     Progress progress) throws SQLException, IOException {
        long[] written = {0};
        try {
            TrialSource.stream(c, request, progress, trial -> {
                try {
                    written[0] += DerivedTables.write(table.name(), trial, request.frame(), request.analysis(), rows);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return written[0];
    }

    /** Unknown study, condition or participant: an error rather than an empty package. */
    private static void check(Connection c, ExportFilter f) throws SQLException {
        if (!exists(c, "study = ?", f.study())) {
            throw new UnknownStudyException(f.study());
        }
        if (f.condition() != null && !exists(c, "study = ? AND condition = ?", f.study(), f.condition())) {
            throw new ExportRequestException("study '" + f.study() + "' has no condition '" + f.condition() + "'");
        }
        if (f.participant() != null && !exists(c, "study = ? AND participant = ?", f.study(), f.participant())) {
            throw new ExportRequestException("study '" + f.study() + "' has no participant '" + f.participant() + "'");
        }
    }

    private static boolean exists(Connection c, String where, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM ui_action WHERE " + where + ")")) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(315_532_800_000L); // 1980-01-01, the zip format's first representable time
        return e;
    }
}
