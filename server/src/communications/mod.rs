//! Communications: every call, email, meeting and note with a client, who took part, the
//! job it was about, whether it matters, and the follow-up it asks for.
//!
//! Anyone signed in reads the log; admins, managers and recruiters write it. A follow-up
//! date lies in the future when it is set, and a follow-up is completed rather than
//! dropped, so "open follow-ups" are those required and not completed.

pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use model::{
    Attachment, Communication, CommunicationFilter, LogCommunicationInput, NewCommunication,
    Participant, ParticipantInput, ScanStatus,
};
pub use service::{
    CommunicationList, attach, attachment_of, complete_follow_up, get, list_for_client, log,
    mark_important, open_follow_ups, set_follow_up,
};
