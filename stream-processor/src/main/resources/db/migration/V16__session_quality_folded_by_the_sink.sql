-- The sink folds its rows into the data-quality summary itself, where the insert triggers did. PostgreSQL
-- fills an insert trigger's transition table with every row of every COPY, even when the trigger then
-- stands aside, and that was most of what the projection paid over a bare COPY (docs/benchmarks.md).
-- The sink now sums each transaction's rows per session in Java (QualityFold) and hands the sums to
-- ual_quality_fold below, in the transaction of the rows; the buckets stay with ual_bucket here, so the
-- live summary still equals one rebuilt from the rows. Deletes, updates and truncates keep their triggers:
-- they recompute the sessions they touch. Any other writer of ui_action or mouse_position (a script, a
-- test) rebuilds the summary of the sessions it wrote with ual_session_quality_derive.

drop trigger ual_quality_actions_added on ui_action;
drop trigger ual_quality_positions_added on mouse_position;
drop function ual_quality_actions_added();
drop function ual_quality_positions_added();

-- Epoch milliseconds as the timestamptz the sink's binary COPY writes for them, exactly: whole days, then
-- milliseconds, added without a time zone (no float arithmetic, no daylight-saving shift).
create function ual_epoch_ms(ms bigint) returns timestamptz
    language sql immutable parallel safe as $$
    select (timestamp '1970-01-01' + (ms / 86400000) * interval '1 day' + (ms % 86400000) * interval '1 ms')
           at time zone 'UTC'
$$;

-- What one transaction's new rows add, as the V15 triggers added it, from the sink's sums in columns:
--   sessions (1-based by position): their key, and their new pointer samples' count, first and last;
--   groups: a session's actions of one clock skew and one condition (a batch shares both), summed;
--   steps: the t_mono steps between a session's consecutive new samples in seq order.
-- A session's first new sample steps from the last one stored when that one came before it. Every part
-- of the statement reads the summary as it stood before it, as the triggers' statements did.
create function ual_quality_fold(
        studies text[], participants text[], session_ids text[], pointer_samples bigint[],
        first_pointer_seqs bigint[], first_pointer_t_monos double precision[], last_pointer_seqs bigint[],
        last_pointer_t_monos double precision[],
        group_sessions integer[], group_conditions text[], group_skews_ms bigint[], group_actions bigint[],
        group_highest_seqs bigint[], group_first_seen_ms bigint[], group_last_seen_ms bigint[],
        group_flagged_clocks bigint[], group_trials_completed bigint[], group_finished boolean[],
        step_sessions integer[], steps double precision[]) returns void language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return;
    end if;
    with sessions as (
        select * from unnest(studies, participants, session_ids, pointer_samples, first_pointer_seqs,
                             first_pointer_t_monos, last_pointer_seqs, last_pointer_t_monos)
                 with ordinality as s(study, participant, session_id, samples, first_seq, first_t_mono, last_seq,
                                      last_t_mono, i)),
    groups as (
        select * from unnest(group_sessions, group_conditions, group_skews_ms, group_actions, group_highest_seqs,
                             group_first_seen_ms, group_last_seen_ms, group_flagged_clocks, group_trials_completed,
                             group_finished)
                 as g(i, condition, clock_skew_ms, actions, highest_seq, first_seen_ms, last_seen_ms,
                      flagged_clocks, trials_completed, finished)),
    all_steps as (
        select i, step from unnest(step_sessions, steps) as t(i, step)
        union all
        select s.i, s.first_t_mono - q.last_pointer_t_mono
          from sessions s
          join session_quality q using (study, participant, session_id)
         where q.last_pointer_seq < s.first_seq),
    histogram as (
        insert into session_histogram as h
        select s.study, s.participant, s.session_id, b.metric, b.bucket, b.samples
          from (select i, 'skew' as metric, ual_bucket(clock_skew_ms) as bucket, sum(actions)::bigint as samples
                  from groups
                 group by i, ual_bucket(clock_skew_ms)
                 union all
                select i, 'step', ual_bucket(step), count(*)
                  from all_steps
                 where step is not null
                 group by i, ual_bucket(step)) b
          join sessions s on s.i = b.i
        on conflict (study, participant, session_id, metric, bucket) do update set samples = h.samples + excluded.samples)
    insert into session_quality as q (study, participant, session_id, condition, actions, highest_seq, first_seen,
                                      last_seen, skew_worst_ms, flagged_clocks, trials_completed, finished,
                                      pointer_samples, last_pointer_seq, last_pointer_t_mono)
    select s.study, s.participant, s.session_id, max(g.condition), coalesce(sum(g.actions), 0)::bigint,
           coalesce(max(g.highest_seq), 0), ual_epoch_ms(min(g.first_seen_ms)), ual_epoch_ms(max(g.last_seen_ms)),
           coalesce(max(abs(g.clock_skew_ms)), 0), coalesce(sum(g.flagged_clocks), 0)::bigint,
           coalesce(sum(g.trials_completed), 0)::bigint, coalesce(bool_or(g.finished), false), s.samples, s.last_seq,
           s.last_t_mono
      from sessions s
      left join groups g on g.i = s.i
     group by s.i, s.study, s.participant, s.session_id, s.samples, s.last_seq, s.last_t_mono
    -- A session with new samples but no new actions (its actions were stored, its samples not) adds zeros
    -- and nulls, which leave the stored values as they are: seqs are not negative.
    on conflict (study, participant, session_id) do update
       set condition = greatest(q.condition, excluded.condition),
           actions = q.actions + excluded.actions,
           highest_seq = greatest(q.highest_seq, excluded.highest_seq),
           first_seen = least(q.first_seen, excluded.first_seen),
           last_seen = greatest(q.last_seen, excluded.last_seen),
           skew_worst_ms = greatest(q.skew_worst_ms, excluded.skew_worst_ms),
           flagged_clocks = q.flagged_clocks + excluded.flagged_clocks,
           trials_completed = q.trials_completed + excluded.trials_completed,
           finished = q.finished or excluded.finished,
           pointer_samples = q.pointer_samples + excluded.pointer_samples,
           last_pointer_t_mono = case when q.last_pointer_seq is null or excluded.last_pointer_seq > q.last_pointer_seq
                                      then excluded.last_pointer_t_mono else q.last_pointer_t_mono end,
           last_pointer_seq = greatest(q.last_pointer_seq, excluded.last_pointer_seq);
end
$$;
