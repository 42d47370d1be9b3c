//! The role matrix of DESIGN.md, operation by operation, for every caller: each role, no
//! token and a forged token.

use clientele::auth::Role;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Caller, EVERY_CALLER, PASSWORD, TestApp, contact};

/// Every GraphQL operation of the API so far.
#[derive(Debug, Clone, Copy)]
enum Op {
    Login,
    Me,
    Users,
    CreateUser,
    Clients,
    Client,
    ClientDuplicates,
    ClientIndustries,
    CreateClient,
    UpdateClient,
    DeactivateClient,
    ReactivateClient,
    AddContact,
    UpdateContact,
    SetPrimaryContact,
}

const ALL_ROLES: &[Role] = &[Role::Admin, Role::Manager, Role::Recruiter, Role::Analyst];
const ADMIN_MANAGER: &[Role] = &[Role::Admin, Role::Manager];
const ADMIN: &[Role] = &[Role::Admin];

impl Op {
    const ALL: [Op; 15] = [
        Op::Login,
        Op::Me,
        Op::Users,
        Op::CreateUser,
        Op::Clients,
        Op::Client,
        Op::ClientDuplicates,
        Op::ClientIndustries,
        Op::CreateClient,
        Op::UpdateClient,
        Op::DeactivateClient,
        Op::ReactivateClient,
        Op::AddContact,
        Op::UpdateContact,
        Op::SetPrimaryContact,
    ];

    /// Roles that may run it; `None` means anyone, signed in or not.
    fn allowed(self) -> Option<&'static [Role]> {
        match self {
            Op::Login => None,
            Op::Me
            | Op::Users
            | Op::Clients
            | Op::Client
            | Op::ClientDuplicates
            | Op::ClientIndustries => Some(ALL_ROLES),
            Op::CreateClient
            | Op::UpdateClient
            | Op::AddContact
            | Op::UpdateContact
            | Op::SetPrimaryContact => Some(ADMIN_MANAGER),
            Op::CreateUser | Op::DeactivateClient | Op::ReactivateClient => Some(ADMIN),
        }
    }

    fn query(self) -> &'static str {
        match self {
            Op::Login => {
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
            }
            Op::Me => "{ me { id } }",
            Op::Users => "{ users { id } }",
            Op::CreateUser => "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            Op::Clients => "{ clients { pageInfo { total } } }",
            Op::Client => "query($id: ID!) { client(id: $id) { id } }",
            Op::ClientDuplicates => "{ clientDuplicates(name: \"Anything\") { score } }",
            Op::ClientIndustries => "{ clientIndustries { name clients } }",
            Op::CreateClient => {
                "mutation($i: CreateClientInput!) { createClient(input: $i) { id } }"
            }
            Op::UpdateClient => {
                "mutation($id: ID!) { updateClient(id: $id, input: { city: \"Paris\" }) { id } }"
            }
            Op::DeactivateClient => {
                "mutation($id: ID!) { deactivateClient(id: $id, reason: \"Test\") { id } }"
            }
            Op::ReactivateClient => "mutation($id: ID!) { reactivateClient(id: $id) { id } }",
            Op::AddContact => {
                "mutation($id: ID!) { addContact(clientId: $id, input: { fullName: \"New Person\" }) { id } }"
            }
            Op::UpdateContact => {
                "mutation($id: ID!) { updateContact(id: $id, input: { title: \"Boss\" }) { id } }"
            }
            Op::SetPrimaryContact => "mutation($id: ID!) { setPrimaryContact(id: $id) { id } }",
        }
    }

    /// Fresh fixtures for one call, as the operation's variables.
    async fn arrange(self, app: &TestApp, n: usize) -> Value {
        let name = format!("Permission Client {n} {self:?}");
        let client = || app.create_client(&name, json!([]));
        match self {
            Op::Login => json!({ "e": "analyst@test.local", "p": PASSWORD }),
            Op::CreateUser => {
                json!({ "i": { "email": format!("u{n}@test.local"), "fullName": "U", "role": "ANALYST", "password": "long-enough-pw" } })
            }
            Op::CreateClient => {
                json!({ "i": { "name": format!("Created {n}"), "confirmNotDuplicate": true } })
            }
            Op::Client | Op::UpdateClient | Op::DeactivateClient | Op::AddContact => {
                json!({ "id": client().await })
            }
            Op::ReactivateClient => {
                let id = client().await;
                sqlx::query("update clients set status = 'inactive' where id = $1::uuid")
                    .bind(&id)
                    .execute(&app.pool)
                    .await
                    .expect("deactivating");
                json!({ "id": id })
            }
            Op::UpdateContact | Op::SetPrimaryContact => {
                let id = app
                    .create_client(
                        &format!("Contact Client {n} {:?}", self),
                        json!([
                            contact("A", &format!("a{n}@c.example"), true),
                            contact("B", &format!("b{n}@c.example"), false)
                        ]),
                    )
                    .await;
                let contact: String = sqlx::query_scalar("select id::text from client_contacts where client_id = $1::uuid and not is_primary")
                    .bind(&id)
                    .fetch_one(&app.pool)
                    .await
                    .expect("contact");
                json!({ "id": contact })
            }
            Op::Me | Op::Users | Op::Clients | Op::ClientDuplicates | Op::ClientIndustries => {
                json!({})
            }
        }
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_operation_enforces_the_role_matrix_for_every_caller(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for op in Op::ALL {
        for caller in EVERY_CALLER {
            n += 1;
            let variables = op.arrange(&app, n).await;
            let response = app.gql(caller, op.query(), variables).await;
            let expected = match (caller, op.allowed()) {
                (Caller::BadToken, _) => Some("UNAUTHENTICATED"),
                (_, None) => None,
                (Caller::Anonymous, Some(_)) => Some("UNAUTHENTICATED"),
                (Caller::As(role), Some(roles)) if roles.contains(&role) => None,
                (Caller::As(_), Some(_)) => Some("FORBIDDEN"),
            };
            if response.code() != expected {
                failures.push(format!(
                    "{op:?} as {caller:?}: expected {expected:?}, got {:#}",
                    response.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} calls broke the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_refused_mutation_changes_nothing(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = app.create_client("Untouchable", json!([])).await;
    for role in [Role::Manager, Role::Recruiter, Role::Analyst] {
        app.gql(role, Op::DeactivateClient.query(), json!({ "id": id }))
            .await
            .assert_code("FORBIDDEN");
    }
    let status: String = sqlx::query_scalar("select status from clients where id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .expect("status");
    assert_eq!(status, "active");
    let audits: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'client.deactivated'")
            .fetch_one(&app.pool)
            .await
            .expect("audits");
    assert_eq!(audits, 0);
}
