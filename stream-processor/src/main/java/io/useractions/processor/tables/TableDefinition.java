package io.useractions.processor.tables;

/**
 * A derived table written in Java, for what a YAML declaration cannot say (a value computed from several
 * fields, a condition on the action beyond its type). Make the class a CDI bean
 * ({@code @ApplicationScoped}) in the processor and it is registered with the declared tables: created
 * at start-up, written in the sink's transaction, back-filled by {@code ./ual replay --table NAME}.
 * See {@code io.useractions.processor.tables.examples} and docs/derived-tables.md.
 */
public interface TableDefinition {

    /** The table: built with {@link DerivedTable#named(String)}. */
    DerivedTable table();
}
