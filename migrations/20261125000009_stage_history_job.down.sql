drop trigger application_stage_history_job on application_stage_history;
drop function application_stage_history_job();
alter table application_stage_history drop column job_id;
