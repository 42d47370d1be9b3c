//! Demo data: one user per role, a few more managers, and 60 clients across every status
//! and several industries with 1–4 contacts each. Idempotent: running it again adds only
//! what is missing. `seed_volume` adds thousands of clients for benchmarks.

use anyhow::Context;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    auth::{Role, Viewer, password},
    clients::{
        ClientStatus,
        model::{NewClient, ProfileFields},
        service as clients_service, sql as clients_sql,
    },
    contacts::model::ContactFields,
};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "clientele-demo";

/// The demo logins, one per role.
pub const DEMO_LOGINS: [(&str, &str, Role); 4] = [
    ("admin@clientele.local", "Ada Admin", Role::Admin),
    ("manager@clientele.local", "Max Manager", Role::Manager),
    (
        "recruiter@clientele.local",
        "Rita Recruiter",
        Role::Recruiter,
    ),
    ("analyst@clientele.local", "Ana Analyst", Role::Analyst),
];

const EXTRA_MANAGERS: [(&str, &str); 3] = [
    ("grace.hopper@clientele.local", "Grace Hopper"),
    ("alan.kay@clientele.local", "Alan Kay"),
    ("barbara.liskov@clientele.local", "Barbara Liskov"),
];

const INDUSTRIES: [&str; 8] = [
    "Technology",
    "Healthcare",
    "Finance",
    "Manufacturing",
    "Retail",
    "Logistics",
    "Energy",
    "Education",
];
const CITIES: [(&str, &str, &str); 6] = [
    ("Berlin", "Berlin", "Germany"),
    ("London", "England", "United Kingdom"),
    ("Austin", "Texas", "United States"),
    ("Toronto", "Ontario", "Canada"),
    ("Lyon", "Auvergne-Rhône-Alpes", "France"),
    ("Utrecht", "Utrecht", "Netherlands"),
];
const NAME_HEADS: [&str; 20] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Pied Piper",
    "Gringotts",
    "Oscorp",
    "Massive Dynamic",
    "Aperture",
    "Black Mesa",
    "Monarch",
    "Nakatomi",
];
const NAME_TAILS: [&str; 3] = ["Industries", "Labs", "Partners"];
const FIRST: [&str; 10] = [
    "Ann", "Ben", "Chloe", "Dev", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jun",
];
const LAST: [&str; 10] = [
    "Lee", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Schmidt", "Tanaka", "Uddin", "Weber",
];
const TITLES: [&str; 4] = ["Head of Talent", "HR Manager", "CTO", "Office Manager"];

/// What a seed run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct SeedSummary {
    /// Users added by this run.
    pub users_added: usize,
    /// Clients added by this run.
    pub clients_added: usize,
}

/// Adds the demo users and clients that are missing.
pub async fn seed(pool: &PgPool) -> anyhow::Result<SeedSummary> {
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut summary = SeedSummary::default();
    let mut managers = Vec::new();
    let mut admin_id = None;
    let people = DEMO_LOGINS
        .iter()
        .map(|(e, n, r)| (*e, *n, *r))
        .chain(EXTRA_MANAGERS.iter().map(|(e, n)| (*e, *n, Role::Manager)));
    for (email, name, role) in people {
        let (id, added) = ensure_user(pool, email, name, role, &hash).await?;
        summary.users_added += usize::from(added);
        match role {
            Role::Admin => {
                admin_id = Some(id);
                managers.push(id);
            }
            Role::Manager => managers.push(id),
            _ => {}
        }
    }
    let admin = Viewer {
        user_id: admin_id.context("the demo admin was not created")?,
        role: Role::Admin,
    };
    let existing: std::collections::HashSet<String> =
        sqlx::query_scalar!("select name from clients")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    for i in 0..60_usize {
        let name = format!("{} {}", NAME_HEADS[i % 20], NAME_TAILS[i / 20]);
        if existing.contains(&name) {
            continue;
        }
        let new = demo_client(i, &name, managers[i % managers.len()])?;
        let (client, _) = clients_service::create(pool, admin, new)
            .await
            .map_err(|e| anyhow::anyhow!("creating demo client {name}: {e:?}"))?;
        let status = match i % 10 {
            0..=5 => ClientStatus::Active,
            6 | 7 => ClientStatus::OnHold,
            8 => ClientStatus::Inactive,
            _ => ClientStatus::Archived,
        };
        if status != ClientStatus::Active {
            let mut tx = pool.begin().await?;
            let reason = matches!(status, ClientStatus::Inactive | ClientStatus::Archived)
                .then_some("No open roles this year");
            clients_sql::set_activation(&mut tx, client.id, status, reason, None).await?;
            tx.commit().await?;
        }
        summary.clients_added += 1;
    }
    Ok(summary)
}

fn demo_client(i: usize, name: &str, manager: Uuid) -> anyhow::Result<NewClient> {
    let slug: String = name
        .split_whitespace()
        .next()
        .unwrap_or("client")
        .to_lowercase();
    let domain = format!("{slug}-{}.example", i / 20 + 1);
    let (city, state, country) = CITIES[i % CITIES.len()];
    let contacts = (0..(i % 4 + 1))
        .map(|n| {
            let first = FIRST[(i + n * 3) % FIRST.len()];
            let last = LAST[(i * 7 + n) % LAST.len()];
            ContactFields {
                full_name: format!("{first} {last}"),
                title: Some(TITLES[(i + n) % TITLES.len()].to_owned()),
                email: Some(format!(
                    "{}.{}@{domain}",
                    first.to_lowercase(),
                    last.to_lowercase()
                )),
                phone: Some(format!("+1 555 {:03} {:04}", 100 + i, 1000 + n)),
                mobile: None,
                is_primary: n == 0,
            }
        })
        .collect();
    let website = format!("https://www.{domain}");
    let address = format!("{} Market Street", 10 + i);
    let postal = format!("{:05}", 10_000 + i * 37);
    NewClient::parse(
        ProfileFields {
            name,
            industry: Some(INDUSTRIES[i % INDUSTRIES.len()]),
            website: Some(&website),
            address: Some(&address),
            city: Some(city),
            state: Some(state),
            country: Some(country),
            postal_code: Some(&postal),
            account_manager_id: Some(manager),
        },
        None,
        contacts,
        true,
    )
    .map_err(|e| anyhow::anyhow!("demo client {name} is invalid: {e:?}"))
}

/// The user with this email, created when missing; `true` when it was created.
async fn ensure_user(
    pool: &PgPool,
    email: &str,
    name: &str,
    role: Role,
    hash: &str,
) -> anyhow::Result<(Uuid, bool)> {
    let inserted = sqlx::query_scalar!(
        r#"
        insert into users (email, full_name, role, password_hash)
        values ($1, $2, $3, $4)
        on conflict (lower(email)) do nothing
        returning id
        "#,
        email,
        name,
        role.as_str(),
        hash
    )
    .fetch_optional(pool)
    .await?;
    if let Some(id) = inserted {
        return Ok((id, true));
    }
    let id = sqlx::query_scalar!("select id from users where lower(email) = lower($1)", email)
        .fetch_one(pool)
        .await?;
    Ok((id, false))
}

/// Adds `count` more clients (2–3 contacts each) in bulk, spread over past years' codes, for
/// benchmarks. Needs the demo users (call [`seed`] first).
pub async fn seed_volume(pool: &PgPool, count: i32) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        with managers as (
            select array_agg(id order by email) as ids from users where role in ('manager', 'admin')
        ),
        numbered as (
            select g, 2015 + g % 10 as year from generate_series(1, $1::int) g
        ),
        fresh as (
            select n.g, n.year,
                   coalesce((select last_value from client_code_counters cc where cc.year = n.year), 0)
                       + row_number() over (partition by n.year order by n.g) as seq
            from numbered n
        ),
        inserted as (
            insert into clients (client_code, name, industry, website, website_domain, city, country,
                                 status, account_manager_id, created_by)
            select 'CLT-' || f.year || '-' || lpad(f.seq::text, 4, '0'),
                   (array['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Proseware',
                          'Adventure Works', 'Wide World', 'Blue Yonder', 'Coho'])[1 + f.g % 10]
                       || ' ' || (array['Holdings', 'Systems', 'Foods', 'Logistics', 'Health',
                                         'Capital', 'Energy', 'Retail'])[1 + (f.g / 10) % 8]
                       || ' ' || f.g,
                   (array['Technology', 'Healthcare', 'Finance', 'Manufacturing', 'Retail',
                          'Logistics', 'Energy', 'Education'])[1 + f.g % 8],
                   'https://bulk' || f.g || '.example', 'bulk' || f.g || '.example',
                   (array['Berlin', 'London', 'Austin', 'Toronto'])[1 + f.g % 4],
                   (array['Germany', 'United Kingdom', 'United States', 'Canada'])[1 + f.g % 4],
                   (array['active', 'active', 'active', 'active', 'active', 'active', 'on-hold',
                          'on-hold', 'inactive', 'archived'])[1 + f.g % 10],
                   m.ids[1 + f.g % array_length(m.ids, 1)],
                   m.ids[1]
            from fresh f cross join managers m
            returning id, name
        )
        insert into client_contacts (client_id, full_name, title, email, is_primary)
        select i.id,
               (array['Ann', 'Ben', 'Chloe', 'Dev', 'Elif'])[1 + (k + length(i.name)) % 5] || ' '
                   || (array['Lee', 'Novak', 'Okafor', 'Patel', 'Quinn'])[1 + k],
               'HR Manager',
               'contact' || k || '@' || replace(lower(split_part(i.name, ' ', 1)), ' ', '') || '.example',
               k = 0
        from inserted i cross join generate_series(0, 1 + length(i.name) % 2) k
        "#,
        count
    )
    .execute(&mut *tx)
    .await
    .context("bulk-inserting benchmark clients")?;
    sqlx::query!(
        r#"
        insert into client_code_counters (year, last_value)
        select substr(client_code, 5, 4)::int, max(substr(client_code, 10)::int)
        from clients
        group by 1
        on conflict (year) do update
            set last_value = greatest(client_code_counters.last_value, excluded.last_value)
        "#
    )
    .execute(&mut *tx)
    .await
    .context("advancing the client code counters")?;
    tx.commit().await?;
    Ok(())
}
