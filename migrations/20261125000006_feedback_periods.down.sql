alter table client_feedback drop constraint client_feedback_client_period_key;
alter table client_feedback drop constraint client_feedback_period_format;
alter table client_feedback add constraint client_feedback_period_format
    check (feedback_period ~ '^[0-9]{4}-Q[1-4]$');
