//! Demo data: one user per role, a few more managers, and 60 clients across every status
//! and several industries with 1–4 contacts each and 1–3 communications; the active ones
//! with feedback for the last four quarters (the older two finalized); active and on-hold
//! ones with 2–5 jobs whose candidates moved through the pipeline over the last four
//! months; a pool of open jobs for no client yet, to link; and the last 90 days of
//! analytics. Idempotent: running it again adds only what is missing. Clients, jobs,
//! feedback and communications go through the domain services, as a staff member's request
//! would, so demo clients have their audit trail; candidates and their stage histories are
//! written set-based ([`seed_pipeline`]), as are the thousands of clients of
//! [`seed_volume`] for benchmarks.

use anyhow::Context;
use clientele_core::{ClientStatus, CommunicationType, JobStatus};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    analytics,
    auth::{Role, Viewer},
    clients::{self, CreateClientInput, Deactivation, NewClient},
    communications::{self, LogCommunicationInput, NewCommunication, ParticipantInput},
    contacts::ContactInput,
    feedback::{self, NewFeedback, SubmitFeedbackInput},
    graphql::scalars::Date,
    jobs::{self, NewJob},
    users::{self, NewUser},
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
const JOB_TITLES: [&str; 12] = [
    "Senior Backend Engineer",
    "Warehouse Supervisor",
    "Registered Nurse",
    "Financial Analyst",
    "Store Manager",
    "Data Engineer",
    "Plant Electrician",
    "Customer Success Lead",
    "Payroll Specialist",
    "Logistics Planner",
    "Product Designer",
    "Field Technician",
];
/// The statuses a demo client's jobs cycle through.
const JOB_MIX: [JobStatus; 5] = [
    JobStatus::Open,
    JobStatus::Filled,
    JobStatus::Open,
    JobStatus::OnHold,
    JobStatus::Draft,
];
/// How many open jobs for no client yet the demo keeps, ready to be linked.
pub const POOL_JOBS: usize = 12;
/// Days of analytics the demo aggregates.
pub const ANALYTICS_DAYS: i64 = 90;
const DEMO_CONVERSATIONS: [(CommunicationType, &str); 3] = [
    (CommunicationType::Meeting, "Kick-off meeting"),
    (CommunicationType::Call, "Call about open roles"),
    (CommunicationType::Email, "Sent the first shortlist"),
];

/// What a seed run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct SeedSummary {
    /// Users added by this run.
    pub users_added: usize,
    /// Clients added by this run.
    pub clients_added: usize,
    /// Open jobs for no client added by this run.
    pub jobs_added: usize,
}

/// Adds the demo users and clients that are missing, each in a transaction of its own.
pub async fn seed(pool: &PgPool) -> anyhow::Result<SeedSummary> {
    let mut summary = SeedSummary::default();
    let mut managers = Vec::new();
    let mut admin_id = None;
    let people = DEMO_LOGINS
        .iter()
        .map(|(e, n, r)| (*e, *n, *r))
        .chain(EXTRA_MANAGERS.iter().map(|(e, n)| (*e, *n, Role::Manager)));
    for (email, name, role) in people {
        let mut tx = pool.begin().await?;
        let (id, added) = ensure_user(&mut tx, email, name, role).await?;
        tx.commit().await?;
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
    let recruiter = users::find_by_email(pool, DEMO_LOGINS[2].0)
        .await
        .map_err(failed)?
        .context("the demo recruiter was not created")?
        .id;
    for i in 0..60_usize {
        let name = format!("{} {}", NAME_HEADS[i % 20], NAME_TAILS[i / 20]);
        if clients::name_exists(pool, &name).await.map_err(failed)? {
            continue;
        }
        let mut tx = pool.begin().await?;
        let client = add_demo_client(&mut tx, admin, i, &name, managers[i % managers.len()])
            .await
            .with_context(|| format!("adding demo client {name}"))?;
        add_demo_jobs(&mut tx, i, client, recruiter)
            .await
            .with_context(|| format!("adding the jobs of demo client {name}"))?;
        tx.commit().await?;
        summary.clients_added += 1;
    }
    let mut tx = pool.begin().await?;
    summary.jobs_added += add_pool_jobs(&mut tx, recruiter).await?;
    tx.commit().await?;
    if summary.clients_added > 0 {
        let mut tx = pool.begin().await?;
        let today = chrono::Utc::now().date_naive();
        for back in (1..=ANALYTICS_DAYS).rev() {
            let day = Date(today - chrono::Duration::days(back));
            analytics::aggregate_day(&mut tx, day, chrono_tz::Tz::UTC)
                .await
                .map_err(failed)?;
        }
        tx.commit().await?;
    }
    Ok(summary)
}

/// The jobs of the `i`th demo client: 2–5 for active and on-hold clients, opened one to four
/// months ago, the filled ones filled weeks later, each with its candidates.
async fn add_demo_jobs(
    db: &mut PgConnection,
    i: usize,
    client_id: Uuid,
    recruiter: Uuid,
) -> anyhow::Result<()> {
    if i % 10 > 7 {
        return Ok(()); // inactive and archived clients hire no more
    }
    sqlx::query!(
        "update clients set created_at = now() - make_interval(days => $2) where id = $1",
        client_id,
        100 + i as i32
    )
    .execute(&mut *db)
    .await?;
    let mut ids = Vec::new();
    for j in 0..2 + i % 4 {
        let status = JOB_MIX[(i + j) % JOB_MIX.len()];
        let new = NewJob {
            title: JOB_TITLES[(i * 5 + j) % JOB_TITLES.len()].to_owned(),
            status: if status == JobStatus::Draft {
                JobStatus::Draft
            } else {
                JobStatus::Open
            },
            client_id: Some(client_id),
        };
        let job = jobs::create(db, &new).await.map_err(failed)?;
        if !matches!(status, JobStatus::Open | JobStatus::Draft) {
            jobs::set_status(db, job.id, status).await.map_err(failed)?;
        }
        if status != JobStatus::Draft {
            ids.push(job.id);
        }
    }
    backdate_jobs(db, &ids).await?;
    seed_pipeline(db, &ids, 3 + (i % 6) as i32, recruiter).await?;
    Ok(())
}

/// Open jobs for no client yet, ready to be linked; those missing are added. How many.
async fn add_pool_jobs(db: &mut PgConnection, recruiter: Uuid) -> anyhow::Result<usize> {
    let mut ids = Vec::new();
    for (n, title) in JOB_TITLES.iter().enumerate().take(POOL_JOBS) {
        let title = format!("{title} (pool {})", n + 1);
        let exists = sqlx::query_scalar!(
            r#"select exists (select 1 from jobs where title = $1) as "exists!""#,
            title
        )
        .fetch_one(&mut *db)
        .await?;
        if exists {
            continue;
        }
        let new = NewJob {
            title,
            status: JobStatus::Open,
            client_id: None,
        };
        ids.push(jobs::create(db, &new).await.map_err(failed)?.id);
    }
    backdate_jobs(db, &ids).await?;
    seed_pipeline(db, &ids, 4, recruiter).await?;
    Ok(ids.len())
}

/// Moves jobs' opening back one to four months, and their filling (if filled) to two to
/// eight weeks after it.
async fn backdate_jobs(db: &mut PgConnection, ids: &[Uuid]) -> anyhow::Result<()> {
    sqlx::query!(
        r#"
        with dated as (
            select id, now() - make_interval(days => 30 + (n::int * 37) % 90) as opened,
                   make_interval(days => 14 + (n::int * 11) % 42) as to_fill
            from unnest($1::uuid[]) with ordinality as t(id, n)
        )
        update jobs j
        set opened_at = d.opened, created_at = d.opened,
            filled_at = case when j.filled_at is null then null
                             else least(d.opened + d.to_fill, now()) end
        from dated d
        where j.id = d.id
        "#,
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives each job `per_job` new candidates who applied since it opened (or in the last four
/// months) and moved through the pipeline, with the stage history of every move made by
/// `changed_by`: most still early, a few hired, some rejected. One set-based statement,
/// whatever the number of jobs (the benchmark seeds 20,000 candidates with it).
pub async fn seed_pipeline(
    db: &mut PgConnection,
    job_ids: &[Uuid],
    per_job: i32,
    changed_by: Uuid,
) -> anyhow::Result<()> {
    sqlx::query!(
        r#"
        with plan as (
            select j.id as job_id, gen_random_uuid() as candidate_id,
                   gen_random_uuid() as application_id, k,
                   (j0.n::int * 7 + k * 13) % 20 as draw,
                   least(120, greatest(1, extract(day from now() - coalesce(j.opened_at, now()))::int))
                       * (1 + (j0.n::int * 3 + k * 5) % 10) / 10.0 as age_days,
                   (array['Ann', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivan',
                          'Jun', 'Kemal', 'Lena', 'Mo', 'Nia'])[1 + (j0.n::int + k * 3) % 14]
                       || ' ' ||
                   (array['Lee', 'Novak', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt',
                          'Tanaka', 'Uddin', 'Weber', 'Yilmaz'])[1 + (j0.n::int * 5 + k) % 11]
                       as full_name
            from unnest($1::uuid[]) with ordinality as j0(id, n)
            join jobs j on j.id = j0.id
            cross join generate_series(1, $2::int) k
        ),
        paths as (
            select p.*,
                   case when draw < 6 then array['applied']
                        when draw < 10 then array['applied', 'screened']
                        when draw < 13 then array['applied', 'screened', 'shortlisted']
                        when draw < 15 then array['applied', 'screened', 'shortlisted', 'interviewed']
                        when draw < 16 then array['applied', 'screened', 'shortlisted', 'interviewed',
                                                  'offered']
                        when draw < 17 then array['applied', 'screened', 'shortlisted', 'interviewed',
                                                  'offered', 'hired']
                        else array['applied', 'screened', 'rejected'] end as path
            from plan p
        ),
        people as (
            insert into candidates (id, full_name, email, created_at)
            select candidate_id, full_name,
                   lower(replace(full_name, ' ', '.')) || '.' || left(candidate_id::text, 8)
                       || '@candidates.example',
                   now() - make_interval(secs => age_days * 86400)
            from paths
        ),
        applied as (
            insert into applications (id, candidate_id, job_id, stage, quality_score, created_at)
            select application_id, candidate_id, job_id, path[array_length(path, 1)],
                   40 + (draw * 7 + k) % 56, now() - make_interval(secs => age_days * 86400)
            from paths
        )
        insert into application_stage_history (application_id, job_id, stage, entered_at,
                                               changed_by)
        select p.application_id, p.job_id, s.stage,
               now() - make_interval(secs => p.age_days * 86400 * (1 - (s.n - 1)::float8
                                                                      / array_length(p.path, 1))),
               $3
        from paths p
        cross join lateral unnest(p.path) with ordinality as s(stage, n)
        "#,
        job_ids,
        per_job,
        changed_by
    )
    .execute(db)
    .await
    .context("seeding the pipeline")?;
    Ok(())
}

/// An API error in a message (the demo data is ours, so any error is a bug).
fn failed(error: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{error:?}")
}

/// Creates the `i`th demo client through the service, then deactivates or archives it
/// when its place in the demo's status mix says so; its id.
async fn add_demo_client(
    db: &mut PgConnection,
    admin: Viewer,
    i: usize,
    name: &str,
    manager: Uuid,
) -> anyhow::Result<Uuid> {
    let status = match i % 10 {
        0..=5 => ClientStatus::Active,
        6 | 7 => ClientStatus::OnHold,
        8 => ClientStatus::Inactive,
        _ => ClientStatus::Archived,
    };
    let input = demo_client(i, name, manager, status);
    let new = NewClient::try_from(&input).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (client, contacts) = clients::create(db, admin, &new).await.map_err(failed)?;
    for (n, (kind, subject)) in DEMO_CONVERSATIONS.iter().enumerate().take(1 + i % 3) {
        let log = LogCommunicationInput {
            communication_type: *kind,
            subject: (*subject).to_owned(),
            notes: Some(format!("{subject} with {name}.")),
            communication_date: Some(
                chrono::Utc::now() - chrono::Duration::days((i * 3 + n * 5) as i64),
            ),
            participants: contacts
                .first()
                .map(|c| ParticipantInput {
                    contact_id: Some(c.id.into()),
                    ..ParticipantInput::default()
                })
                .into_iter()
                .collect(),
            job_reference_id: None,
            is_important: n == 0 && i.is_multiple_of(4),
            follow_up_required: false,
            follow_up_date: None,
            follow_up_notes: None,
        };
        let checked = NewCommunication::parse(&log, chrono::Utc::now(), Date::today())
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        communications::log(db, admin, client.id, &checked)
            .await
            .map_err(failed)?;
    }
    if status == ClientStatus::Active {
        add_demo_feedback(db, i, client.id, manager).await?;
    }
    if !status.is_editable() {
        let deactivation = Deactivation::parse(
            "No open roles this year",
            None,
            status == ClientStatus::Archived,
        )
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        clients::deactivate(db, admin, client.id, &deactivation)
            .await
            .map_err(failed)?;
    }
    Ok(client.id)
}

/// Feedback for the four quarters before this one, submitted by the account manager; the
/// older two finalized.
async fn add_demo_feedback(
    db: &mut PgConnection,
    i: usize,
    client: Uuid,
    manager: Uuid,
) -> anyhow::Result<()> {
    use chrono::Datelike;
    let viewer = Viewer {
        user_id: manager,
        role: Role::Manager,
    };
    let today = Date::today();
    let this_quarter = today.0.year() * 4 + (today.0.month0() / 3) as i32;
    for back in (1..=4_i32).rev() {
        let index = this_quarter - back;
        let (year, quarter) = (index.div_euclid(4), index.rem_euclid(4) as u32 + 1);
        // Mostly improving, as a good account should.
        let rating = |j: usize| Some(2 + ((i + j) % 2) as i32 + (4 - back) / 2);
        let input = SubmitFeedbackInput {
            period: format!("{year}-Q{quarter}"),
            feedback_date: chrono::NaiveDate::from_ymd_opt(year, quarter * 3, 28).map(Date),
            responsiveness: rating(0),
            communication: rating(1),
            requirements_clarity: rating(2),
            decision_speed: rating(3),
            overall_satisfaction: rating(4),
            written_feedback: Some(format!(
                "Quarter {quarter} of {year}: steady collaboration."
            )),
        };
        let new = NewFeedback::parse(&input, today).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let submitted = feedback::submit(db, viewer, client, &new)
            .await
            .map_err(failed)?;
        if back > 2 {
            feedback::finalize(db, viewer, submitted.id)
                .await
                .map_err(failed)?;
        }
    }
    Ok(())
}

fn demo_client(i: usize, name: &str, manager: Uuid, status: ClientStatus) -> CreateClientInput {
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
            ContactInput {
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
    CreateClientInput {
        name: name.to_owned(),
        industry: Some(INDUSTRIES[i % INDUSTRIES.len()].to_owned()),
        website: Some(format!("https://www.{domain}")),
        address: Some(format!("{} Market Street", 10 + i)),
        city: Some(city.to_owned()),
        state: Some(state.to_owned()),
        country: Some(country.to_owned()),
        postal_code: Some(format!("{:05}", 10_000 + i * 37)),
        status: (status == ClientStatus::OnHold).then_some(status),
        account_manager_id: Some(manager.into()),
        contacts,
        confirm_not_duplicate: true,
    }
}

/// The user with this email, created when missing; `true` when it was created.
async fn ensure_user(
    db: &mut PgConnection,
    email: &str,
    name: &str,
    role: Role,
) -> anyhow::Result<(Uuid, bool)> {
    if let Some(user) = users::find_by_email(&mut *db, email)
        .await
        .map_err(failed)?
    {
        return Ok((user.id, false));
    }
    let new = NewUser {
        email: clientele_core::Email::parse(email).map_err(anyhow::Error::msg)?,
        full_name: name.to_owned(),
        role,
        password: DEMO_PASSWORD.to_owned(),
    };
    let user = users::create_user(db, new).await.map_err(failed)?;
    Ok((user.id, true))
}
/// Adds `count` more clients (2–3 contacts each) in bulk, spread over past years' codes, for
/// benchmarks. Needs the demo users (call [`seed`] first).
pub async fn seed_volume(pool: &PgPool, count: i32) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    // A million rows take longer than the pool's statement timeout allows a request.
    sqlx::query("set local statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    // Clients made by other seeds may have taken codes their counters do not know of.
    sync_code_counters(&mut tx).await?;
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
            select 'CLT-' || f.year || '-' || lpad(f.seq::text, greatest(4, length(f.seq::text)), '0'),
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
    sync_code_counters(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves each year's code counter past the highest code of that year in use.
async fn sync_code_counters(db: &mut sqlx::PgConnection) -> anyhow::Result<()> {
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
    .execute(db)
    .await
    .context("advancing the client code counters")?;
    Ok(())
}
