-- Each stage move carries its application's job, so a client's latest moves are read from
-- an index per job (a few hundred probes) rather than per application (tens of thousands).
-- A trigger fills it from the application when the writer does not name it.
alter table application_stage_history
    add column job_id uuid references jobs (id) on delete cascade;
update application_stage_history h set job_id = a.job_id
from applications a
where a.id = h.application_id;
alter table application_stage_history alter column job_id set not null;

create function application_stage_history_job() returns trigger
language plpgsql as $$
begin
    if new.job_id is null then
        select a.job_id into new.job_id from applications a where a.id = new.application_id;
    end if;
    return new;
end;
$$;
create trigger application_stage_history_job before insert on application_stage_history
    for each row execute function application_stage_history_job();

create index application_stage_history_job_idx on application_stage_history (job_id, entered_at);
