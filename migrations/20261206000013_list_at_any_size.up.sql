-- The client list at any size: what a page costs depends on the page, not on the table.
--
-- 1. One normalising function for search and duplicate detection alike: accents and case
--    do not matter and '&' reads as 'and' (`Muller` finds `Müller Logistik GmbH`,
--    `Societe Generale SA` is a likely duplicate of `Société Générale`). The trigram
--    indexes are built on it, so a search is served by them.
-- 2. An index behind every sort of the list, ending in the id so that keyset paging
--    (`after`) and the first page both read about `limit` rows.
-- 3. Per-status counters kept in the same transaction as every change to clients, so the
--    list's totals and summary without other filters cost one tiny read at any size.

create extension if not exists unaccent;

-- What search and duplicate detection compare. Declared immutable (unaccent() is only
-- stable because its dictionary could change; ours is the extension's own, fixed one).
create function search_key(t text) returns text
language sql immutable strict parallel safe as $$
    select btrim(regexp_replace(
        lower(public.unaccent('public.unaccent'::regdictionary, replace(t, '&', ' and '))),
        '\s+', ' ', 'g'))
$$;

drop index clients_normalized_name_trgm_idx;
create or replace function normalize_company_name(name text) returns text
language sql immutable strict parallel safe as $$
    select btrim(regexp_replace(
        regexp_replace(
            regexp_replace(search_key(name), '[^[:alnum:]]+', ' ', 'g'),
            '\m(inc|incorporated|ltd|limited|llc|llp|lp|gmbh|corp|corporation|co|company|plc|ag|sa|sas|sarl|srl|bv|nv|pty|kg|oy|ab|as)\M',
            ' ', 'g'),
        '\s+', ' ', 'g'))
$$;

-- The keys are stored next to the names: computed once per write instead of once per row
-- read (unaccent is the costly part), and the planner keeps statistics on them.
alter table clients
    add column search_name text generated always as (search_key(name)) stored,
    add column duplicate_key text generated always as (normalize_company_name(name)) stored;
alter table client_contacts
    add column search_name text generated always as (search_key(full_name)) stored;

-- Trigram indexes: every match of a search, for counts, rare texts and duplicates.
drop index clients_name_trgm_idx;
create index clients_search_name_trgm_idx on clients using gin (search_name gin_trgm_ops);
create index clients_duplicate_key_trgm_idx on clients using gin (duplicate_key gin_trgm_ops);
drop index client_contacts_name_trgm_idx;
create index client_contacts_search_name_trgm_idx on client_contacts
    using gin (search_name gin_trgm_ops) where is_active;

-- One index per sort order (a backward scan serves the descending one). Names sort by
-- code point of their key ("C"), the same whatever the database's collation.
create index clients_name_sort_idx on clients ((search_name collate "C"), id);
create index clients_code_sort_idx on clients (client_code, id);
drop index clients_created_at_idx;
create index clients_created_sort_idx on clients (created_at, id);
create index clients_updated_sort_idx on clients (updated_at, id);
-- The totals under an industry or manager filter count statuses from the index alone
-- (index-only scans: 125,000 of 1,000,000 clients in 13 ms instead of 100 ms).
create index clients_industry_status_idx on clients (lower(industry), status) include (industry);
drop index clients_account_manager_id_idx;
create index clients_manager_status_idx on clients (account_manager_id, status);

create table client_status_counts (
    status text primary key constraint client_status_counts_status_check
        check (status in ('active', 'inactive', 'on-hold', 'archived')),
    clients bigint not null check (clients >= 0)
);
insert into client_status_counts (status, clients)
select s.status, (select count(*) from clients c where c.status = s.status)
from (values ('active'), ('inactive'), ('on-hold'), ('archived')) s (status);

-- Applies a statement's net change per status. Rows are updated in status order and only
-- when their count changes, so concurrent status changes cannot deadlock on them and an
-- edit that keeps the status takes no lock here.
create function client_status_counts_apply() returns trigger
language plpgsql as $$
declare
    change record;
begin
    if tg_op = 'INSERT' then
        for change in
            select status, count(*) as delta from new_rows group by status order by status
        loop
            update client_status_counts set clients = clients + change.delta
            where status = change.status;
        end loop;
    elsif tg_op = 'DELETE' then
        for change in
            select status, -count(*) as delta from old_rows group by status order by status
        loop
            update client_status_counts set clients = clients + change.delta
            where status = change.status;
        end loop;
    else
        for change in
            select d.status, sum(d.n) as delta
            from (select status, 1 as n from new_rows
                  union all
                  select status, -1 from old_rows) d
            group by d.status
            having sum(d.n) <> 0
            order by d.status
        loop
            update client_status_counts set clients = clients + change.delta
            where status = change.status;
        end loop;
    end if;
    return null;
end;
$$;
create trigger clients_status_counts_insert after insert on clients
    referencing new table as new_rows
    for each statement execute function client_status_counts_apply();
create trigger clients_status_counts_update after update on clients
    referencing old table as old_rows new table as new_rows
    for each statement execute function client_status_counts_apply();
create trigger clients_status_counts_delete after delete on clients
    referencing old table as old_rows
    for each statement execute function client_status_counts_apply();

create function client_status_counts_reset() returns trigger
language plpgsql as $$
begin
    update client_status_counts set clients = 0;
    return null;
end;
$$;
create trigger clients_status_counts_truncate after truncate on clients
    for each statement execute function client_status_counts_reset();
