-- Signing out ends every session of the user: tokens issued before this moment (to the
-- second) stop working, so a stolen token is worthless once its owner signs out.
alter table users add column sessions_valid_after timestamptz;
