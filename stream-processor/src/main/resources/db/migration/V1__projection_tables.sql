-- Tables derived from the raw topic. They hold nothing the topic does not: dropping them and
-- replaying the topic re-derives them exactly, so no column depends on when a row was written.

create table ui_action (
    id              uuid primary key,
    study           text not null,
    participant     text not null,
    session_id      text not null,
    condition       text,
    seq             bigint not null,
    type            text not null,
    client_time     timestamptz not null,
    t_mono          double precision,
    sent_at         timestamptz not null,
    received_at     timestamptz not null,
    url             text,
    x               double precision,
    y               double precision,
    page_x          double precision,
    page_y          double precision,
    screen_x        double precision,
    screen_y        double precision,
    vw              integer,
    vh              integer,
    target_id       text,
    target_selector text,
    target_attrs    jsonb,
    data            jsonb,
    context         jsonb,
    src_partition   integer not null,
    src_offset      bigint not null
);

create index ui_action_session_seq on ui_action (study, session_id, seq);
create index ui_action_study_time on ui_action (study, client_time);

create table mouse_position (
    action_id       uuid primary key,
    study           text not null,
    participant     text not null,
    session_id      text not null,
    condition       text,
    seq             bigint not null,
    type            text not null,
    client_time     timestamptz not null,
    t_mono          double precision,
    x               double precision not null,
    y               double precision not null,
    page_x          double precision,
    page_y          double precision,
    screen_x        double precision,
    screen_y        double precision,
    vw              integer,
    vh              integer
);

create index mouse_position_session_seq on mouse_position (study, session_id, seq);

-- Consumer positions of the PostgreSQL sink, written in the same transaction as the rows they cover.
create table projection_offset (
    topic       text not null,
    partition   integer not null,
    next_offset bigint not null,
    primary key (topic, partition)
);
