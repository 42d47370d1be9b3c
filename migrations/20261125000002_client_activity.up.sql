-- What happens with a client over time: communications, quarterly feedback, linked jobs and
-- the daily analytics snapshots.

create table client_communications (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    communication_type text not null constraint client_communications_type_check
        check (communication_type in ('call', 'email', 'meeting', 'video_call', 'note', 'other')),
    subject text not null check (length(btrim(subject)) between 1 and 300),
    notes text,
    communication_date timestamptz not null,
    participants jsonb not null default '[]' check (jsonb_typeof(participants) = 'array'),
    job_reference_id uuid references jobs (id) on delete set null,
    logged_by uuid not null references users (id),
    is_important boolean not null default false,
    follow_up_required boolean not null default false,
    follow_up_date date,
    -- Metadata of each attachment: id, file name, content type, size, storage key, sha256,
    -- uploaded_by, uploaded_at.
    attachments jsonb not null default '[]' check (jsonb_typeof(attachments) = 'array'),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint client_communications_follow_up_date_check
        check (not follow_up_required or follow_up_date is not null)
);
create index client_communications_client_date_idx
    on client_communications (client_id, communication_date desc);
create index client_communications_type_idx on client_communications (communication_type);
create index client_communications_follow_up_idx on client_communications (follow_up_date)
    where follow_up_required;
create trigger client_communications_updated_at before update on client_communications
    for each row execute function set_updated_at();

create table client_feedback (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    feedback_period text not null constraint client_feedback_period_format
        check (feedback_period ~ '^[0-9]{4}-Q[1-4]$'),
    feedback_date date not null,
    responsiveness_rating smallint not null check (responsiveness_rating between 1 and 5),
    communication_rating smallint not null check (communication_rating between 1 and 5),
    requirements_clarity_rating smallint not null check (requirements_clarity_rating between 1 and 5),
    decision_speed_rating smallint not null check (decision_speed_rating between 1 and 5),
    overall_satisfaction smallint not null check (overall_satisfaction between 1 and 5),
    written_feedback text,
    submitted_by uuid not null references users (id),
    is_finalized boolean not null default false,
    finalized_by uuid references users (id),
    finalized_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint client_feedback_finalized_check
        check (is_finalized = (finalized_by is not null and finalized_at is not null))
);
create index client_feedback_client_id_idx on client_feedback (client_id);
create index client_feedback_date_idx on client_feedback (feedback_date);

-- A finalized row never changes again, whoever asks: the database refuses it.
create function forbid_finalized_feedback_change() returns trigger
language plpgsql as $$
begin
    if old.is_finalized then
        raise exception 'finalized feedback % cannot change', old.id
            using errcode = 'check_violation', constraint = 'client_feedback_finalized_immutable';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    new.updated_at := now();
    return new;
end;
$$;
create trigger client_feedback_immutable before update or delete on client_feedback
    for each row execute function forbid_finalized_feedback_change();

create table client_job_assignments (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    job_id uuid not null references jobs (id) on delete cascade,
    assigned_by uuid not null references users (id),
    assigned_at timestamptz not null default now(),
    unassigned_at timestamptz,
    unassigned_by uuid references users (id),
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    constraint client_job_assignments_client_job_key unique (client_id, job_id)
);
create index client_job_assignments_job_id_idx on client_job_assignments (job_id);

create table client_analytics (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    date date not null,
    active_jobs_count integer not null default 0 check (active_jobs_count >= 0),
    total_candidates_count integer not null default 0 check (total_candidates_count >= 0),
    screened_count integer not null default 0 check (screened_count >= 0),
    shortlisted_count integer not null default 0 check (shortlisted_count >= 0),
    interviewed_count integer not null default 0 check (interviewed_count >= 0),
    hired_count integer not null default 0 check (hired_count >= 0),
    avg_time_to_fill_days numeric(10, 2),
    avg_candidate_quality_score numeric(5, 2),
    revenue_generated numeric(14, 2) not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint client_analytics_client_date_key unique (client_id, date)
);
create index client_analytics_date_idx on client_analytics (date);
create trigger client_analytics_updated_at before update on client_analytics
    for each row execute function set_updated_at();
