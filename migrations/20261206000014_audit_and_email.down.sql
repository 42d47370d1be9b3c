alter table email_outbox
    drop column sending_at,
    drop column provider_message_id,
    drop column dedupe_key;
update email_outbox set status = 'failed' where status in ('sending', 'unknown');
alter table email_outbox drop constraint email_outbox_status_check;
alter table email_outbox add constraint email_outbox_status_check
    check (status in ('pending', 'sent', 'failed'));

drop index audit_log_at_idx;
