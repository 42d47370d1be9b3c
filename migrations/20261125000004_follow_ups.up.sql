-- A follow-up is completed rather than forgotten: who completed it and when, and the note
-- that says what to follow up on. "Open" follow-ups are required and not completed.
alter table client_communications
    add column follow_up_notes text,
    add column follow_up_completed_at timestamptz,
    add column follow_up_completed_by uuid references users (id),
    add constraint client_communications_follow_up_completion_check
        check ((follow_up_completed_at is null) = (follow_up_completed_by is null));

-- The signed-in user's open follow-ups, soonest first.
create index client_communications_open_follow_ups_idx
    on client_communications (logged_by, follow_up_date)
    where follow_up_required and follow_up_completed_at is null;
