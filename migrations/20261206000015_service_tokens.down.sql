-- Service users stay (what they did keeps its author) but can still never sign in: their
-- password hash is not a hash.
drop table service_tokens;
alter table users drop constraint users_service_never_admin;
alter table users drop column is_service;
