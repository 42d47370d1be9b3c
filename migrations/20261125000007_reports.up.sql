-- Rendered reports: asked for, rendered (now, or by the background queue), stored as a file.
create table reports (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    kind text not null default 'performance' constraint reports_kind_check
        check (kind in ('performance')),
    date_from date not null,
    date_to date not null,
    status text not null default 'pending' constraint reports_status_check
        check (status in ('pending', 'ready', 'failed')),
    requested_by uuid not null references users (id),
    file_id uuid references stored_files (id) on delete set null,
    error text,
    created_at timestamptz not null default now(),
    finished_at timestamptz,
    constraint reports_range_check check (date_from <= date_to)
);
create index reports_client_idx on reports (client_id, created_at desc);
