//! The role matrix of DESIGN.md, operation by operation, for every caller: each role, no
//! token and a forged token. The operations come from the schema's root fields, so a new
//! operation without an entry here fails the test instead of skipping it.

use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use clientele::auth::{Permission, Role};
use sqlx::PgPool;

use crate::helpers::{
    Caller, CreateClientInput, EVERY_CALLER, Failure, PASSWORD, Refused, TestApp, add_contact,
    contact, create_user, update_client, update_contact,
};

/// Who may run an operation.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// Roles holding this permission.
    Needs(Permission),
}

impl Access {
    /// The error code `caller` should get (`None`: the call succeeds).
    /// A service token's caller is held to its role exactly like a person of that role.
    fn expected(self, caller: &Caller) -> Option<&'static str> {
        match (caller, self) {
            (Caller::BadToken, _) => Some("UNAUTHENTICATED"),
            (_, Access::Public) => None,
            (Caller::Anonymous, _) => Some("UNAUTHENTICATED"),
            (Caller::As(_) | Caller::Service(_), Access::SignedIn) => None,
            (Caller::As(role) | Caller::Service(role), Access::Needs(p)) if p.allows(*role) => None,
            (Caller::As(_) | Caller::Service(_), Access::Needs(_)) => Some("FORBIDDEN"),
            (Caller::Header(_), _) => unreachable!("not one of EVERY_CALLER"),
        }
    }
}

/// The root fields of the published schema: ("query" | "mutation", name).
fn root_fields() -> Vec<(&'static str, String)> {
    let document =
        async_graphql::parser::parse_schema(clientele::schema::sdl()).expect("the SDL parses");
    let mut fields = Vec::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let kind = match ty.node.name.node.as_str() {
            "Query" => "query",
            "Mutation" => "mutation",
            "Subscription" => "subscription",
            _ => continue,
        };
        if let TypeKind::Object(object) = &ty.node.kind {
            fields.extend(
                object
                    .fields
                    .iter()
                    .map(|f| (kind, f.node.name.node.to_string())),
            );
        }
    }
    fields
}

/// A fresh client (with two contacts) for one call.
async fn client_with_contacts(app: &TestApp, n: usize) -> (String, String) {
    let id = app
        .create_named_client(
            &format!("Permission Client {n}"),
            vec![
                contact("A", &format!("a{n}@c.example"), true),
                contact("B", &format!("b{n}@c.example"), false),
            ],
        )
        .await;
    let client = app.client(Role::Analyst, id.clone()).await.expect("client");
    let second = client
        .contacts
        .into_iter()
        .find(|c| !c.is_primary)
        .map(|c| c.id)
        .expect("a second contact");
    (id, second)
}

/// A feedback for 2026-Q1, fours throughout.
pub fn feedback_input() -> crate::helpers::submit_feedback::SubmitFeedbackInput {
    crate::helpers::submit_feedback::SubmitFeedbackInput {
        period: "2026-Q1".into(),
        feedback_date: None,
        responsiveness: Some(4),
        communication: Some(4),
        requirements_clarity: Some(4),
        decision_speed: Some(4),
        overall_satisfaction: Some(4),
        written_feedback: None,
    }
}

/// A fresh communication with the client, logged by an admin.
async fn communication(app: &TestApp, client: &str) -> String {
    app.log_communication(
        Role::Admin,
        client.to_owned(),
        crate::communications::note("Fixture"),
    )
    .await
    .expect("a communication")
    .id
}

/// Runs the root field `field` as `caller` with fresh fixtures; `None` when this test has
/// no entry for the field.
async fn attempt(
    app: &TestApp,
    field: &str,
    caller: Caller,
    n: usize,
) -> Option<(Access, Result<(), Failure>)> {
    use Access::{Needs, Public, SignedIn};
    let (id, contact_id) = client_with_contacts(app, n).await;
    let (access, outcome) = match field {
        "login" => (
            Public,
            app.login(caller, "analyst@test.local".into(), PASSWORD.into())
                .await
                .map(drop),
        ),
        "signIn" => (
            Public,
            app.sign_in(caller, "analyst@test.local".into(), PASSWORD.into())
                .await
                .map(drop),
        ),
        "me" => (SignedIn, app.me(caller).await.map(drop)),
        "logout" => (SignedIn, app.logout(caller).await.map(drop)),
        "users" => (
            Needs(Permission::Read),
            app.users(caller, None, false).await.map(drop),
        ),
        "createUser" => {
            let input = create_user::CreateUserInput {
                email: format!("u{n}@test.local"),
                full_name: "U".into(),
                role: Role::Analyst,
                password: "long-enough-pw".into(),
            };
            (
                Needs(Permission::ManageUsers),
                app.create_user(caller, input).await.map(drop),
            )
        }
        "clients" => (
            Needs(Permission::Read),
            app.clients(caller, None, None, None, None).await.map(drop),
        ),
        "client" => (
            Needs(Permission::Read),
            app.client(caller, id).await.map(drop),
        ),
        "clientDuplicates" => (
            Needs(Permission::Read),
            app.client_duplicates(caller, Some("Anything".into()), None, None, None)
                .await
                .map(drop),
        ),
        "clientIndustries" => (
            Needs(Permission::Read),
            app.client_industries(caller).await.map(drop),
        ),
        "createClient" => {
            let input = CreateClientInput {
                name: format!("Created {n}"),
                confirm_not_duplicate: true,
                ..CreateClientInput::default()
            };
            (
                Needs(Permission::ManageClients),
                app.create_client(caller, input).await.map(drop),
            )
        }
        "updateClient" => {
            let input = update_client::UpdateClientInput {
                city: Some("Paris".into()),
                ..update_client::UpdateClientInput::default()
            };
            (
                Needs(Permission::ManageClients),
                app.update_client(caller, id, input).await.map(drop),
            )
        }
        "deactivateClient" => (
            Needs(Permission::DeactivateClients),
            app.deactivate_client(caller, id, "Test".into(), None, false)
                .await
                .map(drop),
        ),
        "reactivateClient" => {
            app.deactivate_client(Role::Admin, id.clone(), "Test".into(), None, false)
                .await
                .expect("deactivated first");
            (
                Needs(Permission::DeactivateClients),
                app.reactivate_client(caller, id).await.map(drop),
            )
        }
        "addContact" => {
            let input = add_contact::ContactInput {
                full_name: "New Person".into(),
                ..add_contact::ContactInput::default()
            };
            (
                Needs(Permission::ManageClients),
                app.add_contact(caller, id, input).await.map(drop),
            )
        }
        "updateContact" => {
            let input = update_contact::UpdateContactInput {
                title: Some("Boss".into()),
                ..update_contact::UpdateContactInput::default()
            };
            (
                Needs(Permission::ManageClients),
                app.update_contact(caller, contact_id, input)
                    .await
                    .map(drop),
            )
        }
        "setPrimaryContact" => (
            Needs(Permission::ManageClients),
            app.set_primary_contact(caller, contact_id).await.map(drop),
        ),
        "communication" => (
            Needs(Permission::Read),
            app.communication(caller, communication(app, &id).await)
                .await
                .map(drop),
        ),
        "myFollowUps" => (
            Needs(Permission::Read),
            app.my_follow_ups(caller, None, 1, 20).await.map(drop),
        ),
        "logCommunication" => (
            Needs(Permission::LogCommunications),
            app.log_communication(caller, id, crate::communications::note("Call"))
                .await
                .map(drop),
        ),
        "markCommunicationImportant" => (
            Needs(Permission::LogCommunications),
            app.mark_communication_important(caller, communication(app, &id).await, true)
                .await
                .map(drop),
        ),
        "setFollowUp" => (
            Needs(Permission::LogCommunications),
            app.set_follow_up(
                caller,
                communication(app, &id).await,
                chrono::Utc::now().date_naive(),
                None,
            )
            .await
            .map(drop),
        ),
        "completeFollowUp" => {
            let logged = communication(app, &id).await;
            app.set_follow_up(
                Role::Admin,
                logged.clone(),
                chrono::Utc::now().date_naive(),
                None,
            )
            .await
            .expect("a follow-up to complete");
            (
                Needs(Permission::LogCommunications),
                app.complete_follow_up(caller, logged).await.map(drop),
            )
        }
        "uploadAttachment" => {
            let file = crate::helpers::UploadedFile {
                name: "notes.txt",
                declared_type: "text/plain",
                bytes: b"Call notes\n",
            };
            (
                Needs(Permission::LogCommunications),
                app.upload_attachment(caller, communication(app, &id).await, &file)
                    .await
                    .map(drop),
            )
        }
        "uploadClientLogo" => {
            let file = crate::helpers::UploadedFile {
                name: "logo.png",
                declared_type: "image/png",
                bytes: crate::attachments::PNG,
            };
            (
                Needs(Permission::ManageClients),
                app.upload_client_logo(caller, id, &file).await.map(drop),
            )
        }
        "communicationLogged" => {
            // Over WebSocket; an unknown client makes an allowed call end at once with
            // NOT_FOUND instead of waiting for events.
            let outcome = match crate::subscriptions::connect(app, caller).await {
                Err(refused) => Err(refused),
                Ok(mut live) => {
                    live.subscribe(&uuid::Uuid::new_v4().to_string()).await;
                    let answer = live.next().await.unwrap_or_default();
                    // A resolver error comes as a `next` with errors; a refused operation
                    // as an `error` whose payload is the list of errors.
                    let errors = if answer["type"] == "error" {
                        &answer["payload"]
                    } else {
                        &answer["payload"]["errors"]
                    };
                    match errors[0]["extensions"]["code"].as_str() {
                        Some("NOT_FOUND") => Ok(()),
                        code => Err(Failure {
                            code: code.map(str::to_owned),
                            message: answer.to_string(),
                            extensions: answer.clone(),
                            status: 101,
                        }),
                    }
                }
            };
            (Needs(Permission::Read), outcome)
        }
        "submitFeedback" => (
            Needs(Permission::ManageFeedback),
            app.submit_feedback(caller, id, feedback_input())
                .await
                .map(drop),
        ),
        "finalizeFeedback" => {
            let feedback = app
                .submit_feedback(Role::Manager, id, feedback_input())
                .await
                .expect("feedback to finalize")
                .id;
            (
                Needs(Permission::FinalizeFeedback),
                app.finalize_feedback(caller, feedback).await.map(drop),
            )
        }
        "jobs" => (
            Needs(Permission::Read),
            app.jobs(caller, None, 1, 5).await.map(drop),
        ),
        "job" => {
            let job = fixture_job(app, n).await;
            (
                Needs(Permission::Read),
                app.job(caller, job).await.map(drop),
            )
        }
        "createJob" => (
            Needs(Permission::ManageJobs),
            app.create_job(
                caller,
                crate::helpers::create_job::CreateJobInput {
                    title: format!("Job {n}"),
                    status: crate::helpers::JobStatus::Draft,
                    client_id: Some(id),
                },
            )
            .await
            .map(drop),
        ),
        "updateJob" => {
            let job = fixture_job(app, n).await;
            let input = crate::helpers::update_job::UpdateJobInput {
                title: Some(format!("Renamed {n}")),
                client_id: None,
            };
            (
                Needs(Permission::ManageJobs),
                app.update_job(caller, job, input).await.map(drop),
            )
        }
        "setJobStatus" => {
            let job = fixture_job(app, n).await;
            (
                Needs(Permission::ManageJobs),
                app.set_job_status(caller, job, crate::helpers::JobStatus::OnHold)
                    .await
                    .map(drop),
            )
        }
        "linkJob" => {
            let job = fixture_job(app, n).await;
            (
                Needs(Permission::LinkJobs),
                app.link_job(caller, id, job).await.map(drop),
            )
        }
        "linkJobs" => {
            let job = fixture_job(app, n).await;
            (
                Needs(Permission::LinkJobs),
                app.link_jobs(caller, id, vec![job]).await.map(drop),
            )
        }
        "unlinkJob" => {
            let job = fixture_job(app, n).await;
            app.link_job(Role::Admin, id.clone(), job.clone())
                .await
                .expect("a link to end");
            (
                Needs(Permission::LinkJobs),
                app.unlink_job(caller, id, job).await.map(drop),
            )
        }
        "candidates" => (
            Needs(Permission::Read),
            app.candidates(caller, None).await.map(drop),
        ),
        "createCandidate" => (
            Needs(Permission::ManagePipeline),
            app.create_candidate(
                caller,
                crate::helpers::create_candidate::CreateCandidateInput {
                    full_name: format!("Candidate {n}"),
                    email: None,
                    client_id: None,
                },
            )
            .await
            .map(drop),
        ),
        "applyCandidate" => {
            let job = fixture_job(app, n).await;
            let candidate = fixture_candidate(app, n).await;
            (
                Needs(Permission::ManagePipeline),
                app.apply_candidate(caller, candidate, job).await.map(drop),
            )
        }
        "moveApplication" => {
            let job = fixture_job(app, n).await;
            let candidate = fixture_candidate(app, n).await;
            let application = app
                .apply_candidate(Role::Admin, candidate, job)
                .await
                .expect("an application to move")
                .id;
            (
                Needs(Permission::ManagePipeline),
                app.move_application(
                    caller,
                    application,
                    crate::helpers::ApplicationStage::Screened,
                )
                .await
                .map(drop),
            )
        }
        "runAnalyticsAggregation" => (
            Needs(Permission::OperateQueue),
            app.run_analytics_aggregation(caller, quarter_start())
                .await
                .map(drop),
        ),
        "backgroundJobs" => (
            Needs(Permission::OperateQueue),
            app.background_jobs(caller, crate::helpers::background_jobs::QueueState::ALL)
                .await
                .map(drop),
        ),
        "retryBackgroundJob" => {
            let parked: uuid::Uuid = sqlx::query_scalar(
                "insert into background_jobs (job_type, parked_at) values ('aggregate_analytics', now()) returning id",
            )
            .fetch_one(&app.pool)
            .await
            .expect("a parked task");
            (
                Needs(Permission::OperateQueue),
                app.retry_background_job(caller, parked.to_string())
                    .await
                    .map(drop),
            )
        }
        "generatePerformanceReport" => (
            Needs(Permission::ManageFeedback),
            app.generate_performance_report(caller, id, quarter_start(), quarter_end(), true)
                .await
                .map(drop),
        ),
        "report" => {
            let report = app
                .generate_performance_report(Role::Admin, id, quarter_start(), quarter_end(), true)
                .await
                .expect("a report to read")
                .id;
            (
                Needs(Permission::ManageFeedback),
                app.report(caller, report).await.map(drop),
            )
        }
        "exportDashboardPdf" => (
            Needs(Permission::Read),
            app.export_dashboard_pdf(caller, id).await.map(drop),
        ),
        "bulkUpdateClients" => {
            let parameters = crate::helpers::bulk_update_clients::BulkParameters {
                status: Some(clientele_core::ClientStatus::OnHold),
                account_manager_id: None,
                industry: None,
                reason: None,
                details: None,
                archive: None,
            };
            (
                Needs(Permission::BulkOperations),
                app.bulk_update_clients(
                    caller,
                    vec![id],
                    crate::helpers::bulk_update_clients::BulkOperation::CHANGE_STATUS,
                    parameters,
                    false,
                    false,
                )
                .await
                .map(drop),
            )
        }
        "createServiceToken" => (
            Needs(Permission::ManageServiceTokens),
            app.create_service_token(caller, format!("Service {n}"), Role::Analyst, None)
                .await
                .map(drop),
        ),
        "serviceTokens" => (
            Needs(Permission::ManageServiceTokens),
            app.service_tokens(caller, true).await.map(drop),
        ),
        "revokeServiceToken" => {
            let fixture = app
                .create_service_token(Role::Admin, format!("Fixture {n}"), Role::Recruiter, None)
                .await
                .expect("a token to revoke")
                .token
                .id;
            (
                Needs(Permission::ManageServiceTokens),
                app.revoke_service_token(caller, fixture).await.map(drop),
            )
        }
        "auditLog" => (
            Needs(Permission::ReadAuditLog),
            app.audit_log(caller, None, 1, 5).await.map(drop),
        ),
        _ => return None,
    };
    Some((access, outcome))
}

/// A fresh job, created by an admin.
async fn fixture_job(app: &TestApp, n: usize) -> String {
    app.create_job(
        Role::Admin,
        crate::helpers::create_job::CreateJobInput {
            title: format!("Fixture job {n}"),
            status: crate::helpers::JobStatus::Open,
            client_id: None,
        },
    )
    .await
    .expect("a job")
    .id
}

/// A fresh candidate, added by an admin.
async fn fixture_candidate(app: &TestApp, n: usize) -> String {
    app.create_candidate(
        Role::Admin,
        crate::helpers::create_candidate::CreateCandidateInput {
            full_name: format!("Fixture candidate {n}"),
            email: None,
            client_id: None,
        },
    )
    .await
    .expect("a candidate")
    .id
}

fn quarter_start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("a date")
}

fn quarter_end() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 9, 30).expect("a date")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_operation_of_the_schema_enforces_the_role_matrix_for_every_caller(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let fields = root_fields();
    assert!(fields.len() >= 15, "the schema lost operations: {fields:?}");
    let mut missing = Vec::new();
    let mut failures = Vec::new();
    let mut n = 0;
    for (kind, field) in &fields {
        for caller in EVERY_CALLER {
            n += 1;
            let Some((access, outcome)) = attempt(&app, field, caller.clone(), n).await else {
                missing.push(format!("{kind} {field}"));
                break;
            };
            let expected = access.expected(&caller);
            let got = outcome
                .as_ref()
                .err()
                .map(|f| f.code.clone().unwrap_or_default());
            if got.as_deref() != expected {
                let message = outcome.err().map(|f| f.message).unwrap_or_default();
                failures.push(format!(
                    "{field} as {caller:?}: expected {expected:?}, got {got:?} {message}"
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "root fields with no entry in the permission test: {missing:?}"
    );
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
    let id = app.create_named_client("Untouchable", vec![]).await;
    for role in [Role::Manager, Role::Recruiter, Role::Analyst] {
        app.deactivate_client(role, id.clone(), "Test".into(), None, false)
            .await
            .refused("FORBIDDEN");
        let deactivate = crate::helpers::bulk_update_clients::BulkParameters {
            status: None,
            account_manager_id: None,
            industry: None,
            reason: Some("Test".into()),
            details: None,
            archive: None,
        };
        app.bulk_update_clients(
            role,
            vec![id.clone()],
            crate::helpers::bulk_update_clients::BulkOperation::DEACTIVATE,
            deactivate,
            false,
            false,
        )
        .await
        .refused("FORBIDDEN");
    }
    let client = app.client(Role::Analyst, id).await.expect("client");
    assert_eq!(client.status, clientele_core::ClientStatus::Active);
    let audits: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action like any(array['client.deactivated', 'bulk.%'])")
            .fetch_one(&app.pool)
            .await
            .expect("audits");
    assert_eq!(audits, 0);
}
