package io.useractions.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The JDBC steps the stores share: a unit of work in one transaction, plain statements, a bound update. */
public final class Jdbc {
    private Jdbc() {
    }

    /** What runs inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on {@code connection} in a transaction: committed when it returns, rolled back when
     * it throws (a failing rollback is added to what it threw). Leaves auto-commit off: a pooled connection
     * gets it back from the pool.
     */
    public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Runs the query {@code sql} with {@code values} bound to its parameters, and hands each row to {@code each}. */
    public static void query(Connection connection, String sql, RowReader each, Object... values) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = bind(query, values).executeQuery()) {
            while (rows.next()) {
                each.read(rows);
            }
        }
    }

    /** Executes each statement, in order, without parameters ({@code set local ...}, {@code lock table ...}). */
    public static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Executes {@code sql} with {@code values} bound to its parameters in order; returns the rows it changed. */
    public static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            return bind(update, values).executeUpdate();
        }
    }

    /** Binds {@code values} to {@code statement}'s parameters in order (by {@code setObject}); returns it. */
    public static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }
}
