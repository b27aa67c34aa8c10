-- The derived tables the processor created from their definitions (docs/derived-tables.md), each with
-- the fingerprint of the definition its rows were derived by: another one at start-up means the
-- definition changed, and the table is created again and back-filled by ./ual replay --table NAME.
create table ual_derived_table (
    name        text primary key,
    fingerprint text not null,
    source      text not null,
    defined_at  timestamptz not null default now()
);
