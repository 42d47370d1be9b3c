drop function client_job_ids(uuid);
