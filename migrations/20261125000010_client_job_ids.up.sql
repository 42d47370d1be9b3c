-- The jobs of a client: those created for it and those actively linked to it, as one array.
-- Per-client figures (dashboard, reports, a client's jobs) filter by
-- `= any((select client_job_ids($1))::uuid[])`: the sub-select makes it one evaluation per
-- statement (a bare call in a filter runs once per row), then served by index scans.
create function client_job_ids(client uuid) returns uuid[]
language sql stable parallel safe as $$
    select array(
        select id from jobs where client_id = client
        union
        select job_id from client_job_assignments where client_id = client and is_active
    )
$$;
