//! Contacts: adding, editing and the one-primary rule.

use clientele::auth::Role;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{TestApp, contact};

const ADD: &str = "mutation($c: ID!, $i: ContactInput!) { addContact(clientId: $c, input: $i) { id fullName isPrimary } }";
const SET_PRIMARY: &str = "mutation($id: ID!) { setPrimaryContact(id: $id) { id isPrimary } }";
const UPDATE: &str = "mutation($id: ID!, $i: UpdateContactInput!) { updateContact(id: $id, input: $i) { fullName email phone isActive isPrimary } }";

async fn contacts_of(app: &TestApp, client: &str) -> Vec<(String, bool, bool)> {
    let response = app
        .gql(Role::Analyst, "query($id: ID!) { client(id: $id) { contacts(includeInactive: true) { fullName isPrimary isActive } } }", json!({ "id": client }))
        .await;
    response.data()["client"]["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c: &Value| {
            (
                c["fullName"].as_str().unwrap_or_default().to_owned(),
                c["isPrimary"].as_bool().unwrap_or_default(),
                c["isActive"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_first_contact_becomes_primary_and_a_new_primary_takes_the_flag(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_client("Oscorp", json!([])).await;
    let first = app
        .gql(
            Role::Manager,
            ADD,
            json!({ "c": client, "i": { "fullName": "Norman" } }),
        )
        .await;
    assert_eq!(first.data()["addContact"]["isPrimary"], true);
    app.gql(
        Role::Manager,
        ADD,
        json!({ "c": client, "i": { "fullName": "Harry" } }),
    )
    .await
    .data();
    app.gql(
        Role::Manager,
        ADD,
        json!({ "c": client, "i": { "fullName": "Otto", "isPrimary": true } }),
    )
    .await
    .data();
    assert_eq!(
        contacts_of(&app, &client).await,
        [
            ("Otto".into(), true, true),
            ("Harry".into(), false, true),
            ("Norman".into(), false, true)
        ]
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn set_primary_contact_moves_the_flag_atomically(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_client(
            "Aperture",
            json!([
                contact("Cave Johnson", "cave@aperture.example", true),
                contact("Caroline", "caroline@aperture.example", false)
            ]),
        )
        .await;
    let caroline: String =
        sqlx::query_scalar("select id::text from client_contacts where full_name = 'Caroline'")
            .fetch_one(&app.pool)
            .await
            .expect("id");
    let response = app
        .gql(Role::Admin, SET_PRIMARY, json!({ "id": caroline }))
        .await;
    assert_eq!(response.data()["setPrimaryContact"]["isPrimary"], true);
    assert_eq!(
        contacts_of(&app, &client).await,
        [
            ("Caroline".into(), true, true),
            ("Cave Johnson".into(), false, true)
        ]
    );
    // Setting it again is harmless.
    app.gql(Role::Admin, SET_PRIMARY, json!({ "id": caroline }))
        .await
        .data();
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn concurrent_primary_moves_leave_exactly_one_primary(pool: PgPool) {
    let app = std::sync::Arc::new(TestApp::new(pool).await);
    let contacts: Vec<Value> = (0..6)
        .map(|i| {
            contact(
                &format!("Person {i}"),
                &format!("p{i}@blackmesa.example"),
                i == 0,
            )
        })
        .collect();
    let client = app
        .create_client("Black Mesa", Value::Array(contacts))
        .await;
    let ids: Vec<String> =
        sqlx::query_scalar("select id::text from client_contacts where client_id = $1::uuid")
            .bind(&client)
            .fetch_all(&app.pool)
            .await
            .expect("ids");
    let mut tasks = tokio::task::JoinSet::new();
    for id in ids {
        let app = app.clone();
        tasks.spawn(async move {
            app.gql(Role::Manager, SET_PRIMARY, json!({ "id": id }))
                .await
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task").data();
    }
    let primaries: i64 = sqlx::query_scalar("select count(*) from client_contacts where client_id = $1::uuid and is_primary and is_active")
        .bind(&client)
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(primaries, 1);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_database_refuses_a_second_active_primary(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_client(
            "Monarch",
            json!([contact("Ann", "ann@monarch.example", true)]),
        )
        .await;
    let second = sqlx::query("insert into client_contacts (client_id, full_name, is_primary) values ($1::uuid, 'Bob', true)")
        .bind(&client)
        .execute(&app.pool)
        .await;
    let error = second.expect_err("a second primary must be refused");
    assert_eq!(
        error.as_database_error().and_then(|e| e.constraint()),
        Some("client_contacts_one_primary_key")
    );
    // An inactive former primary does not count.
    sqlx::query("insert into client_contacts (client_id, full_name, is_primary, is_active) values ($1::uuid, 'Old', true, false)")
        .bind(&client)
        .execute(&app.pool)
        .await
        .expect("inactive primary is allowed");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_contact_update_validates_and_the_primary_is_not_deactivated_while_others_remain(
    pool: PgPool,
) {
    let app = TestApp::new(pool).await;
    app.create_client(
        "Nakatomi",
        json!([
            contact("Holly", "holly@nakatomi.example", true),
            contact("Ellis", "ellis@nakatomi.example", false)
        ]),
    )
    .await;
    let id_of = |name: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "select id::text from client_contacts where full_name = $1",
            )
            .bind(name)
            .fetch_one(&pool)
            .await
            .expect("id")
        }
    };
    let holly = id_of("Holly").await;
    let ellis = id_of("Ellis").await;

    let bad = app
        .gql(
            Role::Manager,
            UPDATE,
            json!({ "id": ellis, "i": { "email": "ellis@", "phone": "abc" } }),
        )
        .await;
    bad.assert_code("VALIDATION");
    assert_eq!(bad.fields()["email"], "must look like name@example.com");
    assert!(bad.fields()["phone"].is_string());

    let ok = app
        .gql(
            Role::Manager,
            UPDATE,
            json!({ "id": ellis, "i": { "email": null, "phone": "+1 212 555 0100" } }),
        )
        .await;
    assert_eq!(ok.data()["updateContact"]["email"], Value::Null);
    assert_eq!(ok.data()["updateContact"]["phone"], "+1 212 555 0100");

    app.gql(
        Role::Manager,
        UPDATE,
        json!({ "id": holly, "i": { "isActive": false } }),
    )
    .await
    .assert_code("CONFLICT");
    let gone = app
        .gql(
            Role::Manager,
            UPDATE,
            json!({ "id": ellis, "i": { "isActive": false } }),
        )
        .await;
    assert_eq!(gone.data()["updateContact"]["isActive"], false);
    // Now Holly is the only active contact and may be switched off, losing the flag.
    let last = app
        .gql(
            Role::Manager,
            UPDATE,
            json!({ "id": holly, "i": { "isActive": false } }),
        )
        .await;
    assert_eq!(last.data()["updateContact"]["isPrimary"], false);

    app.gql(Role::Manager, SET_PRIMARY, json!({ "id": ellis }))
        .await
        .assert_code("CONFLICT");
    app.gql(
        Role::Manager,
        UPDATE,
        json!({ "id": uuid::Uuid::new_v4().to_string(), "i": {} }),
    )
    .await
    .assert_code("NOT_FOUND");
}
