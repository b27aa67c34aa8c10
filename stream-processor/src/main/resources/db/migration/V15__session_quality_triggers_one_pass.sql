-- The sink's data-quality triggers in one statement over each statement's new rows, where they took two,
-- as V6 made the rebuild: the triggers were a third of PostgreSQL's CPU per projected action (about 9 of
-- 29 µs by hand, binary COPY of 3,000-action transactions), and each of their statements scanned the
-- transition table again and, for the pointer samples, sorted it again. Same results as V3's definition:
-- every part of a statement reads the summary as it stood before the statement, as the second
-- statement's join did not need to see the first's writes.

-- ui_action: the per-session sums and the skew histogram from one grouping by session and skew (a batch
-- shares its skew, so a session has few in a statement), bucketed after.
create or replace function ual_quality_actions_added() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    with per_skew as materialized (
        select study, participant, session_id, clock_skew_ms, max(condition) as condition, count(*) as actions,
               max(seq) as highest_seq, min(server_time) as first_seen, max(server_time) as last_seen,
               count(*) filter (where clock_flag is not null) as flagged_clocks,
               count(*) filter (where type = 'trial:end') as trials_completed,
               bool_or(type in ('study:complete', 'page_unload')) as finished
          from added
         group by study, participant, session_id, clock_skew_ms),
    skew as (
        insert into session_histogram as h
        select study, participant, session_id, 'skew', ual_bucket(clock_skew_ms), sum(actions)::bigint
          from per_skew
         group by study, participant, session_id, ual_bucket(clock_skew_ms)
        on conflict (study, participant, session_id, metric, bucket) do update set samples = h.samples + excluded.samples)
    insert into session_quality as q (study, participant, session_id, condition, actions, highest_seq, first_seen,
                                      last_seen, skew_worst_ms, flagged_clocks, trials_completed, finished)
    select study, participant, session_id, max(condition), sum(actions)::bigint, max(highest_seq), min(first_seen),
           max(last_seen), max(abs(clock_skew_ms)), sum(flagged_clocks)::bigint, sum(trials_completed)::bigint,
           bool_or(finished)
      from per_skew
     group by study, participant, session_id
    on conflict (study, participant, session_id) do update
       set condition = greatest(q.condition, excluded.condition),
           actions = q.actions + excluded.actions,
           highest_seq = greatest(q.highest_seq, excluded.highest_seq),
           first_seen = least(q.first_seen, excluded.first_seen),
           last_seen = greatest(q.last_seen, excluded.last_seen),
           skew_worst_ms = greatest(q.skew_worst_ms, excluded.skew_worst_ms),
           flagged_clocks = q.flagged_clocks + excluded.flagged_clocks,
           trials_completed = q.trials_completed + excluded.trials_completed,
           finished = q.finished or excluded.finished;
    return null;
end
$$;

-- mouse_position: the steps, the count and the last sample from one sort by session and seq, in one window
-- (the last sample's row number is the session's count in the statement). A statement's
-- first sample of a session steps from the last one folded in when that one came before it; samples that
-- arrive after later ones (a batch redelivered late) step from their neighbours in the statement.
create or replace function ual_quality_positions_added() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    with samples as materialized (
        select study, participant, session_id, seq, t_mono,
               lag(seq) over session_order as previous_seq,
               t_mono - lag(t_mono) over session_order as step,
               row_number() over session_order as samples,
               lead(seq) over session_order is null as last
          from added
        window session_order as (partition by study, participant, session_id order by seq)),
    steps as (
        insert into session_histogram as h
        select study, participant, session_id, 'step', ual_bucket(step), count(*)
          from (select s.study, s.participant, s.session_id,
                       case when s.previous_seq is not null then s.step
                            when q.last_pointer_seq < s.seq then s.t_mono - q.last_pointer_t_mono end as step
                  from samples s
                  left join session_quality q
                    on s.previous_seq is null and q.study = s.study and q.participant = s.participant
                   and q.session_id = s.session_id) steps
         where step is not null
         group by study, participant, session_id, ual_bucket(step)
        on conflict (study, participant, session_id, metric, bucket) do update set samples = h.samples + excluded.samples)
    insert into session_quality as q (study, participant, session_id, pointer_samples, last_pointer_seq,
                                      last_pointer_t_mono)
    select study, participant, session_id, samples, seq, t_mono
      from samples
     where last
    on conflict (study, participant, session_id) do update
       set pointer_samples = q.pointer_samples + excluded.pointer_samples,
           last_pointer_t_mono = case when q.last_pointer_seq is null or excluded.last_pointer_seq > q.last_pointer_seq
                                      then excluded.last_pointer_t_mono else q.last_pointer_t_mono end,
           last_pointer_seq = greatest(q.last_pointer_seq, excluded.last_pointer_seq);
    return null;
end
$$;
