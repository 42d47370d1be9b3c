//! All SQL about clients. Private to `clients`: other domains use its service.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use std::collections::HashMap;

use clientele_core::{ClientCode, ClientStatus};

use crate::{
    error::AppError,
    graphql::loaders::{ClientById, PgLoader},
};

use super::model::{Client, ClientSettings, ClientSort, IndustryCount, ListFilter, StatusSummary};

impl ClientSort {
    /// The name the list query's `order by` matches on.
    fn as_sql(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::NameAsc => "name_asc",
            Self::NameDesc => "name_desc",
            Self::CodeAsc => "code_asc",
            Self::CodeDesc => "code_desc",
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::RecentlyUpdated => "recently_updated",
        }
    }
}

/// Totals for a filtered list: matching rows, and counts per status ignoring the status
/// filter (what the sidebar shows next to each status).
#[derive(Debug, Clone, Copy)]
pub struct ListCounts {
    /// Rows matching every filter.
    pub total: i64,
    /// Clients per status matching the other filters.
    pub summary: StatusSummary,
}

/// `text` with LIKE's wildcards escaped, for a pattern that matches it literally.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn statuses_sql(filter: &ListFilter) -> Option<Vec<String>> {
    filter
        .statuses
        .as_ref()
        .map(|s| s.iter().map(|status| status.as_str().to_owned()).collect())
}

/// One page of clients. (The connections force custom plans, see `db::connect`: a generic
/// plan of this catch-all statement probes contacts once per client, 3× slower.)
pub async fn list_clients(
    db: impl PgExecutor<'_>,
    filter: &ListFilter,
    order: ClientSort,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Client>> {
    let contains = filter
        .search
        .as_deref()
        .map(|s| format!("%{}%", like_escape(s)));
    let prefix = filter
        .search
        .as_deref()
        .map(|s| format!("{}%", like_escape(s)));
    let statuses = statuses_sql(filter);
    sqlx::query_as!(
        Client,
        r#"
        select c.id, c.client_code, c.name, c.industry, c.website, c.address, c.city, c.state,
               c.country, c.postal_code, c.status as "status: ClientStatus", c.account_manager_id,
               c.created_by, c.created_at, c.updated_at, c.deactivated_at, c.deactivation_reason,
               c.deactivation_details, c.logo_file_id
        from clients c
        where ($1::text[] is null or c.status = any($1))
          and ($2::text is null or lower(c.industry) = lower($2))
          and ($3::uuid is null or c.account_manager_id = $3)
          and ($4::text is null
               or c.name ilike $5 or c.client_code ilike $5
               or exists (select 1 from client_contacts cc
                          where cc.client_id = c.id and cc.is_active and cc.full_name ilike $5))
        order by
          case when $7 = 'relevance' then
            (case when lower(c.name) = lower($4) or lower(c.client_code) = lower($4) then 4
                  when c.name ilike $6 then 3
                  when c.name ilike $5 or c.client_code ilike $5 then 2
                  else 1 end)::float8
            + similarity(c.name, coalesce($4, ''))::float8
          end desc,
          case when $7 = 'name_asc' then lower(c.name) end asc,
          case when $7 = 'name_desc' then lower(c.name) end desc,
          case when $7 = 'code_asc' then c.client_code end asc,
          case when $7 = 'code_desc' then c.client_code end desc,
          case when $7 = 'newest' then c.created_at end desc,
          case when $7 = 'oldest' then c.created_at end asc,
          case when $7 = 'recently_updated' then c.updated_at end desc,
          lower(c.name), c.id
        limit $8 offset $9
        "#,
        statuses.as_deref(),
        filter.industry.as_deref(),
        filter.account_manager_id,
        filter.search.as_deref(),
        contains.as_deref(),
        prefix.as_deref(),
        order.as_sql(),
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// The total and the per-status summary for the list's filters.
pub async fn count_clients(
    db: impl PgExecutor<'_>,
    filter: &ListFilter,
) -> sqlx::Result<ListCounts> {
    let contains = filter
        .search
        .as_deref()
        .map(|s| format!("%{}%", like_escape(s)));
    let statuses = statuses_sql(filter);
    let row = sqlx::query!(
        r#"
        select count(*) filter (where $1::text[] is null or c.status = any($1)) as "total!",
               count(*) filter (where c.status = 'active') as "active!",
               count(*) filter (where c.status = 'inactive') as "inactive!",
               count(*) filter (where c.status = 'on-hold') as "on_hold!",
               count(*) filter (where c.status = 'archived') as "archived!"
        from clients c
        where ($2::text is null or lower(c.industry) = lower($2))
          and ($3::uuid is null or c.account_manager_id = $3)
          and ($4::text is null
               or c.name ilike $4 or c.client_code ilike $4
               or exists (select 1 from client_contacts cc
                          where cc.client_id = c.id and cc.is_active and cc.full_name ilike $4))
        "#,
        statuses.as_deref(),
        filter.industry.as_deref(),
        filter.account_manager_id,
        contains.as_deref(),
    )
    .fetch_one(db)
    .await?;
    Ok(ListCounts {
        total: row.total,
        summary: StatusSummary {
            active: row.active,
            inactive: row.inactive,
            on_hold: row.on_hold,
            archived: row.archived,
        },
    })
}

/// Every industry in use, by name, with its number of clients.
pub async fn industries(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<IndustryCount>> {
    sqlx::query_as!(
        IndustryCount,
        r#"
        select industry as "name!", count(*) as "clients!"
        from clients
        where industry is not null
        group by industry
        order by lower(industry), industry
        "#
    )
    .fetch_all(db)
    .await
}

/// Clients by id (missing ids are absent).
pub async fn clients_by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Client>> {
    sqlx::query_as!(
        Client,
        r#"
        select id, client_code, name, industry, website, address, city, state, country,
               postal_code, status as "status: ClientStatus", account_manager_id, created_by,
               created_at, updated_at, deactivated_at, deactivation_reason, deactivation_details,
               logo_file_id
        from clients
        where id = any($1)
        "#,
        ids
    )
    .fetch_all(db)
    .await
}

/// One client, locked for the rest of the transaction.
pub async fn client_for_update(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Client>> {
    sqlx::query_as!(
        Client,
        r#"
        select id, client_code, name, industry, website, address, city, state, country,
               postal_code, status as "status: ClientStatus", account_manager_id, created_by,
               created_at, updated_at, deactivated_at, deactivation_reason, deactivation_details,
               logo_file_id
        from clients
        where id = $1
        for update
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The next code of the current year (UTC). The upsert locks the year's counter row until
/// the transaction ends, so concurrent creates never share a number.
pub async fn next_client_code(db: &mut PgConnection) -> sqlx::Result<ClientCode> {
    let row = sqlx::query!(
        r#"
        insert into client_code_counters (year, last_value)
        values (extract(year from now() at time zone 'utc')::int, 1)
        on conflict (year) do update set last_value = client_code_counters.last_value + 1
        returning year, last_value
        "#
    )
    .fetch_one(db)
    .await?;
    Ok(ClientCode::new(row.year, row.last_value))
}

/// Inserts a client.
pub async fn insert_client(
    db: &mut PgConnection,
    code: &ClientCode,
    settings: &ClientSettings,
    created_by: Uuid,
) -> sqlx::Result<Client> {
    let profile = &settings.profile;
    sqlx::query_as!(
        Client,
        r#"
        insert into clients (client_code, name, industry, website, website_domain, address, city,
                             state, country, postal_code, status, account_manager_id, created_by)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        returning id, client_code, name, industry, website, address, city, state, country,
                  postal_code, status as "status: ClientStatus", account_manager_id, created_by,
                  created_at, updated_at, deactivated_at, deactivation_reason, deactivation_details,
               logo_file_id
        "#,
        code.as_str(),
        profile.name,
        profile.industry,
        profile.website.as_ref().map(|w| w.as_str()),
        profile.website.as_ref().map(|w| w.domain()),
        profile.address,
        profile.city,
        profile.state,
        profile.country,
        profile.postal_code,
        settings.status.as_str(),
        settings.account_manager_id,
        created_by
    )
    .fetch_one(db)
    .await
}

/// Writes a client's whole profile and status.
pub async fn update_client(
    db: &mut PgConnection,
    id: Uuid,
    settings: &ClientSettings,
) -> sqlx::Result<Client> {
    let profile = &settings.profile;
    sqlx::query_as!(
        Client,
        r#"
        update clients
        set name = $2, industry = $3, website = $4, website_domain = $5, address = $6, city = $7,
            state = $8, country = $9, postal_code = $10, account_manager_id = $11, status = $12
        where id = $1
        returning id, client_code, name, industry, website, address, city, state, country,
                  postal_code, status as "status: ClientStatus", account_manager_id, created_by,
                  created_at, updated_at, deactivated_at, deactivation_reason, deactivation_details,
               logo_file_id
        "#,
        id,
        profile.name,
        profile.industry,
        profile.website.as_ref().map(|w| w.as_str()),
        profile.website.as_ref().map(|w| w.domain()),
        profile.address,
        profile.city,
        profile.state,
        profile.country,
        profile.postal_code,
        settings.account_manager_id,
        settings.status.as_str()
    )
    .fetch_one(db)
    .await
}

/// Sets a client's status and deactivation fields (all null when reactivating).
pub async fn set_activation(
    db: &mut PgConnection,
    id: Uuid,
    status: ClientStatus,
    reason: Option<&str>,
    details: Option<&str>,
) -> sqlx::Result<Client> {
    sqlx::query_as!(
        Client,
        r#"
        update clients
        set status = $2,
            deactivated_at = case when $3::text is null then null else now() end,
            deactivation_reason = $3,
            deactivation_details = $4
        where id = $1
        returning id, client_code, name, industry, website, address, city, state, country,
                  postal_code, status as "status: ClientStatus", account_manager_id, created_by,
                  created_at, updated_at, deactivated_at, deactivation_reason, deactivation_details,
               logo_file_id
        "#,
        id,
        status.as_str(),
        reason,
        details
    )
    .fetch_one(db)
    .await
}

/// Whether a client has exactly this name.
pub async fn name_exists(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from clients where name = $1) as "exists!""#,
        name
    )
    .fetch_one(db)
    .await
}

/// A client whose name is like the given one, with its trigram similarity (0–1) after both
/// names are normalised by `normalize_company_name`.
pub struct NameMatch {
    /// The client.
    pub client_id: Uuid,
    /// Similarity of the normalised names.
    pub score: f64,
}

/// Clients with a similar normalised name, best first.
pub async fn similar_names(
    db: impl PgExecutor<'_>,
    name: &str,
    min_score: f64,
    exclude: Option<Uuid>,
) -> sqlx::Result<Vec<NameMatch>> {
    sqlx::query_as!(
        NameMatch,
        r#"
        select c.id as "client_id!",
               similarity(normalize_company_name(c.name), normalize_company_name($1))::float8 as "score!"
        from clients c
        where normalize_company_name(c.name) % normalize_company_name($1)
          and similarity(normalize_company_name(c.name), normalize_company_name($1)) >= $2
          and ($3::uuid is null or c.id <> $3)
        order by 2 desc
        limit 10
        "#,
        name,
        min_score as f32,
        exclude
    )
    .fetch_all(db)
    .await
}

/// A client sharing a domain with the input.
pub struct DomainMatch {
    /// The client.
    pub client_id: Uuid,
    /// `website` when the client's website has the domain, `email` when a contact's does.
    pub source: String,
    /// The shared domain.
    pub domain: String,
}

/// Clients whose website domain or active contacts' email domain is one of `domains`.
pub async fn shared_domains(
    db: impl PgExecutor<'_>,
    domains: &[String],
    exclude: Option<Uuid>,
) -> sqlx::Result<Vec<DomainMatch>> {
    sqlx::query_as!(
        DomainMatch,
        r#"
        select c.id as "client_id!", 'website' as "source!", c.website_domain as "domain!"
        from clients c
        where c.website_domain = any($1) and ($2::uuid is null or c.id <> $2)
        union
        select cc.client_id, 'email', cc.email_domain
        from client_contacts cc
        where cc.is_active and cc.email_domain = any($1) and ($2::uuid is null or cc.client_id <> $2)
        "#,
        domains,
        exclude
    )
    .fetch_all(db)
    .await
}

impl async_graphql::dataloader::Loader<ClientById> for PgLoader {
    type Value = Client;
    type Error = AppError;

    async fn load(&self, keys: &[ClientById]) -> Result<HashMap<ClientById, Client>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let clients = clients_by_ids(&self.pool, &ids).await?;
        Ok(clients.into_iter().map(|c| (ClientById(c.id), c)).collect())
    }
}

/// Points a client at a new logo file.
pub async fn set_logo(db: &mut PgConnection, id: Uuid, file_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update clients set logo_file_id = $2 where id = $1",
        id,
        file_id
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_escape(r"50%_off\"), r"50\%\_off\\");
    }
}
