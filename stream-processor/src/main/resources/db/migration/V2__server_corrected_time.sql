-- Clock sanity: the client's times are kept as sent; server_time shifts them by the batch's send
-- delay (received_at - sent_at), and clock_flag marks actions whose client clock looks implausible.
-- All three derive from the record alone, so a replay computes the same values.

alter table ui_action add column server_time timestamptz;
alter table ui_action add column clock_skew_ms bigint;
alter table ui_action add column clock_flag text;
update ui_action set server_time = client_time + (received_at - sent_at),
                     clock_skew_ms = (extract(epoch from (received_at - sent_at)) * 1000)::bigint;
alter table ui_action alter column server_time set not null;
alter table ui_action alter column clock_skew_ms set not null;

alter table mouse_position add column server_time timestamptz;
update mouse_position m set server_time = a.server_time from ui_action a where a.id = m.action_id;
alter table mouse_position alter column server_time set not null;

create index ui_action_flagged on ui_action (study) where clock_flag is not null;
