drop trigger clients_status_counts_truncate on clients;
drop trigger clients_status_counts_delete on clients;
drop trigger clients_status_counts_update on clients;
drop trigger clients_status_counts_insert on clients;
drop function client_status_counts_reset();
drop function client_status_counts_apply();
drop table client_status_counts;

drop index clients_manager_status_idx;
create index clients_account_manager_id_idx on clients (account_manager_id);
drop index clients_industry_status_idx;
drop index clients_updated_sort_idx;
drop index clients_created_sort_idx;
create index clients_created_at_idx on clients (created_at);
drop index clients_code_sort_idx;
drop index clients_name_sort_idx;

drop index client_contacts_search_name_trgm_idx;
create index client_contacts_name_trgm_idx on client_contacts using gin (full_name gin_trgm_ops);
drop index clients_duplicate_key_trgm_idx;
drop index clients_search_name_trgm_idx;
create index clients_name_trgm_idx on clients using gin (name gin_trgm_ops);
alter table client_contacts drop column search_name;
alter table clients drop column duplicate_key, drop column search_name;

create or replace function normalize_company_name(name text) returns text
language sql immutable strict parallel safe as $$
    select btrim(regexp_replace(
        regexp_replace(
            regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g'),
            '\m(inc|incorporated|ltd|limited|llc|llp|lp|gmbh|corp|corporation|co|company|plc|ag|sa|sas|sarl|srl|bv|nv|pty|kg|oy|ab|as)\M',
            ' ', 'g'),
        '\s+', ' ', 'g'))
$$;
create index clients_normalized_name_trgm_idx on clients
    using gin (normalize_company_name(name) gin_trgm_ops);

drop function search_key(text);
drop extension unaccent;
