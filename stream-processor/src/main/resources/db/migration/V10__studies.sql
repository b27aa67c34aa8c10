-- Studies as data: the ingest services poll these tables (read-only) and the processor's admin API
-- (/admin/studies) writes them. A deleted study keeps its row, so that its batches get 410 and the
-- processor keeps dropping its records; its rows in the data tables are gone.
create table study (
    id         text        primary key,
    state      text        not null default 'open' check (state in ('open', 'closed', 'deleted')),
    -- browser origins allowed to post ('*' for any); requests without an Origin header are not browsers
    origins    text[]      not null default '{}',
    -- for later: how long after it closed the study's data is kept
    retention  interval,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- Write keys, never in plaintext: key_hash is the hex SHA-256 of the key. A key works from valid_from
-- until valid_until (for ever when null); a rotation gives the old keys a valid_until at the end of the
-- overlap, so both work until then.
create table study_key (
    study       text        not null references study (id),
    key_hash    text        not null,
    valid_from  timestamptz not null default now(),
    valid_until timestamptz,
    created_at  timestamptz not null default now(),
    primary key (study, key_hash)
);

-- Who changed which study how, and when; never key material.
create table study_audit (
    id     bigint generated always as identity primary key,
    study  text        not null,
    action text        not null,
    actor  text        not null,
    at     timestamptz not null default now(),
    detail jsonb
);

create index study_audit_study on study_audit (study, at);
