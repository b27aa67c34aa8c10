package io.useractions.research.export;

/**
 * A column's type, with its names in the three places it appears: the Frictionless Table Schema, the
 * PostgreSQL expression a database table is read with, and Parquet (see ParquetRowWriter).
 */
public enum ColumnType {
    /** UTF-8 text; ids are strings */
    STRING("string", "text"),
    /** 64-bit integer */
    INTEGER("integer", "int8"),
    /** 64-bit floating point */
    NUMBER("number", "float8"),
    BOOLEAN("boolean", "bool"),
    /** an instant, UTC, millisecond precision */
    TIMESTAMP("datetime", "timestamptz");

    private final String frictionless;
    private final String postgres;

    ColumnType(String frictionless, String postgres) {
        this.frictionless = frictionless;
        this.postgres = postgres;
    }

    public String frictionless() {
        return frictionless;
    }

    public String postgres() {
        return postgres;
    }
}
