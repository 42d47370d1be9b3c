drop table background_jobs;
drop table email_outbox;
drop table audit_log;
