//! Clients over GraphQL: the list, one client, duplicate checks, create, update,
//! deactivate and reactivate. Resolvers parse input and call the service.

use async_graphql::{
    ComplexObject, Context, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    duplicates::{self, DuplicateCandidate, DuplicateQuery, DuplicateReason},
    model::{Client, ClientPatch, ClientSort, ClientStatus, NewClient, ProfileFields},
    service,
    sql::ListFilter,
};
use crate::{
    auth::{Allowed, Permission, viewer},
    contacts::{graphql::ContactInput, model::Contact},
    error::{ApiResult, AppError},
    graphql::{
        Loader,
        loaders::{ContactsByClient, UserById},
        page::{DEFAULT_LIMIT, PageInfo, PageRequest},
        state,
    },
    users::User,
    values::Website,
};

/// Parses an `ID` holding a UUID; `field` names the argument in the error.
pub fn parse_id(id: &ID, field: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| AppError::invalid(field, "is not a valid id"))
}

#[Object]
impl Client {
    /// Unique id.
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }
    /// Human-friendly code, `CLT-YYYY-NNNN`.
    async fn client_code(&self) -> &str {
        &self.client_code
    }
    /// Company name.
    async fn name(&self) -> &str {
        &self.name
    }
    /// Industry.
    async fn industry(&self) -> Option<&str> {
        self.industry.as_deref()
    }
    /// Website URL.
    async fn website(&self) -> Option<&str> {
        self.website.as_deref()
    }
    /// Street address.
    async fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }
    /// City.
    async fn city(&self) -> Option<&str> {
        self.city.as_deref()
    }
    /// State or region.
    async fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
    /// Country.
    async fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
    /// Postal code.
    async fn postal_code(&self) -> Option<&str> {
        self.postal_code.as_deref()
    }
    /// Where the client stands.
    async fn status(&self) -> ClientStatus {
        self.status
    }
    /// The manager or admin who looks after the account.
    async fn account_manager(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.account_manager_id {
            Some(id) => ctx.data_unchecked::<Loader>().load_one(UserById(id)).await,
            None => Ok(None),
        }
    }
    /// Who created the client.
    async fn created_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        ctx.data_unchecked::<Loader>()
            .load_one(UserById(self.created_by))
            .await
    }
    /// Contact persons, primary first; inactive ones only when asked.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> ApiResult<Vec<Contact>> {
        let all = ctx
            .data_unchecked::<Loader>()
            .load_one(ContactsByClient(self.id))
            .await?
            .unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|c| include_inactive || c.is_active)
            .collect())
    }
    /// The active primary contact, if there is one.
    async fn primary_contact(&self, ctx: &Context<'_>) -> ApiResult<Option<Contact>> {
        let all = ctx
            .data_unchecked::<Loader>()
            .load_one(ContactsByClient(self.id))
            .await?
            .unwrap_or_default();
        Ok(all.into_iter().find(|c| c.is_primary && c.is_active))
    }
    /// When the client was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// When the client last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// When the client was deactivated (null while active).
    async fn deactivated_at(&self) -> Option<DateTime<Utc>> {
        self.deactivated_at
    }
    /// Why it was deactivated.
    async fn deactivation_reason(&self) -> Option<&str> {
        self.deactivation_reason.as_deref()
    }
    /// More about why it was deactivated.
    async fn deactivation_details(&self) -> Option<&str> {
        self.deactivation_details.as_deref()
    }
}

/// Clients per status, for the list's sidebar. Counts honour every filter but the status one.
#[derive(SimpleObject)]
pub struct StatusSummary {
    /// Active clients.
    active: i64,
    /// Inactive clients.
    inactive: i64,
    /// Clients on hold.
    on_hold: i64,
    /// Archived clients.
    archived: i64,
}

/// A page of clients.
#[derive(SimpleObject)]
pub struct ClientPage {
    /// The clients on this page.
    items: Vec<Client>,
    /// Where this page sits.
    page_info: PageInfo,
    /// Clients per status.
    summary: StatusSummary,
}

/// Which clients to list.
#[derive(InputObject, Default)]
pub struct ClientFilter {
    /// Only these statuses.
    status: Option<Vec<ClientStatus>>,
    /// Only this industry (any case).
    industry: Option<String>,
    /// Only clients of this account manager.
    account_manager_id: Option<ID>,
    /// Partial, case-insensitive match on name, client code or an active contact's name.
    search: Option<String>,
}

/// An industry in use and its number of clients.
#[derive(SimpleObject)]
pub struct IndustryCount {
    /// The industry as written on the clients.
    name: String,
    /// Clients in it, whatever their status.
    clients: i64,
}

/// A likely duplicate of a client being created or renamed.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct DuplicateMatch {
    /// The existing client.
    client: Client,
    /// 0–1; 1 means the same name once case, punctuation and legal suffixes are ignored.
    score: f64,
    /// Every reason it matched.
    reasons: Vec<DuplicateReason>,
    /// Shared website or email domains.
    domains: Vec<String>,
}

#[ComplexObject]
impl DuplicateMatch {
    /// The reasons in words, for the "possible duplicate" alert.
    async fn explanation(&self) -> String {
        let mut parts = Vec::new();
        for reason in &self.reasons {
            parts.push(match reason {
                DuplicateReason::SimilarName => {
                    format!("similar name ({:.0}% alike)", self.score * 100.0)
                }
                DuplicateReason::SameWebsiteDomain => {
                    format!("same website domain ({})", self.domains.join(", "))
                }
                DuplicateReason::SameEmailDomain => {
                    format!("a contact's email at {}", self.domains.join(", "))
                }
            });
        }
        parts.join("; ")
    }
}

impl From<DuplicateCandidate> for DuplicateMatch {
    fn from(c: DuplicateCandidate) -> Self {
        Self {
            client: c.client,
            score: c.score,
            reasons: c.reasons,
            domains: c.domains,
        }
    }
}

/// Client queries.
#[derive(Default)]
pub struct ClientsQuery;

#[Object]
impl ClientsQuery {
    /// Clients, filtered, sorted and paged, with per-status totals.
    #[graphql(
        guard = "Allowed(Permission::Read)",
        complexity = "(limit.unwrap_or(DEFAULT_LIMIT as i32).clamp(1, 100) as usize) * child_complexity"
    )]
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
    ) -> ApiResult<ClientPage> {
        let page = PageRequest::parse(page.unwrap_or(1), limit.unwrap_or(DEFAULT_LIMIT as i32))?;
        let filter = filter.unwrap_or_default();
        let search = filter
            .search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let order = match (sort, &search) {
            (Some(sort), _) => sort,
            (None, Some(_)) => ClientSort::Relevance,
            (None, None) => ClientSort::NameAsc,
        };
        let filter = ListFilter {
            statuses: filter.status,
            industry: filter
                .industry
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            account_manager_id: filter
                .account_manager_id
                .as_ref()
                .map(|id| parse_id(id, "filter.accountManagerId"))
                .transpose()?,
            search,
        };
        let list = service::list(&state(ctx).pool, filter, order, page).await?;
        prime_relations(ctx, &list.items).await?;
        Ok(ClientPage {
            items: list.items,
            page_info: page.info(list.counts.total),
            summary: StatusSummary {
                active: list.counts.active,
                inactive: list.counts.inactive,
                on_hold: list.counts.on_hold,
                archived: list.counts.archived,
            },
        })
    }

    /// Industries in use, by name, for filters.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn client_industries(&self, ctx: &Context<'_>) -> ApiResult<Vec<IndustryCount>> {
        let industries = service::industries(&state(ctx).pool).await?;
        Ok(industries
            .into_iter()
            .map(|i| IndustryCount {
                name: i.industry,
                clients: i.count,
            })
            .collect())
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
    ) -> ApiResult<Vec<DuplicateMatch>> {
        let website_domain = match website.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            Some(raw) => Some(
                Website::parse(raw)
                    .map_err(|m| AppError::invalid("website", m))?
                    .domain()
                    .to_owned(),
            ),
            None => None,
        };
        let query = DuplicateQuery {
            name,
            website_domain,
            email_domains: email_domains.unwrap_or_default(),
            exclude: exclude_client_id
                .as_ref()
                .map(|id| parse_id(id, "excludeClientId"))
                .transpose()?,
        };
        let found = duplicates::find(&state(ctx).pool, &query).await?;
        Ok(found.into_iter().map(Into::into).collect())
    }
}

/// Loads, in one batch per relation, what the query will ask of these clients, so the item
/// resolvers find it in the request's DataLoader cache: a fixed number of statements per
/// list whatever its length.
async fn prime_relations(ctx: &Context<'_>, clients: &[Client]) -> ApiResult<()> {
    let loader = ctx.data_unchecked::<Loader>();
    let items = ctx.look_ahead().field("items");
    if items.field("contacts").exists() || items.field("primaryContact").exists() {
        loader
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
        loader.load_many(users).await?;
    }
    Ok(())
}

/// A new client.
#[derive(InputObject)]
pub struct CreateClientInput {
    /// Company name (required, up to 200 characters).
    name: String,
    /// Industry.
    industry: Option<String>,
    /// Website; `acme.com` is read as `https://acme.com`.
    website: Option<String>,
    /// Street address.
    address: Option<String>,
    /// City.
    city: Option<String>,
    /// State or region.
    state: Option<String>,
    /// Country.
    country: Option<String>,
    /// Postal code.
    postal_code: Option<String>,
    /// Initial status: ACTIVE (default) or ON_HOLD.
    status: Option<ClientStatus>,
    /// An active manager or admin.
    account_manager_id: Option<ID>,
    /// Contact persons; when any are given, exactly one has `isPrimary: true`.
    #[graphql(default)]
    contacts: Vec<ContactInput>,
    /// Create even though likely duplicates exist (after the caller has seen them).
    #[graphql(default = false)]
    confirm_not_duplicate: bool,
}

/// Changes to a client; omitted fields stay as they are, `null` clears an optional one.
#[derive(InputObject, Default)]
pub struct UpdateClientInput {
    /// Company name.
    name: Option<String>,
    /// Industry.
    industry: MaybeUndefined<String>,
    /// Website.
    website: MaybeUndefined<String>,
    /// Street address.
    address: MaybeUndefined<String>,
    /// City.
    city: MaybeUndefined<String>,
    /// State or region.
    state: MaybeUndefined<String>,
    /// Country.
    country: MaybeUndefined<String>,
    /// Postal code.
    postal_code: MaybeUndefined<String>,
    /// An active manager or admin, or null for none.
    account_manager_id: MaybeUndefined<ID>,
    /// ACTIVE or ON_HOLD (deactivation has its own mutation).
    status: Option<ClientStatus>,
    /// Go ahead even if the new name or website looks like another client's.
    #[graphql(default = false)]
    confirm_not_duplicate: bool,
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
        let account_manager_id = input
            .account_manager_id
            .as_ref()
            .map(|id| parse_id(id, "accountManagerId"))
            .transpose()?;
        let new = NewClient::parse(
            ProfileFields {
                name: &input.name,
                industry: input.industry.as_deref(),
                website: input.website.as_deref(),
                address: input.address.as_deref(),
                city: input.city.as_deref(),
                state: input.state.as_deref(),
                country: input.country.as_deref(),
                postal_code: input.postal_code.as_deref(),
                account_manager_id,
            },
            input.status,
            input.contacts.into_iter().map(Into::into).collect(),
            input.confirm_not_duplicate,
        )?;
        let (client, _contacts) = service::create(&state(ctx).pool, viewer, new).await?;
        Ok(client)
    }

    /// Changes a client's profile, account manager, or status between ACTIVE and ON_HOLD.
    #[graphql(guard = "Allowed(Permission::ManageClients)")]
    async fn update_client(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateClientInput,
    ) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        let account_manager_id = match &input.account_manager_id {
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
            MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Value(id) => MaybeUndefined::Value(parse_id(id, "accountManagerId")?),
        };
        let patch = ClientPatch {
            name: input.name,
            industry: input.industry,
            website: input.website,
            address: input.address,
            city: input.city,
            state: input.state,
            country: input.country,
            postal_code: input.postal_code,
            account_manager_id,
            status: input.status,
            confirm_not_duplicate: input.confirm_not_duplicate,
        };
        service::update(&state(ctx).pool, viewer, parse_id(&id, "id")?, patch).await
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
        service::deactivate(
            &state(ctx).pool,
            viewer,
            parse_id(&id, "id")?,
            &reason,
            details.as_deref(),
            archive,
        )
        .await
    }

    /// Makes a client active again (admins only; audit-logged).
    #[graphql(guard = "Allowed(Permission::DeactivateClients)")]
    async fn reactivate_client(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Client> {
        let viewer = viewer(ctx)?;
        service::reactivate(&state(ctx).pool, viewer, parse_id(&id, "id")?).await
    }
}
