package io.useractions.processor.tables;

/**
 * A derived table written in Java, for what a YAML declaration cannot say (a value computed from several
 * fields, a condition on the action beyond its type). Make the class a CDI bean
 * ({@code @ApplicationScoped}) in the processor and name it in a file of the tables directory
 * ({@code java: CLASS}); from then on it is one of the derived tables: created at start-up, written in the
 * sink's transaction, back-filled by {@code ./ual replay --table NAME}. Without such a file it is off.
 * See {@code io.useractions.processor.tables.examples} and docs/derived-tables.md.
 */
public interface TableDefinition {

    /** The table: built with {@link DerivedTable#named(String)}. */
    DerivedTable table();
}
