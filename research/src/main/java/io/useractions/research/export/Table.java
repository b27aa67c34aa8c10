package io.useractions.research.export;

import java.util.List;

/** An export table: its name (file name without extension), what one row is, its columns and key. */
public record Table(TableName name, String description, List<Column> columns, List<String> primaryKey) {

    public Table {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public String label() {
        return name.label();
    }

    public String fileName(Format format) {
        return label() + "." + format.extension();
    }
}
