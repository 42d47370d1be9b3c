-- Feedback is given per quarter (2026-Q3) or per month (2026-07), once per client and period:
-- a second submission for the period updates the first while it is not finalized.
alter table client_feedback drop constraint client_feedback_period_format;
alter table client_feedback add constraint client_feedback_period_format
    check (feedback_period ~ '^[0-9]{4}-(Q[1-4]|0[1-9]|1[0-2])$');
alter table client_feedback add constraint client_feedback_client_period_key
    unique (client_id, feedback_period);
