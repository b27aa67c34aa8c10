package io.useractions.research.export;

/**
 * One column of an export table: the single description that the CSV header, the Parquet schema and
 * metadata, datapackage.json and dictionary.md are all made from.
 *
 * @param unit  e.g. "ms", "px (CSS)"; null when unitless
 * @param frame the coordinate frame of a position column (client, page, screen); null otherwise
 * @param sql   for tables read straight from PostgreSQL: the expression selecting it; null for derived tables
 */
public record Column(String name, ColumnType type, boolean required, String unit, String frame,
                     String description, String sql) {

    public static Column of(String name, ColumnType type, String description) {
        return new Column(name, type, false, null, null, description, null);
    }

    public Column notNull() {
        return new Column(name, type, true, unit, frame, description, sql);
    }

    public Column unit(String unit) {
        return new Column(name, type, required, unit, frame, description, sql);
    }

    public Column frame(String frame) {
        return new Column(name, type, required, unit, frame, description, sql);
    }

    public Column sql(String sql) {
        return new Column(name, type, required, unit, frame, description, sql);
    }
}
