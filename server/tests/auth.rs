//! Sign-in, the current user, staff lists and token checks.

use clientele::auth::Role;
use sqlx::PgPool;

use crate::helpers::{Caller, PASSWORD, Refused, TestApp, create_user};

fn new_user(email: &str, name: &str, role: Role, password: &str) -> create_user::CreateUserInput {
    create_user::CreateUserInput {
        email: email.to_owned(),
        full_name: name.to_owned(),
        role,
        password: password.to_owned(),
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_user_signs_in_and_the_token_identifies_them(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let login = app
        .login(
            Caller::Anonymous,
            "MANAGER@test.local".into(),
            PASSWORD.into(),
        )
        .await
        .expect("signed in");
    assert_eq!(login.user.role, Role::Manager);
    assert!(login.expires_at > chrono::Utc::now());

    let me = app
        .me(Caller::Header(format!("Bearer {}", login.token)))
        .await
        .expect("me");
    assert_eq!(me.email, "manager@test.local");
    assert_eq!(me.role, Role::Manager);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_wrong_password_an_unknown_email_and_an_inactive_user_get_the_same_answer(pool: PgPool) {
    let app = TestApp::new(pool).await;
    sqlx::query("update users set is_active = false where email = 'analyst@test.local'")
        .execute(&app.pool)
        .await
        .expect("deactivating");
    for (email, password) in [
        ("admin@test.local", "wrong-password"),
        ("nobody@test.local", PASSWORD),
        ("analyst@test.local", PASSWORD),
    ] {
        let refused = app
            .login(Caller::Anonymous, email.into(), password.into())
            .await
            .refused("UNAUTHENTICATED");
        assert_eq!(refused.message, "wrong email or password");
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_forged_expired_or_malformed_token_is_unauthenticated(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let expired = app
        .state
        .jwt
        .issue(
            app.users[&Role::Admin],
            Role::Admin,
            chrono::Utc::now() - chrono::Duration::days(2),
        )
        .expect("issuing")
        .0;
    let expired_answer = app
        .users(Caller::Header(format!("Bearer {expired}")), None, false)
        .await
        .refused("UNAUTHENTICATED");
    assert_eq!(
        expired_answer.message,
        "your session has expired; sign in again"
    );
    for header in ["Bearer not-a-token", "Basic YWRtaW46YWRtaW4="] {
        app.users(Caller::Header(header.to_owned()), None, false)
            .await
            .refused("UNAUTHENTICATED");
    }
    app.users(Caller::BadToken, None, false)
        .await
        .refused("UNAUTHENTICATED");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_deactivated_user_loses_access_with_a_still_valid_token(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.me(Role::Recruiter).await.expect("signed in");
    sqlx::query("update users set is_active = false where email = 'recruiter@test.local'")
        .execute(&app.pool)
        .await
        .expect("deactivating");
    app.me(Role::Recruiter).await.refused("UNAUTHENTICATED");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_role_is_read_from_the_database_not_the_token(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let token_says_admin = app
        .state
        .jwt
        .issue(app.users[&Role::Analyst], Role::Admin, chrono::Utc::now())
        .expect("issuing")
        .0;
    app.create_user(
        Caller::Header(format!("Bearer {token_says_admin}")),
        new_user("x@test.local", "X", Role::Admin, "long-enough-pw"),
    )
    .await
    .refused("FORBIDDEN");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn users_lists_account_manager_candidates_by_role(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let users = app
        .users(
            Role::Recruiter,
            Some(vec![Role::Manager, Role::Admin]),
            false,
        )
        .await
        .expect("users");
    let emails: Vec<&str> = users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, ["admin@test.local", "manager@test.local"]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_admin_adds_staff_who_can_then_sign_in(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let input = new_user(
        "New.Manager@Test.local",
        "New Manager",
        Role::Manager,
        "a-long-password",
    );
    let created = app
        .create_user(Role::Admin, input.clone())
        .await
        .expect("created");
    assert_eq!(created.role, Role::Manager);
    assert!(created.is_active);

    let login = app
        .login(
            Caller::Anonymous,
            "new.manager@test.local".into(),
            "a-long-password".into(),
        )
        .await
        .expect("signed in");
    assert_eq!(login.user.role, Role::Manager);

    app.create_user(Role::Admin, input)
        .await
        .refused("CONFLICT");

    let invalid = app
        .create_user(Role::Admin, new_user("nope", " ", Role::Analyst, "short"))
        .await
        .refused("VALIDATION");
    assert_eq!(invalid.fields(), ["email", "fullName", "password"]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn signing_out_ends_every_earlier_session_of_the_user_on_the_server(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let manager = app.users[&Role::Manager];
    // A token issued a while ago (copied by someone, say) and the one in use.
    let (copied, _) = app
        .state
        .jwt
        .issue(
            manager,
            Role::Manager,
            chrono::Utc::now() - chrono::Duration::seconds(30),
        )
        .expect("a token");
    let copied = Caller::Header(format!("Bearer {copied}"));
    app.me(copied.clone()).await.expect("works before");
    let (other, _) = app
        .state
        .jwt
        .issue(
            app.users[&Role::Analyst],
            Role::Analyst,
            chrono::Utc::now() - chrono::Duration::seconds(30),
        )
        .expect("a token");
    let other = Caller::Header(format!("Bearer {other}"));

    assert!(app.logout(copied.clone()).await.expect("signed out"));
    let refused = app.me(copied.clone()).await.refused("UNAUTHENTICATED");
    assert!(
        refused.message.contains("session has ended"),
        "{}",
        refused.message
    );
    app.logout(copied).await.refused("UNAUTHENTICATED");
    app.me(other).await.expect("other users' sessions go on");
    let again = app
        .login(
            Caller::Anonymous,
            "manager@test.local".into(),
            PASSWORD.into(),
        )
        .await
        .expect("signs in again");
    app.me(Caller::Header(format!("Bearer {}", again.token)))
        .await
        .expect("the new session works");
    app.logout(Caller::Anonymous)
        .await
        .refused("UNAUTHENTICATED");
}
