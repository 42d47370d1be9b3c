//! Service tokens: created by admins with a role (never ADMIN), the secret shown once and
//! stored only as a hash, used as a bearer token with exactly its role, listed without the
//! secret, revoked with effect on the next request, expired ones refused, audit-logged.

use clientele::auth::Role;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{Caller, Refused, TestApp};

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_service_token_lives_from_creation_to_revocation(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let created = app
        .create_service_token(Role::Admin, "Payroll sync".into(), Role::Recruiter, None)
        .await
        .expect("created");
    let secret = created.secret.clone();
    assert!(secret.starts_with("clt_") && secret.len() >= 60, "{secret}");
    assert_eq!(created.token.prefix, secret[..12]);
    assert_eq!(created.token.role, Role::Recruiter);
    assert_eq!(created.token.last_used_at, None);
    let service = Caller::Header(format!("Bearer {secret}"));

    // It acts as its own user, with its role.
    let me = app.me(service.clone()).await.expect("me");
    assert_eq!(
        (me.full_name.as_str(), me.role),
        ("Payroll sync", Role::Recruiter)
    );
    app.clients(service.clone(), None, None, None, None)
        .await
        .expect("reads");
    app.create_named_client("Serviced Ltd", vec![]).await;
    let client = app
        .clients(Role::Admin, None, None, None, None)
        .await
        .expect("list")
        .items[0]
        .id
        .clone();
    app.log_communication(
        service.clone(),
        client.clone(),
        crate::communications::note("Synced"),
    )
    .await
    .expect("a recruiter may log");
    app.deactivate_client(service.clone(), client, "No".into(), None, false)
        .await
        .refused("FORBIDDEN");

    // Listed with its last use, never with its secret.
    let listed = app
        .post(
            Role::Admin,
            &json!({ "query": "{ serviceTokens { id name prefix lastUsedAt } }" }),
        )
        .await;
    assert!(!listed.to_string().contains(&secret[12..]), "{listed}");
    let tokens = app
        .service_tokens(Role::Admin, false)
        .await
        .expect("listed");
    let ours = tokens
        .iter()
        .find(|t| t.id == created.token.id)
        .expect("ours");
    assert!(ours.last_used_at.is_some());
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from service_tokens where secret_hash = sha256(convert_to($1, 'UTF8'))",
    )
    .bind(&secret)
    .fetch_one(&app.pool)
    .await
    .expect("the hash");
    assert_eq!(stored, 1, "only the SHA-256 is kept");

    // Its user cannot sign in, and is nobody's account manager.
    app.login(Caller::Anonymous, me.email.clone(), "!".into())
        .await
        .refused("UNAUTHENTICATED");
    let users = app.users(Role::Admin, None, true).await.expect("users");
    assert!(users.iter().all(|u| u.full_name != "Payroll sync"));

    // Revoked: the very next request is refused.
    let revoked = app
        .revoke_service_token(Role::Admin, created.token.id.clone())
        .await
        .expect("revoked");
    assert!(revoked.revoked_at.is_some());
    app.me(service.clone()).await.refused("UNAUTHENTICATED");
    assert!(
        app.service_tokens(Role::Admin, false)
            .await
            .expect("live")
            .iter()
            .all(|t| t.id != created.token.id)
    );
    assert_eq!(
        app.service_tokens(Role::Admin, true)
            .await
            .expect("all")
            .len(),
        tokens.len()
    );

    let audit: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where entity = 'service_token' and entity_id = $1::uuid order by at",
    )
    .bind(&created.token.id)
    .fetch_all(&app.pool)
    .await
    .expect("audit");
    assert_eq!(audit, ["service_token.created", "service_token.revoked"]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_service_token_is_never_admin_and_stops_at_its_expiry(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let failure = app
        .create_service_token(Role::Admin, "Root".into(), Role::Admin, None)
        .await
        .refused("VALIDATION");
    assert!(failure.field("role").is_some(), "{failure:?}");
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let failure = app
        .create_service_token(Role::Admin, "Late".into(), Role::Analyst, Some(past))
        .await
        .refused("VALIDATION");
    assert!(failure.field("expiresAt").is_some(), "{failure:?}");
    // The database refuses an admin service user whatever the code says.
    let forced = sqlx::query(
        "insert into users (email, full_name, role, password_hash, is_service) values ('x@y.z', 'X', 'admin', '!', true)",
    )
    .execute(&app.pool)
    .await;
    assert!(forced.is_err());

    let soon = chrono::Utc::now() + chrono::Duration::minutes(5);
    let created = app
        .create_service_token(
            Role::Admin,
            "Reports export".into(),
            Role::Analyst,
            Some(soon),
        )
        .await
        .expect("created");
    let service = Caller::Header(format!("Bearer {}", created.secret));
    app.me(service.clone())
        .await
        .expect("works before its expiry");
    sqlx::query(
        "update service_tokens set expires_at = now() - interval '1 second' where id = $1::uuid",
    )
    .bind(&created.token.id)
    .execute(&app.pool)
    .await
    .expect("expired");
    app.me(service.clone()).await.refused("UNAUTHENTICATED");
    // A made-up secret with the prefix is refused too.
    app.me(Caller::Header("Bearer clt_0000".into()))
        .await
        .refused("UNAUTHENTICATED");
}
