-- Schedules of background work: the last day each fired for. The scheduler of every server
-- locks its row, queues the days since, and moves it on, so a day fires once however many
-- servers run, and days missed while all were down are caught up.
create table task_schedules (
    name text primary key,
    last_fired date not null,
    updated_at timestamptz not null default now()
);

-- The nightly aggregation reads a day's stage moves across all clients.
create index application_stage_history_entered_at_idx on application_stage_history (entered_at);

-- Dashboards exported as PDFs are reports too.
alter table reports drop constraint reports_kind_check;
alter table reports add constraint reports_kind_check check (kind in ('performance', 'dashboard'));
