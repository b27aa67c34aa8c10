-- Each participant's data keys, wrapped by the master key (docs/withdrawal.md): the ingest seals their
-- records with the newest, every reader opens them with the one a record names. A withdrawal (a study's
-- deletion, its retention) deletes the rows in its own transaction, which makes every copy of their
-- records in Kafka unreadable once the readers' caches expire.
CREATE TABLE participant_key (
    study        text        NOT NULL,
    participant  text        NOT NULL,
    key_id       integer     NOT NULL,
    wrapped_key  bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (study, participant, key_id)
);
