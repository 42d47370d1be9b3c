-- Service tokens: how the agency's internal services call the graph. Each token acts
-- through a user row of its own (`is_service`), so what a service does is attributed like a
-- staff member's work (created by, logged by, audit actor) without a second kind of actor.
-- Service users cannot sign in with a password and are never admins. The secret is shown
-- once; only its SHA-256 is kept (a 244-bit random secret needs no slow hash).
alter table users add column is_service boolean not null default false;
alter table users add constraint users_service_never_admin
    check (not is_service or role <> 'admin');

create table service_tokens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null constraint service_tokens_user_key unique references users (id),
    name text not null check (length(btrim(name)) between 1 and 100),
    secret_hash bytea not null constraint service_tokens_secret_hash_key unique,
    -- The secret's first characters (`clt_1a2b3c4d`), so staff can tell tokens apart.
    secret_prefix text not null,
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    revoked_by uuid references users (id)
);
