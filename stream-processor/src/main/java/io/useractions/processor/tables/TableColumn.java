package io.useractions.processor.tables;

import io.useractions.processor.projection.ProjectedTable;

/**
 * A column of a derived table: its name, its type, where its value comes from (a field such as
 * {@code data.trial} for a declared table, a description for a Java one) and the value itself.
 */
public record TableColumn(String name, SqlType type, String from, ProjectedTable.Value value) {

    /** The column as the COPY writer takes it. */
    ProjectedTable.Column projected() {
        return ProjectedTable.column(name, value);
    }
}
