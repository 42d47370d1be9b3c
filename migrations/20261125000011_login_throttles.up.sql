-- Failed sign-ins, counted per key in a 15-minute window, shared by every server: the
-- account with the address it is tried from (`pair:`), the address (`address:`), and the
-- account from anywhere (`account:`). A key past its limit is blocked until `blocked_until`.
create table login_throttles (
    key text primary key,
    failures integer not null,
    window_started_at timestamptz not null,
    blocked_until timestamptz
);
