-- The audit log is read newest first (`auditLog`), with or without filters.
create index audit_log_at_idx on audit_log (at desc, id desc);

-- Email delivery. An email is `sending` from just before it is handed to the transport
-- until the answer is recorded: a server that stops in between leaves it `sending`, and
-- the retry marks it `unknown` (it may have gone out) instead of sending it twice.
-- `failed`: refused on every attempt. `dedupe_key` makes an email once-only (one welcome
-- per client, one reminder per manager and month) however often its cause runs.
alter table email_outbox drop constraint email_outbox_status_check;
alter table email_outbox add constraint email_outbox_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'unknown'));
alter table email_outbox
    add column dedupe_key text constraint email_outbox_dedupe_key_key unique,
    add column provider_message_id text,
    add column sending_at timestamptz;
