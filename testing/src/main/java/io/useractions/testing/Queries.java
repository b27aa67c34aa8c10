package io.useractions.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test's queries with positional arguments; an SQLException becomes an IllegalStateException. */
public final class Queries {
    private Queries() {
    }

    /** The first column of the first row, as a long (a count; null is 0). */
    public static long count(Connection c, String sql, Object... args) {
        Object first = rows(c, sql, args).get(0).values().iterator().next();
        return first == null ? 0 : ((Number) first).longValue();
    }

    /** Every row, each as column label → value, in the query's order. */
    public static List<Map<String, Object>> rows(Connection c, String sql, Object... args) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
