//! The rules about communications: participants are the client's active contacts or named
//! people, the job is the client's, follow-ups lie ahead and are completed once. Writes run
//! on the caller's transaction.

use chrono::Utc;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{
    Attachment, Communication, CommunicationFilter, NewCommunication, Participant,
    model::{NewParticipant, check_follow_up},
    sql::{self, Flags, ListFilter},
};
use crate::{
    auth::Viewer,
    clients, contacts,
    error::{ApiResult, AppError},
    events,
    graphql::{page::PageRequest, scalars::Date},
    jobs,
};
use clientele_core::FieldErrors;

/// A page of communications and how many there are in all.
pub struct CommunicationList {
    /// This page.
    pub items: Vec<Communication>,
    /// All that match.
    pub total: i64,
}

/// Logs a communication with a client.
pub async fn log(
    db: &mut PgConnection,
    viewer: Viewer,
    client_id: Uuid,
    new: &NewCommunication,
) -> ApiResult<Communication> {
    clients::get(&mut *db, client_id).await?;
    let participants = resolve_participants(db, client_id, &new.participants).await?;
    if let Some(job_id) = new.job_reference_id
        && !jobs::is_job_of_client(&mut *db, job_id, client_id).await?
    {
        return Err(AppError::invalid(
            "jobReferenceId",
            "is not a job of this client",
        ));
    }
    let row = sql::NewRow {
        client_id,
        communication_type: new.communication_type,
        subject: &new.subject,
        notes: new.notes.as_deref(),
        communication_date: new.communication_date,
        participants: &participants,
        job_reference_id: new.job_reference_id,
        logged_by: viewer.user_id,
        is_important: new.is_important,
        follow_up: new
            .follow_up
            .as_ref()
            .map(|(date, notes)| (*date, notes.as_deref())),
    };
    let logged = sql::insert(db, row).await?;
    let event = events::Event::CommunicationLogged {
        communication_id: logged.id,
        client_id,
    };
    events::announce(db, &event).await?;
    tracing::info!(communication_id = %logged.id, %client_id, "communication logged");
    Ok(logged)
}

/// The participants as stored: contacts are looked up (they must be the client's active
/// contacts) and their name and email copied, so the log reads as it did on the day.
async fn resolve_participants(
    db: &mut PgConnection,
    client_id: Uuid,
    participants: &[NewParticipant],
) -> ApiResult<Vec<Participant>> {
    let ids: Vec<Uuid> = participants
        .iter()
        .filter_map(|p| match p {
            NewParticipant::Contact(id) => Some(*id),
            NewParticipant::Named { .. } => None,
        })
        .collect();
    let found = if ids.is_empty() {
        Vec::new()
    } else {
        contacts::find_many(&mut *db, &ids).await?
    };
    let mut errors = FieldErrors::new();
    let mut resolved = Vec::with_capacity(participants.len());
    for (i, participant) in participants.iter().enumerate() {
        match participant {
            NewParticipant::Contact(id) => {
                match found
                    .iter()
                    .find(|c| c.id == *id && c.client_id == client_id && c.is_active)
                {
                    Some(contact) => resolved.push(Participant {
                        contact_id: Some(contact.id),
                        name: contact.full_name.clone(),
                        email: contact.email.clone(),
                    }),
                    None => errors.add(
                        &format!("participants[{i}].contactId"),
                        "is not an active contact of this client",
                    ),
                }
            }
            NewParticipant::Named { name, email } => resolved.push(Participant {
                contact_id: None,
                name: name.clone(),
                email: email.as_ref().map(|e| e.as_str().to_owned()),
            }),
        }
    }
    Ok(errors.finish(|| Some(resolved))?)
}

/// A page of a client's communications, newest first.
pub async fn list_for_client(
    db: &mut PgConnection,
    client_id: Uuid,
    filter: &CommunicationFilter,
    page: PageRequest,
) -> ApiResult<CommunicationList> {
    filter.check()?;
    let filter = ListFilter {
        types: filter.types.clone(),
        from: filter.date_from.map(Date::start),
        until: filter
            .date_to
            .and_then(|day| day.0.succ_opt())
            .map(|next| Date(next).start()),
        important_only: filter.important_only,
        follow_up_due_by: filter.follow_up_due.then(Date::today),
    };
    let items =
        sql::list_for_client(&mut *db, client_id, &filter, page.limit, page.offset()).await?;
    let total = sql::count_for_client(&mut *db, client_id, &filter).await?;
    Ok(CommunicationList { items, total })
}

/// One communication.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<Communication> {
    sql::get(db, id)
        .await?
        .ok_or(AppError::NotFound("communication"))
}

async fn lock(db: &mut PgConnection, id: Uuid) -> ApiResult<Communication> {
    sql::find(db, id)
        .await?
        .ok_or(AppError::NotFound("communication"))
}

fn flags_of(communication: &Communication) -> Flags {
    Flags {
        is_important: communication.is_important,
        follow_up_required: communication.follow_up_required,
        follow_up_date: communication.follow_up_date,
        follow_up_notes: communication.follow_up_notes.clone(),
        follow_up_completed_at: communication.follow_up_completed_at,
        follow_up_completed_by: communication.follow_up_completed_by,
    }
}

/// Marks a communication important, or not.
pub async fn mark_important(
    db: &mut PgConnection,
    id: Uuid,
    important: bool,
) -> ApiResult<Communication> {
    let current = lock(db, id).await?;
    let flags = Flags {
        is_important: important,
        ..flags_of(&current)
    };
    Ok(sql::set_flags(db, id, &flags).await?)
}

/// Asks for a follow-up (again): a date today or later, and what it is about. A completed
/// follow-up is opened anew.
pub async fn set_follow_up(
    db: &mut PgConnection,
    id: Uuid,
    date: Date,
    notes: Option<&str>,
) -> ApiResult<Communication> {
    let mut errors = FieldErrors::new();
    let follow_up = check_follow_up(true, Some(date), notes, Date::today(), &mut errors);
    let (date, notes) = errors.finish(|| follow_up.flatten())?;
    let current = lock(db, id).await?;
    let flags = Flags {
        follow_up_required: true,
        follow_up_date: Some(date),
        follow_up_notes: notes,
        follow_up_completed_at: None,
        follow_up_completed_by: None,
        ..flags_of(&current)
    };
    Ok(sql::set_flags(db, id, &flags).await?)
}

/// Completes an open follow-up.
pub async fn complete_follow_up(
    db: &mut PgConnection,
    viewer: Viewer,
    id: Uuid,
) -> ApiResult<Communication> {
    let current = lock(db, id).await?;
    if !current.follow_up_open() {
        return Err(AppError::conflict(
            "this communication has no open follow-up",
        ));
    }
    let flags = Flags {
        follow_up_completed_at: Some(Utc::now()),
        follow_up_completed_by: Some(viewer.user_id),
        ..flags_of(&current)
    };
    Ok(sql::set_flags(db, id, &flags).await?)
}

/// A page of a user's open follow-ups across clients, soonest first; only those due by
/// `due_by` when given.
pub async fn open_follow_ups(
    db: &mut PgConnection,
    user_id: Uuid,
    due_by: Option<Date>,
    page: PageRequest,
) -> ApiResult<CommunicationList> {
    let items = sql::open_follow_ups(&mut *db, user_id, due_by, page.limit, page.offset()).await?;
    let total = sql::count_open_follow_ups(&mut *db, user_id, due_by).await?;
    Ok(CommunicationList { items, total })
}

/// Records an attachment, already in the file store, on a communication.
pub async fn attach(
    db: &mut PgConnection,
    id: Uuid,
    attachment: &Attachment,
) -> ApiResult<Communication> {
    sql::append_attachment(db, id, attachment)
        .await?
        .ok_or(AppError::NotFound("communication"))
}

/// The attachment of a communication, if it has one with this id.
pub fn attachment_of(communication: &Communication, attachment_id: Uuid) -> Option<&Attachment> {
    communication
        .attachments
        .0
        .iter()
        .find(|a| a.id == attachment_id)
}

/// The client a subscription is for, to refuse an unknown one at once.
pub async fn get_client(db: impl PgExecutor<'_>, client_id: Uuid) -> ApiResult<()> {
    clients::get(db, client_id).await.map(drop)
}
