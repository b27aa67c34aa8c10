-- Tables whose rows span actions, kept by the processor's Kafka Streams topology from a state store per
-- session (io.useractions.processor.sessions.Sessions) and upserted by the sink with the core rows and the
-- offsets. The columns are those of the research export's trials table and of SessionSummary; the last
-- three are the raw-topic place of the action that last changed the row, which a replay compares with its
-- snapshot like every table's.

create table trial (
    mt_id              text not null,
    study              text not null,
    participant        text not null,
    session_id         text not null,
    condition          text,
    trial              bigint not null,
    ordinal            integer not null,
    outcome            text,
    incomplete         boolean not null,
    start_seq          bigint not null,
    end_seq            bigint not null,
    start_client_time  timestamptz not null,
    end_client_time    timestamptz not null,
    start_server_time  timestamptz not null,
    end_server_time    timestamptz not null,
    misses             integer not null,
    samples            integer not null,
    interval_median_ms double precision,
    interval_p95_ms    double precision,
    lost_actions       bigint not null,
    clock_flagged      boolean not null,
    time_base          text not null,
    src_partition      integer not null,
    src_offset         bigint not null,
    src_index          integer not null,
    primary key (study, participant, session_id, start_seq)
);

create table session_summary (
    study             text not null,
    participant       text not null,
    session_id        text not null,
    condition         text,
    actions           bigint not null,
    first_seq         bigint not null,
    last_seq          bigint not null,
    lost_actions      bigint not null,
    late_actions      bigint not null,
    first_client_time timestamptz not null,
    last_client_time  timestamptz not null,
    first_server_time timestamptz not null,
    last_server_time  timestamptz not null,
    pointer_samples   bigint not null,
    flagged_clocks    bigint not null,
    trials            bigint not null,
    trials_completed  bigint not null,
    in_trial          boolean not null,
    src_partition     integer not null,
    src_offset        bigint not null,
    src_index         integer not null,
    primary key (study, participant, session_id)
);
