drop index client_communications_open_follow_ups_idx;
alter table client_communications
    drop constraint client_communications_follow_up_completion_check,
    drop column follow_up_completed_by,
    drop column follow_up_completed_at,
    drop column follow_up_notes;
