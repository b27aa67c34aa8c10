-- Participants who withdrew: their rows are deleted everywhere, their new actions refused and dropped.
CREATE TABLE participant_withdrawal (
    study        text        NOT NULL,
    participant  text        NOT NULL,
    withdrawn_at timestamptz NOT NULL DEFAULT now(),
    withdrawn_by text        NOT NULL,
    reason       text,
    PRIMARY KEY (study, participant)
);
