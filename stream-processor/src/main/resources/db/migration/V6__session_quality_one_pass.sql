-- The session summary at less cost, for the sink's triggers and for a replay's rebuild.
--
-- ual_bucket without STRICT: PostgreSQL inlines a SQL function only when it is not declared STRICT (or
-- its body is strict itself, which a CASE is not), and a call that is not inlined costs about 4 µs, once
-- per action and once per pointer step in the triggers. Its result is the same: null for null.

create or replace function ual_bucket(v double precision) returns integer
    language sql immutable parallel safe as $$
    select (sign(v) * case when abs(v) < 64 then floor(abs(v) * 4)
                           else 256 + floor(64 * ln(abs(v) / 64) / ln(2)) end)::integer
$$;

-- The summary derived from the rows in one pass over each table, where it took two. ui_action: the
-- per-session sums and the skew histogram come from one grouping by session and skew (a batch shares
-- its skew, so a session has few), bucketed after. mouse_position: the steps, the count and the last
-- sample come from one sort by session and seq. Same results as V3's definition.

create or replace function ual_session_quality_derive_from(keys text) returns void language plpgsql as $$
declare
    actions   text := case when keys is null then 'ui_action a'
                           else format('ui_action a join %I k using (study, participant, session_id)', keys) end;
    positions text := case when keys is null then 'mouse_position m'
                           else format('mouse_position m join %I k using (study, participant, session_id)', keys) end;
begin
    execute format($sql$
        with per_skew as materialized (
            select a.study, a.participant, a.session_id, a.clock_skew_ms,
                   max(a.condition) as condition, count(*) as actions, max(a.seq) as highest_seq,
                   min(a.server_time) as first_seen, max(a.server_time) as last_seen,
                   count(*) filter (where a.clock_flag is not null) as flagged_clocks,
                   count(*) filter (where a.type = 'trial:end') as trials_completed,
                   bool_or(a.type in ('study:complete', 'page_unload')) as finished
              from %s
             group by a.study, a.participant, a.session_id, a.clock_skew_ms),
        skew as (
            insert into session_histogram
            select study, participant, session_id, 'skew', ual_bucket(clock_skew_ms), sum(actions)
              from per_skew
             group by study, participant, session_id, ual_bucket(clock_skew_ms))
        insert into session_quality (study, participant, session_id, condition, actions, highest_seq, first_seen,
                                     last_seen, skew_worst_ms, flagged_clocks, trials_completed, finished)
        select study, participant, session_id, max(condition), sum(actions), max(highest_seq), min(first_seen),
               max(last_seen), max(abs(clock_skew_ms)), sum(flagged_clocks), sum(trials_completed), bool_or(finished)
          from per_skew
         group by study, participant, session_id$sql$, actions);
    execute format($sql$
        with samples as materialized (
            select m.study, m.participant, m.session_id, m.seq, m.t_mono,
                   m.t_mono - lag(m.t_mono) over session_order as step,
                   count(*) over (partition by m.study, m.participant, m.session_id) as samples,
                   lead(m.seq) over session_order is null as last
              from %s
            window session_order as (partition by m.study, m.participant, m.session_id order by m.seq)),
        steps as (
            insert into session_histogram
            select study, participant, session_id, 'step', ual_bucket(step), count(*)
              from samples
             where step is not null
             group by study, participant, session_id, ual_bucket(step))
        update session_quality q
           set pointer_samples = p.samples, last_pointer_seq = p.seq, last_pointer_t_mono = p.t_mono
          from samples p
         where p.last and q.study = p.study and q.participant = p.participant
           and q.session_id = p.session_id$sql$, positions);
end
$$;
