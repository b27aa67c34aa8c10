-- The audit trail of withdrawals: one row per admin action, never updated or deleted by the system. It names
-- the participant by code and counts the rows deleted per table; it holds none of their data.
create table withdrawal_audit (
    id          bigserial   primary key,
    at          timestamptz not null default now(),
    actor       text        not null,
    action      text        not null,
    study       text        not null,
    participant text        not null,
    reason      text,
    deleted     jsonb       not null default '{}'
);
create index withdrawal_audit_participant on withdrawal_audit (study, participant);
