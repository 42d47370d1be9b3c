delete from reports where kind = 'dashboard';
alter table reports drop constraint reports_kind_check;
alter table reports add constraint reports_kind_check check (kind in ('performance'));
drop index application_stage_history_entered_at_idx;
drop table task_schedules;
