-- Two indexes of ui_action that no query reads, each paid for by every projected row. Every read of the
-- repository scoped to a study (exports, heatmaps, the existence checks, a withdrawal's or a study's
-- deletion) is served by ui_action_session_seq, whose first column is the study too, and the data-quality
-- summary counts flagged clocks from the rows its triggers see, not through ui_action_flagged.
drop index if exists ui_action_study_time;
drop index if exists ui_action_flagged;
