-- The host system's small real part (staff, jobs, candidates and their pipeline) and the
-- client directory itself (clients, contacts). Later migrations add client activity.

create extension if not exists pg_trgm;

-- One trigger function keeps every `updated_at` honest.
create function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

-- Company names compared for duplicates: lower case, punctuation gone, legal suffixes
-- ("Inc", "Ltd", "GmbH", "Corp", ...) dropped, spaces collapsed. Used by the trigram index
-- below and by every duplicate query, so both always agree.
create function normalize_company_name(name text) returns text
language sql immutable strict parallel safe as $$
    select btrim(regexp_replace(
        regexp_replace(
            regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g'),
            '\m(inc|incorporated|ltd|limited|llc|llp|lp|gmbh|corp|corporation|co|company|plc|ag|sa|sas|sarl|srl|bv|nv|pty|kg|oy|ab|as)\M',
            ' ', 'g'),
        '\s+', ' ', 'g'))
$$;

create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    full_name text not null,
    password_hash text not null,
    role text not null constraint users_role_check
        check (role in ('admin', 'manager', 'recruiter', 'analyst')),
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
-- Emails are unique whatever their case.
create unique index users_email_key on users (lower(email));
create index users_role_idx on users (role);
create trigger users_updated_at before update on users
    for each row execute function set_updated_at();

-- Files we keep (logos, attachments, rendered reports): metadata here, bytes in storage.
create table stored_files (
    id uuid primary key default gen_random_uuid(),
    storage_key text not null constraint stored_files_storage_key_key unique,
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null check (size_bytes >= 0),
    sha256 text not null,
    scan_status text not null default 'not_scanned'
        check (scan_status in ('not_scanned', 'clean', 'infected')),
    uploaded_by uuid references users (id),
    created_at timestamptz not null default now()
);

-- Per-year counters behind client codes (CLT-YYYY-NNNN). The upsert on a year's row takes
-- a row lock, so concurrent creates get distinct numbers without gaps.
create table client_code_counters (
    year integer primary key check (year between 2000 and 9999),
    last_value integer not null check (last_value > 0)
);

create table clients (
    id uuid primary key default gen_random_uuid(),
    client_code text not null constraint clients_client_code_key unique
        constraint clients_client_code_format check (client_code ~ '^CLT-[0-9]{4}-[0-9]{4,}$'),
    name text not null check (length(btrim(name)) between 1 and 200),
    industry text,
    website text,
    -- Lower-case host of `website` without "www.", kept by the service for duplicate checks.
    website_domain text,
    address text,
    city text,
    state text,
    country text,
    postal_code text,
    logo_file_id uuid references stored_files (id) on delete set null,
    status text not null default 'active' constraint clients_status_check
        check (status in ('active', 'inactive', 'on-hold', 'archived')),
    account_manager_id uuid references users (id),
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deactivated_at timestamptz,
    deactivation_reason text,
    deactivation_details text
);
create index clients_status_idx on clients (status);
create index clients_account_manager_id_idx on clients (account_manager_id);
create index clients_industry_idx on clients (industry);
create index clients_website_domain_idx on clients (website_domain);
create index clients_created_at_idx on clients (created_at);
create index clients_name_trgm_idx on clients using gin (name gin_trgm_ops);
create index clients_code_trgm_idx on clients using gin (client_code gin_trgm_ops);
create index clients_normalized_name_trgm_idx on clients
    using gin (normalize_company_name(name) gin_trgm_ops);
create trigger clients_updated_at before update on clients
    for each row execute function set_updated_at();

create table client_contacts (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    full_name text not null check (length(btrim(full_name)) between 1 and 200),
    title text,
    email text,
    phone text,
    mobile text,
    email_domain text generated always as (nullif(lower(split_part(email, '@', 2)), '')) stored,
    is_primary boolean not null default false,
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index client_contacts_client_id_idx on client_contacts (client_id);
create index client_contacts_email_idx on client_contacts (lower(email));
create index client_contacts_email_domain_idx on client_contacts (email_domain);
create index client_contacts_name_trgm_idx on client_contacts using gin (full_name gin_trgm_ops);
-- At most one active primary contact per client.
create unique index client_contacts_one_primary_key on client_contacts (client_id)
    where is_primary and is_active;
create trigger client_contacts_updated_at before update on client_contacts
    for each row execute function set_updated_at();

create table jobs (
    id uuid primary key default gen_random_uuid(),
    title text not null,
    status text not null default 'draft' constraint jobs_status_check
        check (status in ('draft', 'open', 'on-hold', 'filled', 'closed')),
    opened_at timestamptz,
    filled_at timestamptz,
    client_id uuid references clients (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index jobs_client_id_idx on jobs (client_id);
create index jobs_status_idx on jobs (status);
create trigger jobs_updated_at before update on jobs
    for each row execute function set_updated_at();

-- The seed calls them resumes.
create table candidates (
    id uuid primary key default gen_random_uuid(),
    full_name text not null,
    email text,
    client_id uuid references clients (id) on delete set null,
    created_at timestamptz not null default now()
);
create index candidates_client_id_idx on candidates (client_id);

create table applications (
    id uuid primary key default gen_random_uuid(),
    candidate_id uuid not null references candidates (id) on delete cascade,
    job_id uuid not null references jobs (id) on delete cascade,
    stage text not null default 'applied' constraint applications_stage_check
        check (stage in ('applied', 'screened', 'shortlisted', 'interviewed', 'offered', 'hired', 'rejected')),
    quality_score smallint check (quality_score between 0 and 100),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint applications_candidate_job_key unique (candidate_id, job_id)
);
create index applications_job_id_idx on applications (job_id);
create trigger applications_updated_at before update on applications
    for each row execute function set_updated_at();

-- Every stage an application entered, and when: the funnel and time to fill read this.
create table application_stage_history (
    id uuid primary key default gen_random_uuid(),
    application_id uuid not null references applications (id) on delete cascade,
    stage text not null constraint application_stage_history_stage_check
        check (stage in ('applied', 'screened', 'shortlisted', 'interviewed', 'offered', 'hired', 'rejected')),
    entered_at timestamptz not null default now(),
    changed_by uuid references users (id),
    created_at timestamptz not null default now()
);
create index application_stage_history_application_idx
    on application_stage_history (application_id, entered_at);
