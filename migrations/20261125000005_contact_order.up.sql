-- Contacts keep the order they were entered in: contacts added in one transaction share
-- created_at, so a sequence records the order.
alter table client_contacts add column entered bigint generated always as identity;
