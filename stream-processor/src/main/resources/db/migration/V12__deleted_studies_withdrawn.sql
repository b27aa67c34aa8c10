-- A study's deletion is now the withdrawal of all its participants: a participant_withdrawal row with the
-- blank participant, which the sink's guard reads under its lock. Studies deleted before get theirs here,
-- so that the processor keeps dropping their records.
insert into participant_withdrawal (study, participant, withdrawn_at, withdrawn_by, reason)
select id, '', updated_at, 'migration', 'study deleted'
from study
where state = 'deleted'
on conflict (study, participant) do nothing;

comment on column study.retention is
    'how long after it was (last) closed the study is deleted by the processor''s retention job; null: kept';
