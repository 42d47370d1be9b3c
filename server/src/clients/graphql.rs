//! Clients over GraphQL: the list, one client, duplicate checks, create, update,
//! deactivate and reactivate. Resolvers turn input into domain types, open the
//! transaction, call the service and commit.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject, Upload};
use clientele_core::Website;

use super::{
    Client, ClientFilter, ClientPatch, ClientSort, CreateClientInput, Deactivation,
    DuplicateCandidate, DuplicateQuery, IndustryCount, ListCursor, ListFilter, ListRequest,
    ListStart, NewClient, StatusSummary, service, sql::ListCounts,
};
use crate::{
    analytics::{AnalyticsPoint, Dashboard, Granularity, graphql::client_analytics},
    auth::{Allowed, Permission, viewer},
    communications::{
        CommunicationFilter,
        graphql::{CommunicationPage, client_communications},
    },
    contacts::Contact,
    error::{ApiResult, AppError},
    feedback::{
        FeedbackAverages, FeedbackTrend,
        graphql::{FeedbackFilter, FeedbackPage, client_averages, client_feedback, client_trends},
    },
    graphql::{
        loader,
        loaders::{ContactsByClient, StoredFileById, UserById},
        page::{DEFAULT_LIMIT, MAX_LIMIT, PageInfo, PageRequest},
        parse_id,
        scalars::{Date, optional_uuid},
        state,
    },
    jobs::{
        ClientJobFilter, JobAnalytics,
        graphql::{JobPage, client_job_analytics, client_jobs},
    },
    reports::graphql::{ReportPage, client_reports},
    storage::StoredObject,
    uploads::{self, StoredFile, UploadKind},
    users::User,
};

#[ComplexObject]
impl Client {
    /// The manager or admin who looks after the account.
    async fn account_manager(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.account_manager_id {
            Some(id) => loader(ctx).load_one(UserById(id)).await,
            None => Ok(None),
        }
    }
    /// Who created the client.
    async fn created_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        loader(ctx).load_one(UserById(self.created_by)).await
    }
    /// Contact persons, primary first; inactive ones only when asked.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> ApiResult<Vec<Contact>> {
        let all = loader(ctx).load_one(ContactsByClient(self.id)).await?;
        Ok(all
            .unwrap_or_default()
            .into_iter()
            .filter(|c| include_inactive || c.is_active)
            .collect())
    }
    /// Jobs the agency recruits for this client (its own, and those linked to it), newest
    /// first, each with its pipeline.
    #[graphql(complexity = "PageRequest::complexity(limit, child_complexity)")]
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        filter: Option<ClientJobFilter>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<JobPage> {
        let page = PageRequest::parse(page, limit)?;
        client_jobs(ctx, self.id, filter, page).await
    }
    /// The client's dashboard: headline figures, recent activity, pipeline funnel, job
    /// statuses.
    async fn dashboard(&self) -> Dashboard {
        Dashboard { client_id: self.id }
    }
    /// The client's daily figures between two days (both included), by day, ISO week or
    /// month, as the nightly aggregation wrote them.
    async fn analytics(
        &self,
        ctx: &Context<'_>,
        date_from: Date,
        date_to: Date,
        #[graphql(default_with = "Granularity::Day")] granularity: Granularity,
    ) -> ApiResult<Vec<AnalyticsPoint>> {
        client_analytics(ctx, self.id, date_from, date_to, granularity).await
    }
    /// One of the client's jobs in figures: candidates now and ever per stage, hires, days
    /// open, days to hire, quality.
    async fn job_analytics(&self, ctx: &Context<'_>, job_id: ID) -> ApiResult<JobAnalytics> {
        client_job_analytics(ctx, self.id, &job_id).await
    }
    /// The client's feedback, newest first (managers and admins).
    #[graphql(
        guard = "Allowed(Permission::ManageFeedback)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn feedback(
        &self,
        ctx: &Context<'_>,
        filter: Option<FeedbackFilter>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<FeedbackPage> {
        let page = PageRequest::parse(page, limit)?;
        client_feedback(ctx, self.id, filter, page).await
    }
    /// Average ratings of the feedback given between two days, both included (managers and
    /// admins).
    #[graphql(guard = "Allowed(Permission::ManageFeedback)")]
    async fn feedback_averages(
        &self,
        ctx: &Context<'_>,
        date_from: Option<Date>,
        date_to: Option<Date>,
    ) -> ApiResult<FeedbackAverages> {
        client_averages(ctx, self.id, date_from, date_to).await
    }
    /// The last `periods` periods of feedback, oldest first, with each period's averages
    /// and the change from the one before (managers and admins).
    #[graphql(guard = "Allowed(Permission::ManageFeedback)")]
    async fn feedback_trends(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 8)] periods: i32,
    ) -> ApiResult<Vec<FeedbackTrend>> {
        client_trends(ctx, self.id, periods).await
    }
    /// The client's performance reports, newest first (managers and admins).
    #[graphql(
        guard = "Allowed(Permission::ManageFeedback)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 10, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<ReportPage> {
        let page = PageRequest::parse(page, limit)?;
        client_reports(ctx, self.id, page).await
    }
    /// The client's logo, if it has one.
    async fn logo(&self, ctx: &Context<'_>) -> ApiResult<Option<StoredFile>> {
        match self.logo_file_id {
            Some(id) => loader(ctx).load_one(StoredFileById(id)).await,
            None => Ok(None),
        }
    }
    /// Calls, emails, meetings and notes with the client, newest first.
    #[graphql(complexity = "PageRequest::complexity(limit, child_complexity)")]
    async fn communications(
        &self,
        ctx: &Context<'_>,
        filter: Option<CommunicationFilter>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<CommunicationPage> {
        let page = PageRequest::parse(page, limit)?;
        client_communications(ctx, self.id, filter, page).await
    }
    /// The active primary contact, if there is one.
    async fn primary_contact(&self, ctx: &Context<'_>) -> ApiResult<Option<Contact>> {
        let all = loader(ctx).load_one(ContactsByClient(self.id)).await?;
        Ok(all
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.is_primary && c.is_active))
    }
}

/// A page of clients.
#[derive(SimpleObject)]
pub struct ClientPage {
    /// The clients on this page.
    items: Vec<Client>,
    /// Where this page sits. Its totals are counted only when the query selects them; with
    /// keyset paging (`first`/`after`), `page` is 1 and `limit` is `first`.
    page_info: PageInfo,
    /// Clients per status, counted only when the query selects it.
    summary: StatusSummary,
    /// Pass as `after` to get the clients that follow this page in the same order (null
    /// when the page is empty or sorted by relevance).
    end_cursor: Option<String>,
    /// Whether clients follow this page.
    has_next_page: bool,
}

/// Client queries.
#[derive(Default)]
pub struct ClientsQuery;

#[Object]
impl ClientsQuery {
    /// Clients, filtered, sorted and paged, with per-status totals. Page by number
    /// (`page`/`limit`), or walk the whole list at a cost independent of depth with keyset
    /// paging: `first` clients `after` the previous page's `endCursor` (any sort but
    /// relevance).
    #[graphql(
        guard = "Allowed(Permission::Read)",
        complexity = "PageRequest::complexity(first.or(limit).unwrap_or(DEFAULT_LIMIT as i32), child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        filter: Option<ClientFilter>,
        sort: Option<ClientSort>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: Option<i32>,
        #[graphql(
            default_with = "Some(DEFAULT_LIMIT as i32)",
            desc = "Items per page, 1 to 100."
        )]
        limit: Option<i32>,
        #[graphql(desc = "Keyset paging: clients per page, 1 to 100 (instead of `limit`).")]
        first: Option<i32>,
        #[graphql(desc = "Keyset paging: the `endCursor` of the previous page.")] after: Option<
            String,
        >,
    ) -> ApiResult<ClientPage> {
        let filter = ListFilter::try_from(filter.unwrap_or_default())?;
        let order = match (sort, &filter.search) {
            (Some(sort), _) => sort,
            (None, Some(_)) => ClientSort::Relevance,
            (None, None) => ClientSort::NameAsc,
        };
        let page_number = page.unwrap_or(1);
        let keyset = first.is_some() || after.is_some();
        if first.is_some_and(|first| !(1..=MAX_LIMIT).contains(&i64::from(first))) {
            return Err(AppError::invalid(
                "first",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let page = PageRequest::parse(
            if keyset { 1 } else { page_number },
            first.or(limit).unwrap_or(DEFAULT_LIMIT as i32),
        )?;
        let start = if keyset {
            keyset_start(order, page_number, after.as_deref())?
        } else {
            ListStart::Offset(page.offset())
        };
        let look = ctx.look_ahead();
        let page_info = look.field("pageInfo");
        let counts = look.field("summary").exists()
            || page_info.field("total").exists()
            || page_info.field("totalPages").exists();
        let request = ListRequest {
            order,
            limit: page.limit,
            start,
            counts,
        };
        let mut db = state(ctx).pool.acquire().await?;
        let list = service::list(&mut db, &filter, &request).await?;
        drop(db);
        prime_relations(ctx, &list.items).await?;
        let counts = list.counts.unwrap_or(ListCounts::NOT_COUNTED);
        Ok(ClientPage {
            end_cursor: list
                .items
                .last()
                .and_then(|last| ListCursor::after(last, order))
                .map(|cursor| cursor.encode()),
            has_next_page: list.has_next_page,
            items: list.items,
            page_info: page.info(counts.total),
            summary: counts.summary,
        })
    }

    /// Industries in use, by name, for filters.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn client_industries(&self, ctx: &Context<'_>) -> ApiResult<Vec<IndustryCount>> {
        service::industries(&state(ctx).pool).await
    }

    /// One client.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn client(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Client> {
        service::get(&state(ctx).pool, parse_id(&id, "id")?).await
    }

    /// Existing clients that look like the one described: a similar name (ignoring case,
    /// punctuation and suffixes such as Inc or GmbH), the same website domain, or contacts
    /// at one of the email domains. Public mail domains (gmail.com, …) are ignored.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn client_duplicates(
        &self,
        ctx: &Context<'_>,
        name: Option<String>,
        website: Option<String>,
        #[graphql(default)] email_domains: Option<Vec<String>>,
        #[graphql(desc = "Leave this client out (when editing it).")] exclude_client_id: Option<ID>,
    ) -> ApiResult<Vec<DuplicateCandidate>> {
        let website = website.as_deref().map(str::trim).filter(|w| !w.is_empty());
        let query = DuplicateQuery {
            name,
            website_domain: website
                .map(Website::parse)
                .transpose()
                .map_err(|m| AppError::invalid("website", m))?
                .map(|site| site.domain().to_owned()),
            email_domains: email_domains.unwrap_or_default(),
            exclude: optional_uuid(exclude_client_id.as_ref())
                .map_err(|m| AppError::invalid("excludeClientId", m))?,
        };
        let mut db = state(ctx).pool.acquire().await?;
        service::duplicates(&mut db, &query).await
    }
}

/// Where a keyset page starts: the first page, or after a cursor of the same order.
fn keyset_start(order: ClientSort, page: i32, after: Option<&str>) -> ApiResult<ListStart> {
    if page != 1 {
        return Err(AppError::invalid(
            "page",
            "cannot be combined with first/after: keyset paging moves by cursor",
        ));
    }
    if order == ClientSort::Relevance {
        return Err(AppError::invalid(
            "sort",
            "keyset paging (first/after) needs a sort other than RELEVANCE",
        ));
    }
    let Some(after) = after else {
        return Ok(ListStart::Offset(0));
    };
    let cursor = ListCursor::decode(after).map_err(|m| AppError::invalid("after", m))?;
    if cursor.sort != order {
        return Err(AppError::invalid(
            "after",
            "belongs to another sort order: pass the same sort as the page it came from",
        ));
    }
    Ok(ListStart::After(cursor))
}

/// Loads, in one batch per relation, what the query will ask of these clients, so the item
/// resolvers find it in the request's DataLoader cache: a fixed number of statements per
/// list whatever its length.
async fn prime_relations(ctx: &Context<'_>, clients: &[Client]) -> ApiResult<()> {
    let items = ctx.look_ahead().field("items");
    if items.field("contacts").exists() || items.field("primaryContact").exists() {
        loader(ctx)
            .load_many(clients.iter().map(|c| ContactsByClient(c.id)))
            .await?;
    }
    let mut users: Vec<UserById> = Vec::new();
    if items.field("accountManager").exists() {
        users.extend(
            clients
                .iter()
                .filter_map(|c| c.account_manager_id)
                .map(UserById),
        );
    }
    if items.field("createdBy").exists() {
        users.extend(clients.iter().map(|c| UserById(c.created_by)));
    }
    if !users.is_empty() {
        loader(ctx).load_many(users).await?;
    }
    Ok(())
}

/// Client mutations.
#[derive(Default)]
pub struct ClientsMutation;

#[Object]
impl ClientsMutation {
    /// Creates a client and its contacts in one transaction. Likely duplicates give a
    /// CONFLICT with `extensions.duplicates`, unless `confirmNotDuplicate` is true.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn create_client(
        &self,
        ctx: &Context<'_>,
        input: CreateClientInput,
    ) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        let new = NewClient::try_from(&input)?;
        let mut tx = state(ctx).pool.begin().await?;
        let (client, _contacts) = service::create(&mut tx, viewer, &new).await?;
        tx.commit().await?;
        Ok(client)
    }

    /// Changes a client's profile, account manager, or status between ACTIVE and ON_HOLD.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn update_client(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ClientPatch,
    ) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let client = service::update(&mut tx, viewer, id, &input).await?;
        tx.commit().await?;
        Ok(client)
    }

    /// Deactivates a client with a reason (admins only; audit-logged). `archive: true`
    /// archives it instead. Linked jobs stay linked.
    #[graphql(guard = "Allowed(Permission::DeactivateClients)")]
    async fn deactivate_client(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
        details: Option<String>,
        #[graphql(default = false)] archive: bool,
    ) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let deactivation = Deactivation::parse(&reason, details.as_deref(), archive)?;
        let mut tx = state(ctx).pool.begin().await?;
        let client = service::deactivate(&mut tx, viewer, id, &deactivation).await?;
        tx.commit().await?;
        Ok(client)
    }

    /// Gives a client a logo (multipart upload, at most 2 MB; PNG, JPEG or WebP, told by the
    /// content). The previous logo is removed.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn upload_client_logo(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        file: Upload,
    ) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&client_id, "clientId")?;
        let api = state(ctx);
        service::get(&api.pool, id).await?;
        let received = uploads::received(ctx, file, UploadKind::Logo).await?;
        let logo = StoredFile::describe(&format!("logos/{id}"), &received, viewer.user_id);
        let object = StoredObject {
            bytes: received.bytes,
            content_type: logo.content_type.clone(),
        };
        let key = logo.storage_key.clone();
        let (client, replaced) =
            uploads::store_then_record(&api.pool, api.storage.as_ref(), &key, object, move |tx| {
                Box::pin(async move { service::set_logo(tx, id, &logo).await })
            })
            .await?;
        if let Some(old) = replaced
            && let Err(error) = api.storage.delete(&old).await
        {
            tracing::warn!(error = ?error, key = %old, "removing a replaced logo");
        }
        Ok(client)
    }

    /// Makes a client active again (admins only; audit-logged).
    #[graphql(guard = "Allowed(Permission::DeactivateClients)")]
    async fn reactivate_client(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let client = service::reactivate(&mut tx, viewer, id).await?;
        tx.commit().await?;
        Ok(client)
    }
}
