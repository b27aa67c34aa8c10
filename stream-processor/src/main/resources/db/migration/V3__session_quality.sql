-- Per session, what the research console's data-quality view shows, kept by PostgreSQL itself so that
-- the overview reads one row per session instead of scanning every action. Statement triggers fold each
-- statement's new rows in (the sink's COPY, its staged INSERT ... ON CONFLICT DO NOTHING, whose new-rows
-- table holds only the rows inserted, and a replay's swap), in the same transaction as the rows; a
-- statement that deletes, updates or truncates rows recomputes the sessions it touched from their rows.
-- The replay's swap rebuilds both tables from the rows, so a replay re-derives them like every table;
-- it sets ual.session_quality_deferred for its transaction, so the triggers leave that work to the rebuild.

create table session_quality (
    study               text not null,
    participant         text not null,
    session_id          text not null,
    condition           text,
    actions             bigint not null default 0,
    highest_seq         bigint not null default 0,
    first_seen          timestamptz,
    last_seen           timestamptz,
    skew_worst_ms       bigint not null default 0,
    flagged_clocks      bigint not null default 0,
    trials_completed    bigint not null default 0,
    finished            boolean not null default false,
    pointer_samples     bigint not null default 0,
    -- the last pointer sample folded in, for the step to the next statement's first one
    last_pointer_seq    bigint,
    last_pointer_t_mono double precision,
    primary key (study, participant, session_id)
);

-- Distributions as histograms, so that medians and percentiles add up across statements: 'skew' counts
-- clock_skew_ms, 'step' the t_mono steps between a session's consecutive pointer samples in seq order.
create table session_histogram (
    study       text not null,
    participant text not null,
    session_id  text not null,
    metric      text not null,
    bucket      integer not null,
    samples     bigint not null,
    primary key (study, participant, session_id, metric, bucket)
);

-- Quarter-millisecond buckets below 64 ms, then 64 per doubling (each 1.1% wide), signed; ordering the
-- buckets orders the values. SessionHistogram (research module) maps a bucket back to its value.
create function ual_bucket(v double precision) returns integer
    language sql immutable strict parallel safe as $$
    select (sign(v) * case when abs(v) < 64 then floor(abs(v) * 4)
                           else 256 + floor(64 * ln(abs(v) / 64) / ln(2)) end)::integer
$$;

-- The markers below are the logger's and the study app's: a trial's end, and a session that finished.
create function ual_quality_actions_added() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    insert into session_quality as q (study, participant, session_id, condition, actions, highest_seq, first_seen,
                                      last_seen, skew_worst_ms, flagged_clocks, trials_completed, finished)
    select study, participant, session_id, max(condition), count(*), max(seq), min(server_time), max(server_time),
           max(abs(clock_skew_ms)), count(*) filter (where clock_flag is not null),
           count(*) filter (where type = 'trial:end'), bool_or(type in ('study:complete', 'page_unload'))
      from added
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
    insert into session_histogram as h
    select study, participant, session_id, 'skew', ual_bucket(clock_skew_ms), count(*)
      from added
     group by study, participant, session_id, ual_bucket(clock_skew_ms)
    on conflict (study, participant, session_id, metric, bucket) do update set samples = h.samples + excluded.samples;
    return null;
end
$$;

-- A statement's first sample of a session steps from the last one folded in when that one came before it;
-- samples that arrive after later ones (a batch redelivered late) step from their neighbours in the statement.
create function ual_quality_positions_added() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    insert into session_histogram as h
    select study, participant, session_id, 'step', ual_bucket(step), count(*)
      from (select a.study, a.participant, a.session_id,
                   case when lag(a.seq) over w is not null then a.t_mono - lag(a.t_mono) over w
                        when q.last_pointer_seq < a.seq then a.t_mono - q.last_pointer_t_mono end as step
              from added a
              left join session_quality q
                on q.study = a.study and q.participant = a.participant and q.session_id = a.session_id
            window w as (partition by a.study, a.participant, a.session_id order by a.seq)) steps
     where step is not null
     group by study, participant, session_id, ual_bucket(step)
    on conflict (study, participant, session_id, metric, bucket) do update set samples = h.samples + excluded.samples;
    insert into session_quality as q (study, participant, session_id, pointer_samples, last_pointer_seq,
                                      last_pointer_t_mono)
    select distinct on (study, participant, session_id) study, participant, session_id,
           count(*) over (partition by study, participant, session_id), seq, t_mono
      from added
     order by study, participant, session_id, seq desc
    on conflict (study, participant, session_id) do update
       set pointer_samples = q.pointer_samples + excluded.pointer_samples,
           last_pointer_t_mono = case when q.last_pointer_seq is null or excluded.last_pointer_seq > q.last_pointer_seq
                                      then excluded.last_pointer_t_mono else q.last_pointer_t_mono end,
           last_pointer_seq = greatest(q.last_pointer_seq, excluded.last_pointer_seq);
    return null;
end
$$;

-- Derives the summary of the sessions in the table named by `keys` (study, participant, session_id) from
-- their rows, or of every session when `keys` is null (then a plain scan, no join). The sessions' old
-- summary rows must be gone already.
create function ual_session_quality_derive_from(keys text) returns void language plpgsql as $$
declare
    actions   text := case when keys is null then 'ui_action a'
                           else format('ui_action a join %I k using (study, participant, session_id)', keys) end;
    positions text := case when keys is null then 'mouse_position m'
                           else format('mouse_position m join %I k using (study, participant, session_id)', keys) end;
begin
    execute format($sql$
        insert into session_quality (study, participant, session_id, condition, actions, highest_seq, first_seen,
                                     last_seen, skew_worst_ms, flagged_clocks, trials_completed, finished)
        select a.study, a.participant, a.session_id, max(a.condition), count(*), max(a.seq), min(a.server_time),
               max(a.server_time), max(abs(a.clock_skew_ms)), count(*) filter (where a.clock_flag is not null),
               count(*) filter (where a.type = 'trial:end'), bool_or(a.type in ('study:complete', 'page_unload'))
          from %s
         group by a.study, a.participant, a.session_id$sql$, actions);
    execute format($sql$
        insert into session_histogram
        select a.study, a.participant, a.session_id, 'skew', ual_bucket(a.clock_skew_ms), count(*)
          from %s
         group by a.study, a.participant, a.session_id, ual_bucket(a.clock_skew_ms)$sql$, actions);
    execute format($sql$
        insert into session_histogram
        select study, participant, session_id, 'step', ual_bucket(step), count(*)
          from (select m.study, m.participant, m.session_id,
                       m.t_mono - lag(m.t_mono) over (partition by m.study, m.participant, m.session_id
                                                      order by m.seq) as step
                  from %s) steps
         where step is not null
         group by study, participant, session_id, ual_bucket(step)$sql$, positions);
    execute format($sql$
        update session_quality q
           set pointer_samples = p.samples, last_pointer_seq = p.seq, last_pointer_t_mono = p.t_mono
          from (select distinct on (m.study, m.participant, m.session_id) m.study, m.participant, m.session_id,
                       count(*) over (partition by m.study, m.participant, m.session_id) as samples, m.seq, m.t_mono
                  from %s
                 order by m.study, m.participant, m.session_id, m.seq desc) p
         where q.study = p.study and q.participant = p.participant and q.session_id = p.session_id$sql$, positions);
end
$$;

-- Recomputes the given sessions from their rows (a session without rows left disappears).
create function ual_session_quality_derive(studies text[], participants text[], sessions text[]) returns void
    language plpgsql as $$
begin
    create temp table ual_quality_keys on commit drop as
    select distinct study, participant, session_id
      from unnest(studies, participants, sessions) as k(study, participant, session_id);
    analyze ual_quality_keys;
    delete from session_histogram h using ual_quality_keys k
     where h.study = k.study and h.participant = k.participant and h.session_id = k.session_id;
    delete from session_quality q using ual_quality_keys k
     where q.study = k.study and q.participant = k.participant and q.session_id = k.session_id;
    perform ual_session_quality_derive_from('ual_quality_keys');
    drop table ual_quality_keys;
end
$$;

-- Every session again, from the rows; readers keep seeing the old summary until the commit.
create function ual_session_quality_rebuild() returns void language plpgsql as $$
begin
    delete from session_histogram;
    delete from session_quality;
    perform ual_session_quality_derive_from(null);
end
$$;

create function ual_quality_rows_removed() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    perform ual_session_quality_derive(array_agg(study), array_agg(participant), array_agg(session_id))
       from (select distinct study, participant, session_id from removed) k;
    return null;
end
$$;

create function ual_quality_rows_changed() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    perform ual_session_quality_derive(array_agg(study), array_agg(participant), array_agg(session_id))
       from (select study, participant, session_id from removed
             union select study, participant, session_id from added) k;
    return null;
end
$$;

create function ual_quality_truncated() returns trigger language plpgsql as $$
begin
    if current_setting('ual.session_quality_deferred', true) = 'on' then
        return null;
    end if;
    perform ual_session_quality_rebuild();
    return null;
end
$$;

create trigger ual_quality_actions_added after insert on ui_action
    referencing new table as added for each statement execute function ual_quality_actions_added();
create trigger ual_quality_positions_added after insert on mouse_position
    referencing new table as added for each statement execute function ual_quality_positions_added();
create trigger ual_quality_actions_removed after delete on ui_action
    referencing old table as removed for each statement execute function ual_quality_rows_removed();
create trigger ual_quality_positions_removed after delete on mouse_position
    referencing old table as removed for each statement execute function ual_quality_rows_removed();
create trigger ual_quality_actions_changed after update on ui_action
    referencing old table as removed new table as added for each statement execute function ual_quality_rows_changed();
create trigger ual_quality_positions_changed after update on mouse_position
    referencing old table as removed new table as added for each statement execute function ual_quality_rows_changed();
create trigger ual_quality_actions_truncated after truncate on ui_action
    for each statement execute function ual_quality_truncated();
create trigger ual_quality_positions_truncated after truncate on mouse_position
    for each statement execute function ual_quality_truncated();

select ual_session_quality_rebuild();
