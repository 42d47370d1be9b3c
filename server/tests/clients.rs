//! Clients: codes, duplicates, validation, the list, updates and deactivation.

use clientele::auth::Role;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{TestApp, contact};

const CREATE: &str = "mutation($input: CreateClientInput!) { createClient(input: $input) { id clientCode name status website contacts { fullName isPrimary email } primaryContact { fullName } accountManager { email } createdBy { email } } }";
const LIST: &str = "query($filter: ClientFilter, $sort: ClientSort, $page: Int, $limit: Int) { clients(filter: $filter, sort: $sort, page: $page, limit: $limit) { items { id name clientCode status } pageInfo { total page limit totalPages } summary { active inactive onHold archived } } }";

fn names(list: &Value) -> Vec<String> {
    list["clients"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_manager_creates_a_client_with_contacts_and_a_yearly_code(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let manager_id = app.users[&Role::Manager].to_string();
    let input = json!({
        "name": "  Initech  ",
        "website": "initech.com",
        "industry": "Technology",
        "accountManagerId": manager_id,
        "contacts": [
            contact("Bill Lumbergh", "bill@initech.com", false),
            contact("Peter Gibbons", "peter@initech.com", true),
            contact("Milton Waddams", "milton@initech.com", false),
        ],
    });
    let response = app
        .gql(Role::Manager, CREATE, json!({ "input": input }))
        .await;
    let client = &response.data()["createClient"];
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(client["clientCode"], format!("CLT-{year}-0001"));
    assert_eq!(client["name"], "Initech");
    assert_eq!(client["status"], "ACTIVE");
    assert_eq!(client["website"], "https://initech.com");
    assert_eq!(client["primaryContact"]["fullName"], "Peter Gibbons");
    assert_eq!(client["contacts"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        client["contacts"][0]["fullName"], "Peter Gibbons",
        "primary first"
    );
    assert_eq!(client["accountManager"]["email"], "manager@test.local");
    assert_eq!(client["createdBy"]["email"], "manager@test.local");

    let second = app.create_client("Vandelay Industries", json!([])).await;
    let code: String = sqlx::query_scalar("select client_code from clients where id = $1::uuid")
        .bind(&second)
        .fetch_one(&app.pool)
        .await
        .expect("code");
    assert_eq!(code, format!("CLT-{year}-0002"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn twenty_concurrent_creates_get_twenty_distinct_consecutive_codes(pool: PgPool) {
    let app = std::sync::Arc::new(TestApp::new(pool).await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let app = app.clone();
        tasks.spawn(async move {
            let input =
                json!({ "name": format!("Concurrent Client {i:02}"), "confirmNotDuplicate": true });
            app.gql(Role::Admin, CREATE, json!({ "input": input }))
                .await
        });
    }
    let mut codes = Vec::new();
    while let Some(result) = tasks.join_next().await {
        let response = result.expect("task");
        codes.push(
            response.data()["createClient"]["clientCode"]
                .as_str()
                .expect("code")
                .to_owned(),
        );
    }
    codes.sort();
    let year = chrono::Utc::now().format("%Y").to_string();
    let expected: Vec<String> = (1..=20).map(|n| format!("CLT-{year}-{n:04}")).collect();
    assert_eq!(codes, expected);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_similar_name_is_a_likely_duplicate_unless_confirmed(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let acme = app.create_client("Acme Corp", json!([])).await;

    let response = app
        .gql(
            Role::Admin,
            CREATE,
            json!({ "input": { "name": "ACME Corporation, Ltd." } }),
        )
        .await;
    response.assert_code("CONFLICT");
    let duplicates = &response.body["errors"][0]["extensions"]["duplicates"];
    assert_eq!(duplicates[0]["id"], acme);
    assert_eq!(duplicates[0]["name"], "Acme Corp");
    assert_eq!(duplicates[0]["reasons"], json!(["SIMILAR_NAME"]));
    assert_eq!(duplicates[0]["score"], 1.0);
    let count: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(count, 1, "nothing is written when a duplicate is refused");

    let confirmed = app
        .gql(
            Role::Admin,
            CREATE,
            json!({ "input": { "name": "ACME Corporation, Ltd.", "confirmNotDuplicate": true } }),
        )
        .await;
    assert_eq!(
        confirmed.data()["createClient"]["name"],
        "ACME Corporation, Ltd."
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_shared_company_domain_is_a_likely_duplicate_but_a_public_one_is_not(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.create_client_with(json!({
        "name": "Stark Industries",
        "website": "https://www.stark.example",
        "contacts": [contact("Pepper Potts", "pepper@starkmail.example", true), contact("Happy Hogan", "happy@gmail.com", false)],
        "confirmNotDuplicate": true,
    }))
    .await;

    let by_email = app
        .gql(Role::Admin, CREATE, json!({ "input": { "name": "Potts Consulting", "contacts": [contact("Tony", "tony@StarkMail.example", true)] } }))
        .await;
    by_email.assert_code("CONFLICT");
    assert_eq!(
        by_email.body["errors"][0]["extensions"]["duplicates"][0]["reasons"],
        json!(["SAME_EMAIL_DOMAIN"])
    );

    let by_website = app
        .gql(
            Role::Admin,
            CREATE,
            json!({ "input": { "name": "Hogan Haulage", "website": "stark.example/about" } }),
        )
        .await;
    by_website.assert_code("CONFLICT");
    assert_eq!(
        by_website.body["errors"][0]["extensions"]["duplicates"][0]["reasons"],
        json!(["SAME_WEBSITE_DOMAIN"])
    );

    let public = app
        .gql(Role::Admin, CREATE, json!({ "input": { "name": "Hogan Haulage", "contacts": [contact("Jo", "jo@gmail.com", true)] } }))
        .await;
    assert_eq!(public.data()["createClient"]["name"], "Hogan Haulage");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_unrelated_name_does_not_match(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.create_client("Acme Corp", json!([])).await;
    for name in [
        "Globex Logistics",
        "Umbrella Health",
        "Acne Dermatology Clinic",
    ] {
        let response = app
            .gql(Role::Admin, CREATE, json!({ "input": { "name": name } }))
            .await;
        assert_eq!(response.data()["createClient"]["name"], name);
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn client_duplicates_explains_each_match_with_a_score(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.create_client_with(json!({ "name": "Wayne Enterprises GmbH", "website": "wayne.example", "confirmNotDuplicate": true })).await;
    app.create_client("Wonka Candy", json!([])).await;
    let query = "query($n: String, $w: String, $d: [String!]) { clientDuplicates(name: $n, website: $w, emailDomains: $d) { score reasons domains explanation client { name } } }";

    let response = app.gql(Role::Analyst, query, json!({ "n": "wayne enterprises inc", "w": "https://wayne.example", "d": ["gmail.com"] })).await;
    let matches = response.data()["clientDuplicates"]
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0]["client"]["name"], "Wayne Enterprises GmbH");
    assert_eq!(matches[0]["score"], 1.0);
    assert_eq!(
        matches[0]["reasons"],
        json!(["SIMILAR_NAME", "SAME_WEBSITE_DOMAIN"])
    );
    assert_eq!(matches[0]["domains"], json!(["wayne.example"]));
    assert!(
        matches[0]["explanation"]
            .as_str()
            .is_some_and(|e| e.contains("similar name"))
    );

    let none = app
        .gql(Role::Analyst, query, json!({ "n": "Cyberdyne Systems" }))
        .await;
    assert_eq!(none.data()["clientDuplicates"], json!([]));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn bad_input_is_reported_field_by_field_and_nothing_is_written(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let input = json!({
        "name": "",
        "website": "not a website",
        "contacts": [
            { "fullName": "Ann", "email": "ann(at)acme.com", "phone": "12", "isPrimary": true },
            { "fullName": "Bob", "mobile": "+1 (555) 010-9999", "isPrimary": false },
        ],
    });
    let response = app
        .gql(Role::Admin, CREATE, json!({ "input": input }))
        .await;
    response.assert_code("VALIDATION");
    let fields = response.fields();
    assert_eq!(fields["name"], "is required");
    assert_eq!(fields["website"], "must be a web address like acme.com");
    assert_eq!(
        fields["contacts[0].email"],
        "must look like name@example.com"
    );
    assert_eq!(fields["contacts[0].phone"], "must have 7 to 15 digits");
    assert!(fields.get("contacts[1].mobile").is_none());

    let two_primaries = json!({ "name": "Duo", "contacts": [contact("A", "a@duo.example", true), contact("B", "b@duo.example", true)] });
    let response = app
        .gql(Role::Admin, CREATE, json!({ "input": two_primaries }))
        .await;
    response.assert_code("VALIDATION");
    assert!(
        response.fields()["contacts"]
            .as_str()
            .is_some_and(|m| m.starts_with("exactly one contact must be primary"))
    );

    let recruiter = app.users[&Role::Recruiter].to_string();
    let response = app
        .gql(
            Role::Admin,
            CREATE,
            json!({ "input": { "name": "Managed", "accountManagerId": recruiter } }),
        )
        .await;
    response.assert_code("VALIDATION");
    assert_eq!(
        response.fields()["accountManagerId"],
        "must be an active manager or admin"
    );

    let counts: (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from clients), (select count(*) from client_contacts), (select count(*) from client_code_counters)",
    )
    .fetch_one(&app.pool)
    .await
    .expect("counts");
    assert_eq!(counts, (0, 0, 0));
}

async fn seed_list(app: &TestApp) {
    let manager = app.users[&Role::Manager].to_string();
    let clients = [
        ("Alpha Analytics", "Technology", "active"),
        ("Beta Bakeries", "Retail", "active"),
        ("Gamma Grids", "Energy", "on-hold"),
        ("Delta Dental", "Healthcare", "inactive"),
        ("Epsilon Exports", "Logistics", "archived"),
        ("Zeta Zinc", "Manufacturing", "active"),
    ];
    for (name, industry, status) in clients {
        let id = app
            .create_client_with(json!({
                "name": name,
                "industry": industry,
                "accountManagerId": if name.starts_with('A') || name.starts_with('Z') { Value::from(manager.clone()) } else { Value::Null },
                "contacts": [contact(&format!("{} Contact", &name[..4]), &format!("hr@{}.example", name.to_lowercase().replace(' ', "")), true)],
                "confirmNotDuplicate": true,
            }))
            .await;
        sqlx::query("update clients set status = $1 where id = $2::uuid")
            .bind(status)
            .bind(id)
            .execute(&app.pool)
            .await
            .expect("status");
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_list_filters_by_status_industry_and_account_manager(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;

    let all = app.gql(Role::Analyst, LIST, json!({})).await;
    assert_eq!(all.data()["clients"]["pageInfo"]["total"], 6);
    assert_eq!(
        all.data()["clients"]["summary"],
        json!({ "active": 3, "inactive": 1, "onHold": 1, "archived": 1 })
    );

    let active = app
        .gql(
            Role::Analyst,
            LIST,
            json!({ "filter": { "status": ["ACTIVE", "ON_HOLD"] } }),
        )
        .await;
    assert_eq!(
        names(active.data()),
        [
            "Alpha Analytics",
            "Beta Bakeries",
            "Gamma Grids",
            "Zeta Zinc"
        ]
    );
    assert_eq!(active.data()["clients"]["pageInfo"]["total"], 4);
    assert_eq!(
        active.data()["clients"]["summary"]["inactive"],
        1,
        "the summary ignores the status filter"
    );

    let retail = app
        .gql(
            Role::Analyst,
            LIST,
            json!({ "filter": { "industry": "retail" } }),
        )
        .await;
    assert_eq!(names(retail.data()), ["Beta Bakeries"]);

    let managed = app
        .gql(
            Role::Analyst,
            LIST,
            json!({ "filter": { "accountManagerId": app.users[&Role::Manager].to_string() } }),
        )
        .await;
    assert_eq!(names(managed.data()), ["Alpha Analytics", "Zeta Zinc"]);
    assert_eq!(
        managed.data()["clients"]["summary"],
        json!({ "active": 2, "inactive": 0, "onHold": 0, "archived": 0 })
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_list_sorts_by_name_code_and_age(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;
    let sorted = |sort: &'static str| {
        let app = &app;
        async move {
            names(
                app.gql(Role::Analyst, LIST, json!({ "sort": sort }))
                    .await
                    .data(),
            )
        }
    };
    let asc = sorted("NAME_ASC").await;
    assert_eq!(asc.first().map(String::as_str), Some("Alpha Analytics"));
    let mut reversed = asc.clone();
    reversed.reverse();
    assert_eq!(sorted("NAME_DESC").await, reversed);
    let creation_order = [
        "Alpha Analytics",
        "Beta Bakeries",
        "Gamma Grids",
        "Delta Dental",
        "Epsilon Exports",
        "Zeta Zinc",
    ];
    assert_eq!(sorted("CODE_ASC").await, creation_order);
    assert_eq!(sorted("OLDEST").await, creation_order);
    let mut newest = creation_order.to_vec();
    newest.reverse();
    assert_eq!(sorted("NEWEST").await, newest);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn pagination_reports_totals_and_rejects_bad_limits(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;
    let page2 = app
        .gql(
            Role::Analyst,
            LIST,
            json!({ "page": 2, "limit": 4, "sort": "NAME_ASC" }),
        )
        .await;
    assert_eq!(names(page2.data()), ["Gamma Grids", "Zeta Zinc"]);
    assert_eq!(
        page2.data()["clients"]["pageInfo"],
        json!({ "total": 6, "page": 2, "limit": 4, "totalPages": 2 })
    );

    let past_end = app
        .gql(Role::Analyst, LIST, json!({ "page": 9, "limit": 4 }))
        .await;
    assert_eq!(past_end.data()["clients"]["items"], json!([]));
    assert_eq!(past_end.data()["clients"]["pageInfo"]["total"], 6);

    for (page, limit, field) in [(1, 0, "limit"), (1, 101, "limit"), (0, 20, "page")] {
        let response = app
            .gql(Role::Analyst, LIST, json!({ "page": page, "limit": limit }))
            .await;
        response.assert_code("VALIDATION");
        assert!(response.fields()[field].is_string(), "{}", response.body);
    }
    let max = app.gql(Role::Analyst, LIST, json!({ "limit": 100 })).await;
    assert_eq!(max.data()["clients"]["pageInfo"]["limit"], 100);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn search_matches_partial_names_codes_and_contacts_case_insensitively(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_list(&app).await;
    app.create_client("Analytic Minds", json!([])).await;
    let search = |text: &'static str| {
        let app = &app;
        async move {
            names(
                app.gql(
                    Role::Recruiter,
                    LIST,
                    json!({ "filter": { "search": text } }),
                )
                .await
                .data(),
            )
        }
    };
    assert_eq!(search("BAKER").await, ["Beta Bakeries"]);
    assert_eq!(
        search("zeta c").await,
        ["Zeta Zinc"],
        "matches the contact 'Zeta Contact'"
    );
    let year = chrono::Utc::now().format("%Y").to_string();
    let code = format!("clt-{year}-0003");
    let by_code = names(
        app.gql(
            Role::Recruiter,
            LIST,
            json!({ "filter": { "search": code } }),
        )
        .await
        .data(),
    );
    assert_eq!(by_code, ["Gamma Grids"]);
    // A name starting with the text ranks above one merely containing it.
    assert_eq!(
        search("analytic").await,
        ["Analytic Minds", "Alpha Analytics"]
    );
    assert_eq!(
        search("100%").await,
        Vec::<String>::new(),
        "wildcards are literal"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_update_changes_only_the_given_fields(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = app.create_client_with(json!({ "name": "Soylent", "industry": "Food", "city": "Austin", "confirmNotDuplicate": true })).await;
    let update = "mutation($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { name industry city status } }";
    let response = app
        .gql(
            Role::Manager,
            update,
            json!({ "id": id, "input": { "industry": null, "status": "ON_HOLD" } }),
        )
        .await;
    assert_eq!(
        response.data()["updateClient"],
        json!({ "name": "Soylent", "industry": null, "city": "Austin", "status": "ON_HOLD" })
    );

    let refused = app
        .gql(
            Role::Manager,
            update,
            json!({ "id": id, "input": { "status": "INACTIVE" } }),
        )
        .await;
    refused.assert_code("VALIDATION");
    let blank = app
        .gql(
            Role::Manager,
            update,
            json!({ "id": id, "input": { "name": " " } }),
        )
        .await;
    blank.assert_code("VALIDATION");
    let missing = app
        .gql(
            Role::Manager,
            update,
            json!({ "id": uuid::Uuid::new_v4().to_string(), "input": { "city": "Paris" } }),
        )
        .await;
    missing.assert_code("NOT_FOUND");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_admin_deactivates_and_reactivates_with_an_audit_trail_and_jobs_stay_linked(
    pool: PgPool,
) {
    let app = TestApp::new(pool).await;
    let id = app.create_client("Massive Dynamic", json!([])).await;
    let job_id: uuid::Uuid = sqlx::query_scalar("insert into jobs (title, status, client_id) values ('Engineer', 'open', $1::uuid) returning id")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .expect("job");
    sqlx::query("insert into client_job_assignments (client_id, job_id, assigned_by) values ($1::uuid, $2, $3)")
        .bind(&id)
        .bind(job_id)
        .bind(app.users[&Role::Admin])
        .execute(&app.pool)
        .await
        .expect("assignment");

    let deactivate = "mutation($id: ID!) { deactivateClient(id: $id, reason: \"Contract ended\", details: \"No renewal\") { status deactivatedAt deactivationReason deactivationDetails } }";
    let response = app.gql(Role::Admin, deactivate, json!({ "id": id })).await;
    let client = &response.data()["deactivateClient"];
    assert_eq!(client["status"], "INACTIVE");
    assert_eq!(client["deactivationReason"], "Contract ended");
    assert!(client["deactivatedAt"].is_string());
    app.gql(Role::Admin, deactivate, json!({ "id": id }))
        .await
        .assert_code("CONFLICT");

    let linked: (Option<uuid::Uuid>, bool) = sqlx::query_as(
        "select j.client_id, a.is_active from jobs j join client_job_assignments a on a.job_id = j.id where j.id = $1",
    )
    .bind(job_id)
    .fetch_one(&app.pool)
    .await
    .expect("job row");
    assert_eq!(linked.0.map(|u| u.to_string()), Some(id.clone()));
    assert!(linked.1, "the assignment stays active");

    let reactivate = "mutation($id: ID!) { reactivateClient(id: $id) { status deactivatedAt deactivationReason } }";
    let response = app.gql(Role::Admin, reactivate, json!({ "id": id })).await;
    assert_eq!(
        response.data()["reactivateClient"],
        json!({ "status": "ACTIVE", "deactivatedAt": null, "deactivationReason": null })
    );
    app.gql(Role::Admin, reactivate, json!({ "id": id }))
        .await
        .assert_code("CONFLICT");

    let audit: Vec<(String, Option<uuid::Uuid>, Value, Value)> = sqlx::query_as(
        "select action, actor_id, before, after from audit_log where entity = 'client' and entity_id = $1::uuid and action <> 'client.created' order by at, action",
    )
    .bind(&id)
    .fetch_all(&app.pool)
    .await
    .expect("audit");
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].0, "client.deactivated");
    assert_eq!(audit[0].1, Some(app.users[&Role::Admin]));
    assert_eq!(audit[0].2["status"], "active");
    assert_eq!(audit[0].3["status"], "inactive");
    assert_eq!(audit[0].3["deactivation_reason"], "Contract ended");
    assert_eq!(audit[1].0, "client.reactivated");
    assert_eq!(audit[1].3["status"], "active");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn deactivation_needs_a_reason(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = app.create_client("Tyrell", json!([])).await;
    let response = app
        .gql(
            Role::Admin,
            "mutation($id: ID!) { deactivateClient(id: $id, reason: \"  \") { status } }",
            json!({ "id": id }),
        )
        .await;
    response.assert_code("VALIDATION");
    assert_eq!(response.fields()["reason"], "is required");
}
