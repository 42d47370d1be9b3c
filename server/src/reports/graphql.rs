//! Reports over GraphQL: `generatePerformanceReport` (now, or by the queue with
//! `async: true`), `report(id)` to follow one, and `Client.reports`.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};

use super::{Report, ReportKind, dashboard, model::ReportRange, service};
use crate::{
    auth::{Allowed, Permission, viewer},
    clients::Client,
    error::{ApiResult, AppError},
    graphql::{
        loader,
        loaders::{ClientById, StoredFileById, UserById},
        page::{PageInfo, PageRequest},
        parse_id,
        scalars::Date,
        state,
    },
    uploads::{self, StoredFile},
    users::User,
};

#[ComplexObject]
impl Report {
    /// The client it is about.
    async fn client(&self, ctx: &Context<'_>) -> ApiResult<Client> {
        loader(ctx)
            .load_one(ClientById(self.client_id))
            .await?
            .ok_or(AppError::NotFound("client"))
    }
    /// Who asked for it.
    async fn requested_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        loader(ctx).load_one(UserById(self.requested_by)).await
    }
    /// The PDF, once rendered.
    async fn file(&self, ctx: &Context<'_>) -> ApiResult<Option<StoredFile>> {
        self.stored_file(ctx).await
    }
    /// A link that downloads the PDF, valid for `expiresInSeconds` (at most an hour); null
    /// until it is rendered.
    async fn download_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 300)] expires_in_seconds: i32,
    ) -> ApiResult<Option<String>> {
        let lifetime = uploads::link_lifetime(expires_in_seconds)?;
        let Some(file) = self.stored_file(ctx).await? else {
            return Ok(None);
        };
        let url = state(ctx)
            .storage
            .download_url(
                &file.storage_key,
                &file.file_name,
                &file.content_type,
                lifetime,
            )
            .await?;
        Ok(Some(url))
    }
}

impl Report {
    async fn stored_file(&self, ctx: &Context<'_>) -> ApiResult<Option<StoredFile>> {
        match self.file_id {
            Some(id) => loader(ctx).load_one(StoredFileById(id)).await,
            None => Ok(None),
        }
    }
}

/// A page of reports.
#[derive(SimpleObject)]
pub struct ReportPage {
    /// The reports on this page.
    items: Vec<Report>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// A client's reports, for `Client.reports`.
pub async fn client_reports(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    page: PageRequest,
) -> ApiResult<ReportPage> {
    let mut db = state(ctx).pool.acquire().await?;
    let (items, total) = service::of_client(&mut db, client_id, page).await?;
    Ok(ReportPage {
        items,
        page_info: page.info(total),
    })
}

/// Report queries.
#[derive(Default)]
pub struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// One report: where it stands, and its link once rendered (managers and admins).
    #[graphql(guard = "Allowed(Permission::ManageFeedback)")]
    async fn report(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Report> {
        service::get(&state(ctx).pool, parse_id(&id, "id")?).await
    }
}

/// Report mutations.
#[derive(Default)]
pub struct ReportsMutation;

#[Object]
impl ReportsMutation {
    /// Renders a client's performance report over two days, both included, as a PDF: cover,
    /// feedback averages and trend charts, job and pipeline figures, important
    /// communications (managers and admins). With `async: true` it is rendered by the
    /// background queue: the report comes back `PENDING` at once; follow it with `report`.
    #[graphql(guard = "Allowed(Permission::ManageFeedback)")]
    async fn generate_performance_report(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        date_from: Date,
        date_to: Date,
        #[graphql(name = "async", default = false)] in_background: bool,
    ) -> ApiResult<Report> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let range = ReportRange::parse(date_from, date_to)?;
        let api = state(ctx);
        if in_background {
            let mut tx = api.pool.begin().await?;
            let report = service::request(&mut tx, viewer, client_id, range).await?;
            tx.commit().await?;
            return Ok(report);
        }
        let mut tx = api.pool.begin().await?;
        service::snapshot(&mut tx).await?;
        let data = service::gather(&mut tx, client_id, range, Date::today()).await?;
        tx.commit().await?;
        let (file, object) = service::produce(data, client_id, range, viewer.user_id).await?;
        let key = file.storage_key.clone();
        uploads::store_then_record(&api.pool, api.storage.as_ref(), &key, object, move |tx| {
            Box::pin(async move {
                service::record_ready(tx, viewer, client_id, ReportKind::Performance, range, &file)
                    .await
            })
        })
        .await
    }

    /// Exports a client's dashboard as it stands now as a PDF: the headline figures, the
    /// pipeline funnel, the job statuses and the last 30 days of activity (everyone who may
    /// read the client). The report covers those 30 days and is ready at once.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn export_dashboard_pdf(&self, ctx: &Context<'_>, client_id: ID) -> ApiResult<Report> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let api = state(ctx);
        let now = chrono::Utc::now();
        let today = Date(now.date_naive());
        let first = now.date_naive() - chrono::Duration::days(i64::from(dashboard::ACTIVITY_DAYS));
        let range = ReportRange::parse(Date(first), today)?;
        let mut tx = api.pool.begin().await?;
        service::snapshot(&mut tx).await?;
        let data = dashboard::gather(&mut tx, client_id, now).await?;
        tx.commit().await?;
        let (name, pdf) = dashboard::produce(data, now).await?;
        let (file, object) = service::rendered(client_id, &name, pdf, viewer.user_id);
        let key = file.storage_key.clone();
        uploads::store_then_record(&api.pool, api.storage.as_ref(), &key, object, move |tx| {
            Box::pin(async move {
                service::record_ready(tx, viewer, client_id, ReportKind::Dashboard, range, &file)
                    .await
            })
        })
        .await
    }
}
