//! Contacts: adding, editing and the one-primary rule.

use clientele::auth::Role;
use sqlx::PgPool;

use crate::helpers::{Refused, TestApp, add_contact, contact, update_contact};

/// (name, primary, active) of every contact of the client, primary first.
async fn contacts_of(app: &TestApp, client: &str) -> Vec<(String, bool, bool)> {
    let client = app
        .client(Role::Analyst, client.to_owned())
        .await
        .expect("client");
    client
        .contacts
        .into_iter()
        .map(|c| (c.full_name, c.is_primary, c.is_active))
        .collect()
}

/// The id of the client's contact with this name.
async fn contact_id(app: &TestApp, client: &str, name: &str) -> String {
    let client = app
        .client(Role::Analyst, client.to_owned())
        .await
        .expect("client");
    client
        .contacts
        .into_iter()
        .find(|c| c.full_name == name)
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("no contact {name}"))
}

fn person(name: &str, primary: bool) -> add_contact::ContactInput {
    add_contact::ContactInput {
        full_name: name.to_owned(),
        is_primary: primary,
        ..add_contact::ContactInput::default()
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_first_contact_becomes_primary_and_a_new_primary_takes_the_flag(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Oscorp", vec![]).await;
    let first = app
        .add_contact(Role::Manager, client.clone(), person("Norman", false))
        .await
        .expect("added");
    assert!(first.is_primary);
    app.add_contact(Role::Manager, client.clone(), person("Harry", false))
        .await
        .expect("added");
    app.add_contact(Role::Manager, client.clone(), person("Otto", true))
        .await
        .expect("added");
    assert_eq!(
        contacts_of(&app, &client).await,
        [
            ("Otto".into(), true, true),
            ("Norman".into(), false, true),
            ("Harry".into(), false, true)
        ]
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn contacts_after_the_primary_keep_the_order_they_were_entered_in(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_named_client(
            "Ordered Ltd",
            vec![
                contact("Zoe Zimmer", "zoe@ordered.example", false),
                contact("Adam Abel", "adam@ordered.example", false),
                contact("Mia Moser", "mia@ordered.example", true),
                contact("Bea Brandt", "bea@ordered.example", false),
            ],
        )
        .await;
    let names: Vec<String> = contacts_of(&app, &client)
        .await
        .into_iter()
        .map(|(name, _, _)| name)
        .collect();
    assert_eq!(
        names,
        ["Mia Moser", "Zoe Zimmer", "Adam Abel", "Bea Brandt"]
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn set_primary_contact_moves_the_flag_atomically(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_named_client(
            "Aperture",
            vec![
                contact("Cave Johnson", "cave@aperture.example", true),
                contact("Caroline", "caroline@aperture.example", false),
            ],
        )
        .await;
    let caroline = contact_id(&app, &client, "Caroline").await;
    let moved = app
        .set_primary_contact(Role::Admin, caroline.clone())
        .await
        .expect("moved");
    assert!(moved.is_primary);
    assert_eq!(
        contacts_of(&app, &client).await,
        [
            ("Caroline".into(), true, true),
            ("Cave Johnson".into(), false, true)
        ]
    );
    // Setting it again is harmless.
    app.set_primary_contact(Role::Admin, caroline)
        .await
        .expect("again");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn concurrent_primary_moves_leave_exactly_one_primary(pool: PgPool) {
    let app = std::sync::Arc::new(TestApp::new(pool).await);
    let people = (0..6)
        .map(|i| {
            contact(
                &format!("Person {i}"),
                &format!("p{i}@blackmesa.example"),
                i == 0,
            )
        })
        .collect();
    let client = app.create_named_client("Black Mesa", people).await;
    let ids: Vec<String> = app
        .client(Role::Analyst, client.clone())
        .await
        .expect("client")
        .contacts
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for id in ids {
        let app = app.clone();
        tasks.spawn(async move { app.set_primary_contact(Role::Manager, id).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task").expect("moved");
    }
    let primaries = contacts_of(&app, &client)
        .await
        .into_iter()
        .filter(|(_, primary, active)| *primary && *active)
        .count();
    assert_eq!(primaries, 1);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_database_refuses_a_second_active_primary(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app
        .create_named_client("Monarch", vec![contact("Ann", "ann@monarch.example", true)])
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
    let client = app
        .create_named_client(
            "Nakatomi",
            vec![
                contact("Holly", "holly@nakatomi.example", true),
                contact("Ellis", "ellis@nakatomi.example", false),
            ],
        )
        .await;
    let holly = contact_id(&app, &client, "Holly").await;
    let ellis = contact_id(&app, &client, "Ellis").await;
    let switch_off = update_contact::UpdateContactInput {
        is_active: Some(false),
        ..update_contact::UpdateContactInput::default()
    };

    let bad = app
        .update_contact(
            Role::Manager,
            ellis.clone(),
            update_contact::UpdateContactInput {
                email: Some("ellis@".into()),
                phone: Some("abc".into()),
                ..update_contact::UpdateContactInput::default()
            },
        )
        .await
        .refused("VALIDATION");
    assert_eq!(bad.fields(), ["email", "phone"]);
    assert_eq!(bad.field("email"), Some("must look like name@example.com"));

    let cleared = app
        .clear_contact_email(Role::Manager, ellis.clone(), Some("+1 212 555 0100".into()))
        .await
        .expect("updated");
    assert_eq!(cleared.email, None);
    assert_eq!(cleared.phone.as_deref(), Some("+1 212 555 0100"));

    app.update_contact(Role::Manager, holly.clone(), switch_off.clone())
        .await
        .refused("CONFLICT");
    let gone = app
        .update_contact(Role::Manager, ellis.clone(), switch_off.clone())
        .await
        .expect("switched off");
    assert!(!gone.is_active);
    // Now Holly is the only active contact and may be switched off, losing the flag.
    let last = app
        .update_contact(Role::Manager, holly, switch_off)
        .await
        .expect("switched off");
    assert!(!last.is_primary);

    app.set_primary_contact(Role::Manager, ellis)
        .await
        .refused("CONFLICT");
    app.update_contact(
        Role::Manager,
        uuid::Uuid::new_v4().to_string(),
        update_contact::UpdateContactInput::default(),
    )
    .await
    .refused("NOT_FOUND");
}
