alter table users drop column sessions_valid_after;
