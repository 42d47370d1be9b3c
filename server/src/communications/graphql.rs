//! Communications over GraphQL: a client's log (`Client.communications`), one
//! communication, the signed-in user's open follow-ups, logging, importance and follow-ups.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject, Subscription, Upload};
use chrono::Utc;
use futures::{Stream, StreamExt};

use super::{
    Attachment, Communication, CommunicationFilter, LogCommunicationInput, NewCommunication,
    Participant, service,
};
use crate::{
    auth::{Allowed, Permission, viewer},
    clients::Client,
    contacts::Contact,
    error::{ApiResult, AppError},
    events::Event,
    graphql::{
        loader,
        loaders::{ClientById, ContactById, JobById, UserById},
        page::{PageInfo, PageRequest},
        parse_id,
        scalars::Date,
        state,
    },
    jobs::Job,
    storage::StoredObject,
    uploads::{self, UploadKind},
    users::User,
};

#[ComplexObject]
impl Communication {
    /// The client it was with.
    async fn client(&self, ctx: &Context<'_>) -> ApiResult<Option<Client>> {
        loader(ctx).load_one(ClientById(self.client_id)).await
    }
    /// Who took part.
    async fn participants(&self) -> &[Participant] {
        &self.participants.0
    }
    /// Files attached, oldest first.
    async fn attachments(&self) -> &[Attachment] {
        &self.attachments.0
    }
    /// The job it was about.
    async fn job(&self, ctx: &Context<'_>) -> ApiResult<Option<Job>> {
        match self.job_reference_id {
            Some(id) => loader(ctx).load_one(JobById(id)).await,
            None => Ok(None),
        }
    }
    /// Who logged it.
    async fn logged_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        loader(ctx).load_one(UserById(self.logged_by)).await
    }
    /// Who completed the follow-up.
    async fn follow_up_completed_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.follow_up_completed_by {
            Some(id) => loader(ctx).load_one(UserById(id)).await,
            None => Ok(None),
        }
    }
    /// The follow-up is open and its date has passed (UTC).
    async fn follow_up_overdue(&self) -> bool {
        self.follow_up_open() && self.follow_up_date.is_some_and(|date| date < Date::today())
    }
}

#[ComplexObject]
impl Attachment {
    /// Who uploaded it.
    async fn uploaded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        loader(ctx).load_one(UserById(self.uploaded_by)).await
    }

    /// A link that downloads the file, valid for `expiresInSeconds` (at most an hour).
    #[graphql(guard = "Allowed(Permission::DownloadAttachments)")]
    async fn download_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 300)] expires_in_seconds: i32,
    ) -> ApiResult<String> {
        let lifetime = uploads::link_lifetime(expires_in_seconds)?;
        Ok(state(ctx)
            .storage
            .download_url(
                &self.storage_key,
                &self.file_name,
                &self.content_type,
                lifetime,
            )
            .await?)
    }
}

#[ComplexObject]
impl Participant {
    /// The client's contact, when the participant is one (their current details).
    async fn contact(&self, ctx: &Context<'_>) -> ApiResult<Option<Contact>> {
        match self.contact_id {
            Some(id) => loader(ctx).load_one(ContactById(id)).await,
            None => Ok(None),
        }
    }
}

/// A page of communications.
#[derive(SimpleObject)]
pub struct CommunicationPage {
    /// The communications on this page.
    items: Vec<Communication>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// Loads, one batch per relation, what the query will ask of these communications.
async fn prime_relations(ctx: &Context<'_>, items: &[Communication]) -> ApiResult<()> {
    let wanted = ctx.look_ahead().field("items");
    let loader = loader(ctx);
    // Keys are collected before awaiting: an iterator of closures held across an await
    // keeps the resolver's future from being `Send`.
    if wanted.field("loggedBy").exists() || wanted.field("followUpCompletedBy").exists() {
        let mut users = Vec::new();
        for c in items {
            users.push(UserById(c.logged_by));
            users.extend(c.follow_up_completed_by.map(UserById));
        }
        loader.load_many(users).await?;
    }
    if wanted.field("participants").field("contact").exists() {
        let mut contacts = Vec::new();
        for c in items {
            contacts.extend(
                c.participants
                    .0
                    .iter()
                    .filter_map(|p| p.contact_id)
                    .map(ContactById),
            );
        }
        loader.load_many(contacts).await?;
    }
    if wanted.field("job").exists() {
        let jobs: Vec<JobById> = items
            .iter()
            .filter_map(|c| c.job_reference_id)
            .map(JobById)
            .collect();
        loader.load_many(jobs).await?;
    }
    if wanted.field("client").exists() {
        let clients: Vec<ClientById> = items.iter().map(|c| ClientById(c.client_id)).collect();
        loader.load_many(clients).await?;
    }
    Ok(())
}

/// Builds a page from a service's list, loading its relations first.
async fn page_of(
    ctx: &Context<'_>,
    list: service::CommunicationList,
    page: PageRequest,
) -> ApiResult<CommunicationPage> {
    prime_relations(ctx, &list.items).await?;
    Ok(CommunicationPage {
        items: list.items,
        page_info: page.info(list.total),
    })
}

/// The communications of one client, for `Client.communications`.
pub async fn client_communications(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    filter: Option<CommunicationFilter>,
    page: PageRequest,
) -> ApiResult<CommunicationPage> {
    let mut db = state(ctx).pool.acquire().await?;
    let list =
        service::list_for_client(&mut db, client_id, &filter.unwrap_or_default(), page).await?;
    drop(db);
    page_of(ctx, list, page).await
}

/// Communication queries.
#[derive(Default)]
pub struct CommunicationsQuery;

#[Object]
impl CommunicationsQuery {
    /// One communication.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn communication(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Communication> {
        service::get(&state(ctx).pool, parse_id(&id, "id")?).await
    }

    /// The signed-in user's open follow-ups across clients, soonest first; with `dueBy`,
    /// only those due by that day.
    #[graphql(
        guard = "Allowed(Permission::Read)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn my_follow_ups(
        &self,
        ctx: &Context<'_>,
        due_by: Option<Date>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<CommunicationPage> {
        let page = PageRequest::parse(page, limit)?;
        let viewer = viewer(ctx)?;
        let mut db = state(ctx).pool.acquire().await?;
        let list = service::open_follow_ups(&mut db, viewer.user_id, due_by, page).await?;
        drop(db);
        page_of(ctx, list, page).await
    }
}

/// Communication mutations.
#[derive(Default)]
pub struct CommunicationsMutation;

#[Object]
impl CommunicationsMutation {
    /// Logs a call, email, meeting or note with a client. Participants are the client's
    /// active contacts or people named by hand; the job must be the client's; a follow-up
    /// needs a date today or later.
    #[graphql(guard = "Allowed(Permission::LogCommunications)")]
    async fn log_communication(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        input: LogCommunicationInput,
    ) -> ApiResult<Communication> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let new = NewCommunication::parse(&input, Utc::now(), Date::today())?;
        let mut tx = state(ctx).pool.begin().await?;
        let logged = service::log(&mut tx, viewer, client_id, &new).await?;
        tx.commit().await?;
        Ok(logged)
    }

    /// Marks a communication important, or not.
    #[graphql(guard = "Allowed(Permission::LogCommunications)")]
    async fn mark_communication_important(
        &self,
        ctx: &Context<'_>,
        id: ID,
        important: bool,
    ) -> ApiResult<Communication> {
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let marked = service::mark_important(&mut tx, id, important).await?;
        tx.commit().await?;
        Ok(marked)
    }

    /// Asks for a follow-up on a communication by `date` (today or later); a completed
    /// follow-up is opened again.
    #[graphql(guard = "Allowed(Permission::LogCommunications)")]
    async fn set_follow_up(
        &self,
        ctx: &Context<'_>,
        id: ID,
        date: Date,
        notes: Option<String>,
    ) -> ApiResult<Communication> {
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let set = service::set_follow_up(&mut tx, id, date, notes.as_deref()).await?;
        tx.commit().await?;
        Ok(set)
    }

    /// Attaches a file to a communication (multipart upload, at most 10 MB): PDF, images,
    /// Office documents, plain text or CSV, told by the file's content, not its name.
    #[graphql(guard = "Allowed(Permission::LogCommunications)")]
    async fn upload_attachment(
        &self,
        ctx: &Context<'_>,
        communication_id: ID,
        file: Upload,
    ) -> ApiResult<Communication> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&communication_id, "communicationId")?;
        let api = state(ctx);
        service::get(&api.pool, id).await?;
        let received = uploads::received(ctx, file, UploadKind::Attachment).await?;
        let attachment = Attachment::describe(id, &received, viewer.user_id);
        let object = StoredObject {
            bytes: received.bytes,
            content_type: attachment.content_type.clone(),
        };
        let key = attachment.storage_key.clone();
        let attached =
            uploads::store_then_record(&api.pool, api.storage.as_ref(), &key, object, move |tx| {
                Box::pin(async move { service::attach(tx, id, &attachment).await })
            })
            .await?;
        tracing::info!(communication_id = %id, %key, "attachment stored");
        Ok(attached)
    }

    /// Completes a communication's open follow-up.
    #[graphql(guard = "Allowed(Permission::LogCommunications)")]
    async fn complete_follow_up(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Communication> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let done = service::complete_follow_up(&mut tx, viewer, id).await?;
        tx.commit().await?;
        Ok(done)
    }
}

/// Communication subscriptions.
#[derive(Default)]
pub struct CommunicationsSubscription;

#[Subscription]
impl CommunicationsSubscription {
    /// Each communication logged with the client from now on, as it is committed (on any
    /// server). Over WebSocket at `/graphql/ws` (graphql-transport-ws), signed in with the
    /// connection's `authorization` payload.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn communication_logged(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
    ) -> Result<impl Stream<Item = ApiResult<Communication>> + use<>, AppError> {
        let client_id = parse_id(&client_id, "clientId")?;
        let api = state(ctx);
        service::get_client(&api.pool, client_id).await?;
        let pool = api.pool.clone();
        // Subscribed before the stream is returned, so nothing logged after this call is
        // missed.
        let heard = tokio_stream::wrappers::BroadcastStream::new(api.events.subscribe());
        Ok(heard.filter_map(move |event| {
            let pool = pool.clone();
            async move {
                match event {
                    Ok(Event::CommunicationLogged {
                        communication_id,
                        client_id: of,
                    }) if of == client_id => Some(service::get(&pool, communication_id).await),
                    Ok(_) => None,
                    Err(lagged) => {
                        tracing::warn!(error = %lagged, "a slow subscriber missed events");
                        None
                    }
                }
            }
        }))
    }
}
