-- Our own machinery: the audit trail, the email outbox and the background queue.

create table audit_log (
    id uuid primary key default gen_random_uuid(),
    -- Null for the system itself (scheduled work).
    actor_id uuid references users (id),
    action text not null,
    entity text not null,
    entity_id uuid,
    before jsonb,
    after jsonb,
    request_id text,
    at timestamptz not null default now(),
    created_at timestamptz not null default now()
);
create index audit_log_entity_idx on audit_log (entity, entity_id, at desc);
create index audit_log_actor_idx on audit_log (actor_id, at desc);

-- Emails are written here in the transaction that causes them and sent by the queue.
create table email_outbox (
    id uuid primary key default gen_random_uuid(),
    to_address text not null,
    template text not null,
    subject text not null,
    body_text text not null,
    body_html text,
    status text not null default 'pending'
        check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz
);
create index email_outbox_pending_idx on email_outbox (created_at) where status = 'pending';

-- The queue (taken with `for update skip locked`). A row is deleted when its job succeeds;
-- one that keeps failing is parked (parked_at set) rather than lost.
create table background_jobs (
    id uuid primary key default gen_random_uuid(),
    job_type text not null,
    payload jsonb not null default '{}',
    -- Set for scheduled runs ("daily-analytics:2026-11-25") so each fires once across replicas.
    schedule_key text constraint background_jobs_schedule_key_key unique,
    attempts integer not null default 0,
    max_attempts integer not null default 5 check (max_attempts > 0),
    run_at timestamptz not null default now(),
    locked_at timestamptz,
    last_error text,
    parked_at timestamptz,
    created_at timestamptz not null default now()
);
create index background_jobs_ready_idx on background_jobs (run_at) where parked_at is null;
