drop table client_analytics;
drop table client_job_assignments;
drop table client_feedback;
drop function forbid_finalized_feedback_change();
drop table client_communications;
