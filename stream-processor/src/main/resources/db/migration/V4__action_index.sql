-- Raw records v2 hold a batch's actions: an action's provenance is its record's partition and offset and
-- its index in the record. A v1 record holds one action, at index 0.
alter table ui_action add column src_index integer not null default 0;
