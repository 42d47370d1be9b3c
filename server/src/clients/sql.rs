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

/// Totals for a filtered list: matching rows, and counts per status ignoring the status
/// filter (what the sidebar shows next to each status).
#[derive(Debug, Clone, Copy)]
pub struct ListCounts {
    /// Rows matching every filter.
    pub total: i64,
    /// Clients per status matching the other filters.
    pub summary: StatusSummary,
}

impl ListCounts {
    /// What a list answers when its query selects no totals: nothing was counted.
    pub const NOT_COUNTED: Self = Self {
        total: 0,
        summary: StatusSummary {
            active: 0,
            inactive: 0,
            on_hold: 0,
            archived: 0,
        },
    };
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

/// Where a page of the list starts: skip `offset` rows, or start after a row (keyset).
#[derive(Debug, Clone, Copy)]
pub enum PageStart<'a> {
    /// Skip this many rows of the order.
    Offset(i64),
    /// Start after the row with this sort key and id.
    After { key: &'a str, id: Uuid },
}

/// One statement per sort order (and per searched or not), each served by its own index:
/// the first page reads about `limit` rows whatever the table size. A generic catch-all
/// statement cannot be: its `order by case …` matches no index. Parameters: `$1` statuses,
/// `$2` industry, `$3` account manager, `$4` limit, `$5` offset, `$6`/`$7` the sort key and
/// id of the row to start after, and for a search `$8` the LIKE-escaped text.
macro_rules! list_page {
    ($db:expr, $args:expr, $search:expr, $order:tt) => {{
        let (statuses, industry, manager, limit, offset, after_key, after_id) = $args;
        match $search {
            None => {
                sqlx::query_as!(
                    Client,
                    r#"
                    select c.id, c.client_code, c.name, c.industry, c.website, c.address, c.city,
                           c.state, c.country, c.postal_code, c.status as "status: ClientStatus",
                           c.account_manager_id, c.created_by, c.created_at, c.updated_at,
                           c.deactivated_at, c.deactivation_reason, c.deactivation_details,
                           c.logo_file_id
                    from clients c
                    where ($1::text[] is null or c.status = any($1))
                      and ($2::text is null or lower(c.industry) = lower($2))
                      and ($3::uuid is null or c.account_manager_id = $3)
                    "# + $order,
                    statuses.as_deref(),
                    industry,
                    manager,
                    limit,
                    offset,
                    after_key,
                    after_id
                )
                .fetch_all($db)
                .await
            }
            Some(pattern) => {
                sqlx::query_as!(
                    Client,
                    r#"
                    select c.id, c.client_code, c.name, c.industry, c.website, c.address, c.city,
                           c.state, c.country, c.postal_code, c.status as "status: ClientStatus",
                           c.account_manager_id, c.created_by, c.created_at, c.updated_at,
                           c.deactivated_at, c.deactivation_reason, c.deactivation_details,
                           c.logo_file_id
                    from clients c
                    where ($1::text[] is null or c.status = any($1))
                      and ($2::text is null or lower(c.industry) = lower($2))
                      and ($3::uuid is null or c.account_manager_id = $3)
                      and c.id in (
                          select m.id from clients m
                          where m.search_name like '%' || search_key($8) || '%'
                          union
                          select m.id from clients m
                          where m.client_code ilike '%' || search_key($8) || '%'
                          union
                          select cc.client_id from client_contacts cc
                          where cc.is_active
                            and cc.search_name like '%' || search_key($8) || '%')
                    "# + $order,
                    statuses.as_deref(),
                    industry,
                    manager,
                    limit,
                    offset,
                    after_key,
                    after_id,
                    pattern
                )
                .fetch_all($db)
                .await
            }
        }
    }};
}

/// One page of clients in `order`. `Relevance` needs a search (without one it is by name)
/// and pages by offset only.
pub async fn list_clients(
    db: impl PgExecutor<'_>,
    filter: &ListFilter,
    order: ClientSort,
    limit: i64,
    start: PageStart<'_>,
) -> sqlx::Result<Vec<Client>> {
    let pattern = filter.search.as_deref().map(like_escape);
    let (offset, after_key, after_id) = match start {
        PageStart::Offset(offset) => (offset, None, None),
        PageStart::After { key, id } => (0, Some(key), Some(id)),
    };
    let args = (
        statuses_sql(filter),
        filter.industry.as_deref(),
        filter.account_manager_id,
        limit,
        offset,
        after_key,
        after_id,
    );
    let search = pattern.as_deref();
    match (order, filter.search.as_deref().zip(search)) {
        (ClientSort::Relevance, Some((text, pattern))) => {
            let (statuses, industry, manager, limit, offset, ..) = args;
            list_by_relevance(
                db,
                (statuses, industry, manager),
                text,
                pattern,
                limit,
                offset,
            )
            .await
        }
        (ClientSort::Relevance | ClientSort::NameAsc, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.search_name collate "C", c.id) > (search_key($6), $7))
            order by c.search_name collate "C", c.id limit $4 offset $5"#
        ),
        (ClientSort::NameDesc, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.search_name collate "C", c.id) < (search_key($6), $7))
            order by c.search_name collate "C" desc, c.id desc limit $4 offset $5"#
        ),
        (ClientSort::CodeAsc, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.client_code, c.id) > ($6, $7))
            order by c.client_code, c.id limit $4 offset $5"#
        ),
        (ClientSort::CodeDesc, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.client_code, c.id) < ($6, $7))
            order by c.client_code desc, c.id desc limit $4 offset $5"#
        ),
        (ClientSort::Newest, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.created_at, c.id) < ($6::text::timestamptz, $7))
            order by c.created_at desc, c.id desc limit $4 offset $5"#
        ),
        (ClientSort::Oldest, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.created_at, c.id) > ($6::text::timestamptz, $7))
            order by c.created_at, c.id limit $4 offset $5"#
        ),
        (ClientSort::RecentlyUpdated, _) => list_page!(
            db,
            args,
            search,
            r#"
            and ($7::uuid is null or (c.updated_at, c.id) < ($6::text::timestamptz, $7))
            order by c.updated_at desc, c.id desc limit $4 offset $5"#
        ),
    }
}

/// Search results best match first: the same name or code, then names starting with the
/// text, then names or codes containing it, then clients with an active contact whose name
/// contains it; by name within each.
///
/// Each of those lists is read in name order and only its first `offset + limit` clients,
/// through the name index (or, for a rare text, the trigram indexes and a small sort: the
/// planner chooses from its estimate of the matches), so a page costs about its size
/// however many clients match. Merged, each client keeps its best rank. Taking the first K
/// of each list is exact: a client that crowds a list out ranks ahead in a better list and
/// has the same name in both.
async fn list_by_relevance(
    db: impl PgExecutor<'_>,
    (statuses, industry, manager): (Option<Vec<String>>, Option<&str>, Option<Uuid>),
    text: &str,
    pattern: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Client>> {
    sqlx::query_as!(
        Client,
        r#"
        select c.id, c.client_code, c.name, c.industry, c.website, c.address, c.city, c.state,
               c.country, c.postal_code, c.status as "status: ClientStatus", c.account_manager_id,
               c.created_by, c.created_at, c.updated_at, c.deactivated_at, c.deactivation_reason,
               c.deactivation_details, c.logo_file_id
        from (
            select hit.id, max(hit.rank) as rank
            from (
                (select c.id, 4 as rank
                 from clients c
                 where ((c.search_name collate "C") = search_key($7)
                        or c.client_code = upper(btrim($7)))
                   and ($1::text[] is null or c.status = any($1))
                   and ($2::text is null or lower(c.industry) = lower($2))
                   and ($3::uuid is null or c.account_manager_id = $3)
                 limit $8)
                union all
                (select c.id, 3
                 from clients c
                 where (c.search_name collate "C") like search_key($6) || '%'
                   and ($1::text[] is null or c.status = any($1))
                   and ($2::text is null or lower(c.industry) = lower($2))
                   and ($3::uuid is null or c.account_manager_id = $3)
                 order by c.search_name collate "C", c.id
                 limit $8)
                union all
                (select c.id, 2
                 from clients c
                 where c.search_name like '%' || search_key($6) || '%'
                   and ($1::text[] is null or c.status = any($1))
                   and ($2::text is null or lower(c.industry) = lower($2))
                   and ($3::uuid is null or c.account_manager_id = $3)
                 order by c.search_name collate "C", c.id
                 limit $8)
                union all
                (select c.id, 2
                 from clients c
                 where c.client_code ilike '%' || search_key($6) || '%'
                   and ($1::text[] is null or c.status = any($1))
                   and ($2::text is null or lower(c.industry) = lower($2))
                   and ($3::uuid is null or c.account_manager_id = $3)
                 order by c.search_name collate "C", c.id
                 limit $8)
                union all
                (select c.id, 1
                 from clients c
                 where exists (select 1 from client_contacts cc
                               where cc.client_id = c.id and cc.is_active
                                 and cc.search_name like '%' || search_key($6) || '%')
                   and ($1::text[] is null or c.status = any($1))
                   and ($2::text is null or lower(c.industry) = lower($2))
                   and ($3::uuid is null or c.account_manager_id = $3)
                 order by c.search_name collate "C", c.id
                 limit $8)
            ) hit
            group by hit.id
        ) ranked
        join clients c on c.id = ranked.id
        order by ranked.rank desc, c.search_name collate "C", c.id
        limit $4 offset $5
        "#,
        statuses.as_deref(),
        industry,
        manager,
        limit,
        offset,
        pattern,
        text,
        offset + limit
    )
    .fetch_all(db)
    .await
}

/// Statuses to the list's counts.
fn list_counts(total: i64, active: i64, inactive: i64, on_hold: i64, archived: i64) -> ListCounts {
    ListCounts {
        total,
        summary: StatusSummary {
            active,
            inactive,
            on_hold,
            archived,
        },
    }
}

/// The total and the per-status summary for the list's filters, in one statement. Without
/// an industry, manager or search filter they come from `client_status_counts`, which every
/// change to clients keeps current in its own transaction: four rows whatever the size.
pub async fn count_clients(
    db: impl PgExecutor<'_>,
    filter: &ListFilter,
) -> sqlx::Result<ListCounts> {
    let statuses = statuses_sql(filter);
    let Some(pattern) = filter.search.as_deref().map(like_escape) else {
        let row = sqlx::query!(
            r#"
            select coalesce(sum(n) filter (where $1::text[] is null or status = any($1)), 0)::int8
                       as "total!",
                   coalesce(sum(n) filter (where status = 'active'), 0)::int8 as "active!",
                   coalesce(sum(n) filter (where status = 'inactive'), 0)::int8 as "inactive!",
                   coalesce(sum(n) filter (where status = 'on-hold'), 0)::int8 as "on_hold!",
                   coalesce(sum(n) filter (where status = 'archived'), 0)::int8 as "archived!"
            from (
                select status, clients as n from client_status_counts
                where $2::text is null and $3::uuid is null
                union all
                select c.status, count(*) from clients c
                where not ($2::text is null and $3::uuid is null)
                  and ($2::text is null or lower(c.industry) = lower($2))
                  and ($3::uuid is null or c.account_manager_id = $3)
                group by c.status
            ) per_status
            "#,
            statuses.as_deref(),
            filter.industry.as_deref(),
            filter.account_manager_id,
        )
        .fetch_one(db)
        .await?;
        return Ok(list_counts(
            row.total,
            row.active,
            row.inactive,
            row.on_hold,
            row.archived,
        ));
    };
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
          and c.id in (
              select m.id from clients m
              where m.search_name like '%' || search_key($4) || '%'
              union
              select m.id from clients m
              where m.client_code ilike '%' || search_key($4) || '%'
              union
              select cc.client_id from client_contacts cc
              where cc.is_active and cc.search_name like '%' || search_key($4) || '%')
        "#,
        statuses.as_deref(),
        filter.industry.as_deref(),
        filter.account_manager_id,
        pattern,
    )
    .fetch_one(db)
    .await?;
    Ok(list_counts(
        row.total,
        row.active,
        row.inactive,
        row.on_hold,
        row.archived,
    ))
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

/// Clients, locked for the rest of the transaction one after another in id order, so
/// transactions locking overlapping sets queue up instead of deadlocking.
pub async fn clients_for_update(db: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Client>> {
    sqlx::query_as!(
        Client,
        r#"
        select id, client_code, name, industry, website, address, city, state, country,
               postal_code, status as "status: ClientStatus", account_manager_id, created_by,
               created_at, updated_at, deactivated_at, deactivation_reason, deactivation_details,
               logo_file_id
        from clients
        where id = any($1)
        order by id
        for update
        "#,
        ids
    )
    .fetch_all(db)
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
               similarity(c.duplicate_key, normalize_company_name($1))::float8 as "score!"
        from clients c
        where c.duplicate_key % normalize_company_name($1)
          and similarity(c.duplicate_key, normalize_company_name($1)) >= $2
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
