drop table application_stage_history;
drop table applications;
drop table candidates;
drop table jobs;
drop table client_contacts;
drop table clients;
drop table client_code_counters;
drop table stored_files;
drop table users;
drop function normalize_company_name(text);
drop function set_updated_at();
-- pg_trgm stays: other databases objects may rely on it and dropping it is not ours to do.
