-- Every projected table ends with its rows' provenance (partition, offset, index in the raw record), so
-- a replay tells the rows it re-derives from those stored after its snapshot by the table alone.

alter table mouse_position add column src_partition integer;
alter table mouse_position add column src_offset bigint;
alter table mouse_position add column src_index integer;
-- No column the session summary reads changes: its triggers stand aside.
set local ual.session_quality_deferred = on;
update mouse_position m set src_partition = a.src_partition, src_offset = a.src_offset, src_index = a.src_index
  from ui_action a where a.id = m.action_id;
set local ual.session_quality_deferred = off;
-- A position whose action was deleted by hand has no provenance to copy; a replay re-derives both.
delete from mouse_position where src_partition is null;
alter table mouse_position alter column src_partition set not null;
alter table mouse_position alter column src_offset set not null;
alter table mouse_position alter column src_index set not null;
