//! A logged communication, its participants, and the inputs that log and filter them.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{CommunicationType, Email, FieldErrors, optional_text, required_text};
use sqlx::types::Json;
use uuid::Uuid;

use crate::{
    graphql::scalars::{Date, optional_uuid, uuid_of},
    uploads::ReceivedFile,
};

/// A call, email, meeting or note with a client.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Communication {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "ID", owned))]
    pub id: Uuid,
    /// The client it was with (see `client`).
    #[graphql(skip)]
    pub client_id: Uuid,
    /// What kind of contact it was.
    #[graphql(name = "type")]
    pub communication_type: CommunicationType,
    /// What it was about.
    pub subject: String,
    /// What was said or agreed.
    pub notes: Option<String>,
    /// When it happened.
    pub communication_date: DateTime<Utc>,
    /// Who took part (see `participants`).
    #[graphql(skip)]
    pub participants: Json<Vec<Participant>>,
    /// Files attached (see `attachments`).
    #[graphql(skip)]
    pub attachments: Json<Vec<Attachment>>,
    /// The job it was about (see `job`).
    #[graphql(skip)]
    pub job_reference_id: Option<Uuid>,
    /// Who logged it (see `loggedBy`).
    #[graphql(skip)]
    pub logged_by: Uuid,
    /// Marked as important.
    pub is_important: bool,
    /// Someone has to follow up.
    pub follow_up_required: bool,
    /// When to follow up.
    pub follow_up_date: Option<Date>,
    /// What to follow up on.
    pub follow_up_notes: Option<String>,
    /// When the follow-up was done (null while it is open).
    pub follow_up_completed_at: Option<DateTime<Utc>>,
    /// Who completed the follow-up (see `followUpCompletedBy`).
    #[graphql(skip)]
    pub follow_up_completed_by: Option<Uuid>,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Communication {
    /// Whether a follow-up is asked for and not done yet.
    pub fn follow_up_open(&self) -> bool {
        self.follow_up_required && self.follow_up_completed_at.is_none()
    }
}

/// Whether a file was checked for viruses.
#[derive(
    async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    /// No virus scanner is configured; the file was checked by type and size only.
    NotScanned,
    /// The virus scanner found nothing.
    Clean,
}

/// A file attached to a communication. Its bytes are in the file store; this is what we
/// know of them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, SimpleObject)]
#[graphql(complex)]
pub struct Attachment {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "ID", owned))]
    pub id: Uuid,
    /// The file's name (made safe: no path, ends in its type's extension).
    pub file_name: String,
    /// What the file is, told by its content.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Whether it was checked for viruses.
    pub scan_status: ScanStatus,
    /// Where the store keeps it.
    #[graphql(skip)]
    pub storage_key: String,
    /// Who uploaded it (see `uploadedBy`).
    #[graphql(skip)]
    pub uploaded_by: Uuid,
    /// When it was uploaded.
    pub uploaded_at: DateTime<Utc>,
}

impl Attachment {
    /// The description of a checked upload about to be stored for communication
    /// `communication_id`: a new id, and the key the store keeps it under.
    pub fn describe(communication_id: Uuid, file: &ReceivedFile, uploaded_by: Uuid) -> Self {
        let id = Uuid::new_v4();
        Self {
            id,
            file_name: file.file_name.clone(),
            content_type: file.file_type.mime().to_owned(),
            size_bytes: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
            sha256: file.sha256.clone(),
            scan_status: if file.scanned {
                ScanStatus::Clean
            } else {
                ScanStatus::NotScanned
            },
            storage_key: format!("attachments/{communication_id}/{id}"),
            uploaded_by,
            uploaded_at: Utc::now(),
        }
    }
}

/// Someone who took part: one of the client's contacts, or a person named by hand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, SimpleObject)]
#[graphql(complex)]
pub struct Participant {
    /// The contact, when the person is one of the client's contacts (see `contact`).
    #[graphql(skip)]
    pub contact_id: Option<Uuid>,
    /// Their name as it was when the communication was logged.
    pub name: String,
    /// Their email as it was when the communication was logged.
    pub email: Option<String>,
}

/// Who took part: a contact of the client, or a name (and email) of someone else.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ParticipantInput {
    /// One of the client's active contacts.
    pub contact_id: Option<ID>,
    /// Someone else's name (when no `contactId`), up to 200 characters.
    pub name: Option<String>,
    /// Someone else's email.
    pub email: Option<String>,
}

/// A communication to log.
#[derive(InputObject, Debug, Clone)]
pub struct LogCommunicationInput {
    /// What kind of contact it was.
    #[graphql(name = "type")]
    pub communication_type: CommunicationType,
    /// What it was about (required, up to 300 characters).
    pub subject: String,
    /// What was said or agreed (up to 10,000 characters).
    pub notes: Option<String>,
    /// When it happened; now when left out.
    pub communication_date: Option<DateTime<Utc>>,
    /// Who took part (up to 50).
    #[graphql(default)]
    pub participants: Vec<ParticipantInput>,
    /// A job of this client it was about.
    pub job_reference_id: Option<ID>,
    /// Mark it as important.
    #[graphql(default = false)]
    pub is_important: bool,
    /// Someone has to follow up; then `followUpDate` is required.
    #[graphql(default = false)]
    pub follow_up_required: bool,
    /// When to follow up: today or later.
    pub follow_up_date: Option<Date>,
    /// What to follow up on (up to 2,000 characters).
    pub follow_up_notes: Option<String>,
}

/// A participant, checked: a contact to look up, or a person named by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewParticipant {
    /// One of the client's contacts.
    Contact(Uuid),
    /// Someone else.
    Named {
        /// Their name.
        name: String,
        /// Their email.
        email: Option<Email>,
    },
}

/// A communication to log, checked (the service checks contacts and the job against the
/// database).
#[derive(Debug, Clone)]
pub struct NewCommunication {
    /// What kind.
    pub communication_type: CommunicationType,
    /// Subject.
    pub subject: String,
    /// Notes.
    pub notes: Option<String>,
    /// When it happened.
    pub communication_date: DateTime<Utc>,
    /// Who took part.
    pub participants: Vec<NewParticipant>,
    /// The job it was about.
    pub job_reference_id: Option<Uuid>,
    /// Important.
    pub is_important: bool,
    /// The follow-up asked for: when, and what about.
    pub follow_up: Option<(Date, Option<String>)>,
}

/// Most participants in one communication.
pub const MAX_PARTICIPANTS: usize = 50;

/// Checks a follow-up: a date today or later, and notes only with a follow-up.
pub fn check_follow_up(
    required: bool,
    date: Option<Date>,
    notes: Option<&str>,
    today: Date,
    errors: &mut FieldErrors,
) -> Option<Option<(Date, Option<String>)>> {
    let notes = errors.check("followUpNotes", optional_text(notes, 2000))?;
    match (required, date) {
        (false, None) if notes.is_none() => Some(None),
        (false, _) => {
            let field = if date.is_some() {
                "followUpDate"
            } else {
                "followUpNotes"
            };
            errors.add(field, "needs followUpRequired: true");
            None
        }
        (true, None) => {
            errors.add("followUpDate", "is required when a follow-up is required");
            None
        }
        (true, Some(date)) if date < today => {
            errors.add("followUpDate", "is in the past");
            None
        }
        (true, Some(date)) => Some(Some((date, notes))),
    }
}

impl NewCommunication {
    /// Checks the whole input at once; `today` is the first allowed follow-up date.
    pub fn parse(
        input: &LogCommunicationInput,
        now: DateTime<Utc>,
        today: Date,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let subject = errors.check("subject", required_text(&input.subject, 300));
        let notes = errors.check("notes", optional_text(input.notes.as_deref(), 10_000));
        if input.participants.len() > MAX_PARTICIPANTS {
            errors.add(
                "participants",
                format!("at most {MAX_PARTICIPANTS} participants"),
            );
        }
        let participants: Vec<Option<NewParticipant>> = input
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| errors.nest(&format!("participants[{i}]"), |e| check_participant(p, e)))
            .collect();
        let job_reference_id = errors.check(
            "jobReferenceId",
            optional_uuid(input.job_reference_id.as_ref()),
        );
        let follow_up = check_follow_up(
            input.follow_up_required,
            input.follow_up_date,
            input.follow_up_notes.as_deref(),
            today,
            &mut errors,
        );
        errors.finish(|| {
            Some(Self {
                communication_type: input.communication_type,
                subject: subject?,
                notes: notes?,
                communication_date: input.communication_date.unwrap_or(now),
                participants: participants.into_iter().collect::<Option<_>>()?,
                job_reference_id: job_reference_id?,
                is_important: input.is_important,
                follow_up: follow_up?,
            })
        })
    }
}

fn check_participant(input: &ParticipantInput, errors: &mut FieldErrors) -> Option<NewParticipant> {
    match &input.contact_id {
        Some(id) => {
            if input.name.is_some() || input.email.is_some() {
                errors.add("contactId", "give a contact or a name and email, not both");
                return None;
            }
            errors
                .check("contactId", uuid_of(id))
                .map(NewParticipant::Contact)
        }
        None => {
            let name = errors.check(
                "name",
                required_text(input.name.as_deref().unwrap_or(""), 200),
            );
            let email = errors.check(
                "email",
                clientele_core::values::parse_optional(input.email.as_deref(), Email::parse),
            );
            Some(NewParticipant::Named {
                name: name?,
                email: email?,
            })
        }
    }
}

/// Which communications of a client to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CommunicationFilter {
    /// Only these types.
    pub types: Option<Vec<CommunicationType>>,
    /// From this day on (UTC).
    pub date_from: Option<Date>,
    /// Up to and including this day (UTC).
    pub date_to: Option<Date>,
    /// Only those marked important.
    #[graphql(default = false)]
    pub important_only: bool,
    /// Only those whose follow-up is open and due today or earlier.
    #[graphql(default = false)]
    pub follow_up_due: bool,
}

impl CommunicationFilter {
    /// Checks the date range.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if let (Some(from), Some(to)) = (self.date_from, self.date_to)
            && from > to
        {
            errors.nest("filter", |e| e.add("dateTo", "is before dateFrom"));
        }
        errors.finish(|| Some(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date"))
    }

    fn follow_up(
        required: bool,
        date: Option<&str>,
        notes: Option<&str>,
    ) -> Result<Option<Date>, Vec<String>> {
        let mut errors = FieldErrors::new();
        let checked = check_follow_up(
            required,
            date.map(day),
            notes,
            day("2026-11-25"),
            &mut errors,
        );
        errors
            .finish(|| checked)
            .map(|f| f.map(|(date, _)| date))
            .map_err(|e| e.fields().map(str::to_owned).collect())
    }

    #[test]
    fn a_follow_up_needs_the_flag_a_date_and_a_date_not_in_the_past() {
        assert_eq!(follow_up(false, None, None), Ok(None));
        assert_eq!(
            follow_up(true, Some("2026-11-25"), Some("Call back")),
            Ok(Some(day("2026-11-25")))
        );
        assert_eq!(
            follow_up(true, Some("2026-11-24"), None),
            Err(vec!["followUpDate".into()])
        );
        assert_eq!(
            follow_up(true, None, None),
            Err(vec!["followUpDate".into()])
        );
        assert_eq!(
            follow_up(false, Some("2026-12-01"), None),
            Err(vec!["followUpDate".into()])
        );
        assert_eq!(
            follow_up(false, None, Some("Call")),
            Err(vec!["followUpNotes".into()])
        );
    }

    #[test]
    fn a_participant_is_a_contact_or_a_named_person() {
        let check = |input: ParticipantInput| {
            let mut errors = FieldErrors::new();
            let checked = check_participant(&input, &mut errors);
            errors.finish(|| checked).map_err(|e| e.into_pairs())
        };
        let id = Uuid::new_v4();
        assert_eq!(
            check(ParticipantInput {
                contact_id: Some(ID(id.to_string())),
                ..Default::default()
            }),
            Ok(NewParticipant::Contact(id))
        );
        assert!(
            check(ParticipantInput {
                name: Some("Ann".into()),
                email: Some("ann@x.example".into()),
                ..Default::default()
            })
            .is_ok()
        );
        assert!(check(ParticipantInput::default()).is_err(), "nobody");
        assert!(
            check(ParticipantInput {
                name: Some("Ann".into()),
                email: Some("nope".into()),
                ..Default::default()
            })
            .is_err()
        );
        assert!(
            check(ParticipantInput {
                contact_id: Some(ID(id.to_string())),
                name: Some("Ann".into()),
                ..Default::default()
            })
            .is_err()
        );
    }
}
