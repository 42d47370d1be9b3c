//! `TestApp`: the whole application on a fresh database, called through HTTP (in process),
//! with one signed-in user per role, and one typed method per GraphQL operation
//! (`graphql/operations.graphql`, checked against `schema.graphql` at compile time).

use std::{collections::HashMap, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use clientele::{AppState, auth::Role, config::Config};
use graphql_client::GraphQLQuery;
use http_body_util::BodyExt;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

pub use ops::*;

/// Who calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No Authorization header.
    Anonymous,
    /// A token signed with another key.
    BadToken,
    /// The test user of this role.
    As(Role),
    /// A service token with this role (never admin).
    Service(Role),
    /// This exact Authorization header.
    Header(String),
}

impl From<Role> for Caller {
    fn from(role: Role) -> Self {
        Self::As(role)
    }
}

/// Every caller the permission tests try.
pub const EVERY_CALLER: [Caller; 9] = [
    Caller::As(Role::Admin),
    Caller::As(Role::Manager),
    Caller::As(Role::Recruiter),
    Caller::As(Role::Analyst),
    Caller::Service(Role::Manager),
    Caller::Service(Role::Recruiter),
    Caller::Service(Role::Analyst),
    Caller::Anonymous,
    Caller::BadToken,
];

/// A refused operation: its first GraphQL error.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `extensions.code`.
    pub code: Option<String>,
    /// The message.
    pub message: String,
    /// `extensions`, whole.
    pub extensions: Value,
    /// The HTTP status of the answer.
    pub status: u16,
}

impl Failure {
    /// The message `extensions.fields` gives for `field`.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.extensions["fields"][field].as_str()
    }

    /// The names in `extensions.fields`, sorted.
    pub fn fields(&self) -> Vec<String> {
        let mut names: Vec<String> = self.extensions["fields"]
            .as_object()
            .map(|fields| fields.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// What an operation answered.
pub type Outcome<T> = Result<T, Failure>;

/// Asserting a refusal.
pub trait Refused {
    /// The failure, asserting it has `code`.
    fn refused(self, code: &str) -> Failure;
}

impl<T: std::fmt::Debug> Refused for Outcome<T> {
    #[track_caller]
    fn refused(self, code: &str) -> Failure {
        match self {
            Err(failure) if failure.code.as_deref() == Some(code) => failure,
            other => panic!("expected {code}, got {other:#?}"),
        }
    }
}

/// A running application for one test.
pub struct TestApp {
    /// The test's own database.
    pub pool: PgPool,
    /// The router, called in process.
    pub router: Router,
    /// The application state.
    pub state: AppState,
    /// The user id of each role's test user.
    pub users: HashMap<Role, Uuid>,
    /// The secret of a service token for each role but admin.
    pub service_secrets: HashMap<Role, String>,
}

const SECRET: &str = "integration-test-secret-integration-test-secret";
/// Password of every test user.
pub const PASSWORD: &str = "test-password-123";

fn test_config() -> Config {
    let mut config = Config::from_lookup(|_| None).expect("default config");
    config.jwt_secret = Some(SECRET.to_owned());
    config.web_dir = std::env::temp_dir().join("clientele-no-web-app");
    // Tests send many queries as one user; the budget has tests of its own.
    config.cost_per_minute = u32::MAX;
    config.data_dir = std::env::temp_dir().join(format!("clientele-test-{}", Uuid::new_v4()));
    config
}

fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        clientele::auth::password::hash_blocking(PASSWORD).expect("hashing the test password")
    })
}

impl TestApp {
    /// The app on `pool` (already migrated by `#[sqlx::test]`), with one user per role and
    /// files on disk in a directory of its own.
    pub async fn new(pool: PgPool) -> Self {
        let state = AppState::new(test_config(), pool.clone()).expect("state");
        Self::with_state(pool, state).await
    }

    /// The app with its configuration changed by `change`.
    pub async fn configured(pool: PgPool, change: impl FnOnce(&mut Config)) -> Self {
        let mut config = test_config();
        change(&mut config);
        let state = AppState::new(config, pool.clone()).expect("state");
        Self::with_state(pool, state).await
    }

    /// The app with its configuration changed by `change` and email sent through `mailer`.
    pub async fn with_mailer(
        pool: PgPool,
        change: impl FnOnce(&mut Config),
        mailer: clientele::email::Mailer,
    ) -> Self {
        let mut config = test_config();
        change(&mut config);
        let mut state = AppState::new(config, pool.clone()).expect("state");
        state.mailer = mailer;
        Self::with_state(pool, state).await
    }

    /// The app with another file store.
    pub async fn with_storage(pool: PgPool, storage: clientele::storage::Storage) -> Self {
        let state = AppState::with_storage(test_config(), pool.clone(), storage).expect("state");
        Self::with_state(pool, state).await
    }

    async fn with_state(pool: PgPool, state: AppState) -> Self {
        let mut users = HashMap::new();
        for &role in Role::ALL {
            let id = sqlx::query_scalar::<_, Uuid>(
                "insert into users (email, full_name, role, password_hash) values ($1, $2, $3, $4) returning id",
            )
            .bind(format!("{}@test.local", role.as_str()))
            .bind(format!("Test {}", role.as_str()))
            .bind(role.as_str())
            .bind(password_hash())
            .fetch_one(&pool)
            .await
            .expect("inserting a test user");
            users.insert(role, id);
        }
        let admin = clientele::auth::Viewer {
            user_id: users[&Role::Admin],
            role: Role::Admin,
        };
        let mut service_secrets = HashMap::new();
        let mut tx = pool.begin().await.expect("a transaction");
        for role in [Role::Manager, Role::Recruiter, Role::Analyst] {
            let name = format!("Test {} service", role.as_str());
            let created = clientele::service_tokens::create(&mut tx, admin, &name, role, None)
                .await
                .expect("a service token");
            service_secrets.insert(role, created.secret);
        }
        tx.commit().await.expect("committing the service tokens");
        Self {
            router: clientele::app(state.clone()),
            pool,
            state,
            users,
            service_secrets,
        }
    }

    /// Runs every background task that is due, as the server's workers would; how many ran.
    pub async fn run_pending_jobs(&self) -> usize {
        clientele::tasks::run_pending(&clientele::tasks::TaskContext::from(&self.state))
            .await
            .expect("running the background queue")
    }

    /// A valid token for the role's test user.
    pub fn token(&self, role: Role) -> String {
        let (token, _) = self
            .state
            .jwt
            .issue(self.users[&role], role, chrono::Utc::now())
            .expect("issuing a token");
        token
    }

    /// Sends a raw HTTP request to the app.
    pub async fn request(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("reading the body")
            .to_bytes()
            .to_vec();
        (status, headers, body)
    }

    /// The Authorization value a caller sends, if any.
    pub fn authorization(&self, caller: Caller) -> Option<String> {
        match caller {
            Caller::Anonymous => None,
            Caller::BadToken => {
                let other = clientele::auth::JwtKeys::new(
                    "some-other-secret-some-other-secret-xx",
                    Duration::from_secs(600),
                );
                let (token, _) = other
                    .issue(self.users[&Role::Admin], Role::Admin, chrono::Utc::now())
                    .expect("issuing");
                Some(format!("Bearer {token}"))
            }
            Caller::As(role) => Some(format!("Bearer {}", self.token(role))),
            Caller::Service(role) => Some(format!("Bearer {}", self.service_secrets[&role])),
            Caller::Header(value) => Some(value),
        }
    }

    /// Posts a GraphQL body as `caller` and returns the JSON answer.
    pub async fn post(&self, caller: impl Into<Caller>, body: &Value) -> Value {
        self.send(caller, "application/json", body.to_string().into_bytes())
            .await
            .1
    }

    /// Posts a body of `content_type` to `/graphql` as `caller`: the status and JSON answer.
    pub async fn send(
        &self,
        caller: impl Into<Caller>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let mut builder = Request::post("/graphql").header(header::CONTENT_TYPE, content_type);
        if let Some(value) = self.authorization(caller.into()) {
            builder = builder.header(header::AUTHORIZATION, value);
        }
        let (status, _, bytes) = self
            .request(builder.body(Body::from(body)).expect("request"))
            .await;
        let answer = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| json!({ "raw": String::from_utf8_lossy(&bytes) }));
        (status, answer)
    }

    /// Runs a typed operation as `caller` with a file on its `file` variable, as a
    /// multipart request (the GraphQL multipart request spec).
    pub async fn call_with_file<Q>(
        &self,
        caller: impl Into<Caller>,
        variables: Q::Variables,
        file: &UploadedFile<'_>,
    ) -> Outcome<Q::ResponseData>
    where
        Q: GraphQLQuery,
        Q::Variables: Serialize,
        Q::ResponseData: DeserializeOwned,
    {
        let operations =
            serde_json::to_string(&Q::build_query(variables)).expect("serialising a query");
        let boundary = "clientele-test-boundary-7d3f";
        let mut body = Vec::new();
        let mut text_part = |name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        };
        text_part("operations", &operations);
        text_part("map", r#"{ "0": ["variables.file"] }"#);
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                file.name, file.declared_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let (status, answer) = self
            .send(
                caller,
                &format!("multipart/form-data; boundary={boundary}"),
                body,
            )
            .await;
        outcome(status, answer)
    }

    /// Runs a typed operation as `caller`.
    pub async fn call<Q>(
        &self,
        caller: impl Into<Caller>,
        variables: Q::Variables,
    ) -> Outcome<Q::ResponseData>
    where
        Q: GraphQLQuery,
        Q::Variables: Serialize,
        Q::ResponseData: DeserializeOwned,
    {
        let body = serde_json::to_vec(&Q::build_query(variables)).expect("serialising a query");
        let (status, answer) = self.send(caller, "application/json", body).await;
        outcome(status, answer)
    }

    /// Creates a client named `name` as an admin (no duplicate check) and returns its id.
    pub async fn create_named_client(&self, name: &str, contacts: Vec<ContactInput>) -> String {
        self.create_client(
            Role::Admin,
            CreateClientInput {
                name: name.to_owned(),
                contacts,
                confirm_not_duplicate: true,
                ..CreateClientInput::default()
            },
        )
        .await
        .expect("creating a client")
        .id
    }

    /// Creates a job as a manager, optionally for a client, and returns its id.
    pub async fn new_job(&self, title: &str, status: JobStatus, client: Option<&str>) -> String {
        self.create_job(
            Role::Manager,
            create_job::CreateJobInput {
                title: title.to_owned(),
                status,
                client_id: client.map(str::to_owned),
            },
        )
        .await
        .expect("creating a job")
        .id
    }

    /// Adds a candidate as a recruiter and returns its id.
    pub async fn new_candidate(&self, name: &str) -> String {
        self.create_candidate(
            Role::Recruiter,
            create_candidate::CreateCandidateInput {
                full_name: name.to_owned(),
                email: None,
                client_id: None,
            },
        )
        .await
        .expect("adding a candidate")
        .id
    }

    /// Applies `candidate` to `job` and moves the application along `path`, as a recruiter;
    /// the application's id.
    pub async fn apply_along(
        &self,
        candidate: &str,
        job: &str,
        path: &[ApplicationStage],
    ) -> String {
        let id = self
            .apply_candidate(Role::Recruiter, candidate.to_owned(), job.to_owned())
            .await
            .expect("applying")
            .id;
        for stage in path {
            self.move_application(Role::Recruiter, id.clone(), *stage)
                .await
                .expect("moving the application");
        }
        id
    }
}

/// A file to upload.
pub struct UploadedFile<'a> {
    /// The name the browser gives.
    pub name: &'a str,
    /// The type the browser declares (the server does not believe it).
    pub declared_type: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// A typed outcome from an HTTP answer.
fn outcome<T: DeserializeOwned>(status: StatusCode, answer: Value) -> Outcome<T> {
    if let Some(error) = answer["errors"].get(0) {
        return Err(Failure {
            code: error["extensions"]["code"].as_str().map(str::to_owned),
            message: error["message"].as_str().unwrap_or_default().to_owned(),
            extensions: error["extensions"].clone(),
            status: status.as_u16(),
        });
    }
    Ok(serde_json::from_value(answer["data"].clone())
        .unwrap_or_else(|e| panic!("unexpected answer shape ({e}): {answer:#}")))
}

/// A contact input.
pub fn contact(name: &str, email: &str, primary: bool) -> ContactInput {
    ContactInput {
        full_name: name.to_owned(),
        email: Some(email.to_owned()),
        is_primary: primary,
        ..ContactInput::default()
    }
}

/// The typed operations and one `TestApp` method for each.
#[allow(missing_docs, clippy::all, dead_code)]
mod ops {
    use graphql_client::GraphQLQuery;

    use super::{Caller, Outcome, TestApp};
    pub use clientele::auth::Role;
    pub use clientele_core::{ApplicationStage, ClientStatus, CommunicationType, JobStatus};

    /// `DateTime` scalar.
    pub type DateTime = chrono::DateTime<chrono::Utc>;
    /// `Date` scalar.
    pub type Date = chrono::NaiveDate;
    /// `JSON` scalar.
    pub type JSON = serde_json::Value;
    /// `Upload` scalar: `null` in the variables, the file in its own multipart part.
    pub type Upload = ();

    /// One operation's graphql_client type; its variables derive `Default` unless an
    /// input holds a required enum (which has none).
    macro_rules! operation {
        ($op:ident, $derives:tt) => {
            #[derive(GraphQLQuery)]
            #[graphql(
                                                    schema_path = "../schema.graphql",
                                                    query_path = "tests/graphql/operations.graphql",
                                                    response_derives = "Debug, Clone, PartialEq",
                                                    variables_derives = $derives,
                                                    extern_enums(
                                                        "Role",
                                                        "ClientStatus",
                                                        "CommunicationType",
                                                        "JobStatus",
                                                        "ApplicationStage"
                                                    ),
                                                    skip_serializing_none
                                                )]
            pub struct $op;
        };
        ($op:ident) => {
            operation!($op, "Debug, Clone, Default");
        };
    }

    /// Declares the typed operations: for each, its graphql_client type and a `TestApp`
    /// method taking the caller and the operation's variables, returning its root field.
    macro_rules! operations {
        ($($op:ident / $module:ident $([$derives:tt])? => fn $method:ident($($arg:ident: $ty:ty),*) -> $out:ty = $field:ident;)*) => {
            $( operation!($op $(, $derives)?); )*

            impl TestApp {
                $(
                    #[doc = concat!("Runs `", stringify!($op), "`.")]
                    pub async fn $method(&self, caller: impl Into<Caller>, $($arg: $ty),*) -> Outcome<$out> {
                        self.call::<$op>(caller, $module::Variables { $($arg),* })
                            .await
                            .map(|data| data.$field)
                    }
                )*
            }
        };
    }

    operations! {
        Login / login => fn login(email: String, password: String) -> login::LoginLogin = login;
        SignIn / sign_in => fn sign_in(email: String, password: String) -> sign_in::SignInSignIn = sign_in;
        Logout / logout => fn logout() -> bool = logout;
        Me / me => fn me() -> me::MeMe = me;
        CreateUser / create_user ["Debug, Clone"] => fn create_user(input: create_user::CreateUserInput) -> create_user::CreateUserCreateUser = create_user;
        Users / users => fn users(roles: Option<Vec<Role>>, include_inactive: bool) -> Vec<users::UsersUsers> = users;
        Clients / clients => fn clients(filter: Option<clients::ClientFilter>, sort: Option<clients::ClientSort>, page: Option<i64>, limit: Option<i64>) -> clients::ClientsClients = clients;
        ClientNames / client_names => fn client_names(filter: Option<client_names::ClientFilter>, sort: Option<client_names::ClientSort>, page: Option<i64>, limit: Option<i64>) -> client_names::ClientNamesClients = clients;
        ClientWalk / client_walk => fn client_walk(filter: Option<client_walk::ClientFilter>, sort: Option<client_walk::ClientSort>, first: Option<i64>, after: Option<String>, page: Option<i64>) -> client_walk::ClientWalkClients = clients;
        Client / client => fn client(id: String) -> client::ClientClient = client;
        ClientDuplicates / client_duplicates => fn client_duplicates(name: Option<String>, website: Option<String>, email_domains: Option<Vec<String>>, exclude_client_id: Option<String>) -> Vec<client_duplicates::ClientDuplicatesClientDuplicates> = client_duplicates;
        ClientIndustries / client_industries => fn client_industries() -> Vec<client_industries::ClientIndustriesClientIndustries> = client_industries;
        CreateClient / create_client => fn create_client(input: CreateClientInput) -> create_client::CreateClientCreateClient = create_client;
        UpdateClient / update_client => fn update_client(id: String, input: update_client::UpdateClientInput) -> update_client::UpdateClientUpdateClient = update_client;
        PauseClientAndClearIndustry / pause_client_and_clear_industry => fn pause_client_and_clear_industry(id: String) -> pause_client_and_clear_industry::PauseClientAndClearIndustryUpdateClient = update_client;
        DeactivateClient / deactivate_client => fn deactivate_client(id: String, reason: String, details: Option<String>, archive: bool) -> deactivate_client::DeactivateClientDeactivateClient = deactivate_client;
        ReactivateClient / reactivate_client => fn reactivate_client(id: String) -> reactivate_client::ReactivateClientReactivateClient = reactivate_client;
        AddContact / add_contact => fn add_contact(client_id: String, input: add_contact::ContactInput) -> add_contact::AddContactAddContact = add_contact;
        UpdateContact / update_contact => fn update_contact(id: String, input: update_contact::UpdateContactInput) -> update_contact::UpdateContactUpdateContact = update_contact;
        AttachmentLinks / attachment_links => fn attachment_links(id: String, expires_in_seconds: i64) -> attachment_links::AttachmentLinksCommunication = communication;
        ClientJobs / client_jobs => fn client_jobs(id: String, filter: Option<client_jobs::ClientJobFilter>) -> client_jobs::ClientJobsClient = client;
        SubmitFeedback / submit_feedback => fn submit_feedback(client_id: String, input: submit_feedback::SubmitFeedbackInput) -> submit_feedback::SubmitFeedbackSubmitFeedback = submit_feedback;
        FinalizeFeedback / finalize_feedback => fn finalize_feedback(id: String) -> finalize_feedback::FinalizeFeedbackFinalizeFeedback = finalize_feedback;
        ClientFeedback / client_feedback => fn client_feedback(id: String, from: Option<Date>, to: Option<Date>, periods: i64) -> client_feedback::ClientFeedbackClient = client;
        ClearContactEmail / clear_contact_email => fn clear_contact_email(id: String, phone: Option<String>) -> clear_contact_email::ClearContactEmailUpdateContact = update_contact;
        SetPrimaryContact / set_primary_contact => fn set_primary_contact(id: String) -> set_primary_contact::SetPrimaryContactSetPrimaryContact = set_primary_contact;
        LogCommunication / log_communication ["Debug, Clone"] => fn log_communication(client_id: String, input: log_communication::LogCommunicationInput) -> log_communication::LogCommunicationLogCommunication = log_communication;
        Communication / communication => fn communication(id: String) -> communication::CommunicationCommunication = communication;
        ClientCommunications / client_communications => fn client_communications(id: String, filter: Option<client_communications::CommunicationFilter>, page: i64, limit: i64) -> client_communications::ClientCommunicationsClient = client;
        MyFollowUps / my_follow_ups => fn my_follow_ups(due_by: Option<Date>, page: i64, limit: i64) -> my_follow_ups::MyFollowUpsMyFollowUps = my_follow_ups;
        MarkCommunicationImportant / mark_communication_important => fn mark_communication_important(id: String, important: bool) -> mark_communication_important::MarkCommunicationImportantMarkCommunicationImportant = mark_communication_important;
        SetFollowUp / set_follow_up => fn set_follow_up(id: String, date: Date, notes: Option<String>) -> set_follow_up::SetFollowUpSetFollowUp = set_follow_up;
        CompleteFollowUp / complete_follow_up => fn complete_follow_up(id: String) -> complete_follow_up::CompleteFollowUpCompleteFollowUp = complete_follow_up;
        GeneratePerformanceReport / generate_performance_report => fn generate_performance_report(client_id: String, date_from: Date, date_to: Date, in_background: bool) -> generate_performance_report::ReportParts = generate_performance_report;
        Report / report => fn report(id: String) -> report::ReportParts = report;
        ExportDashboardPdf / export_dashboard_pdf => fn export_dashboard_pdf(client_id: String) -> export_dashboard_pdf::ReportParts = export_dashboard_pdf;
        ClientReports / client_reports => fn client_reports(id: String) -> client_reports::ClientReportsClient = client;
        ClientJobAnalytics / client_job_analytics => fn client_job_analytics(id: String, job_id: String) -> client_job_analytics::ClientJobAnalyticsClient = client;
        CreateJob / create_job ["Debug, Clone"] => fn create_job(input: create_job::CreateJobInput) -> create_job::CreateJobCreateJob = create_job;
        UpdateJob / update_job => fn update_job(id: String, input: update_job::UpdateJobInput) -> update_job::UpdateJobUpdateJob = update_job;
        SetJobStatus / set_job_status ["Debug, Clone"] => fn set_job_status(id: String, status: JobStatus) -> set_job_status::SetJobStatusSetJobStatus = set_job_status;
        Jobs / jobs => fn jobs(filter: Option<jobs::JobFilter>, page: i64, limit: i64) -> jobs::JobsJobs = jobs;
        Job / job => fn job(id: String) -> job::JobJob = job;
        CreateCandidate / create_candidate => fn create_candidate(input: create_candidate::CreateCandidateInput) -> create_candidate::CreateCandidateCreateCandidate = create_candidate;
        Candidates / candidates => fn candidates(search: Option<String>) -> candidates::CandidatesCandidates = candidates;
        ApplyCandidate / apply_candidate => fn apply_candidate(candidate_id: String, job_id: String) -> apply_candidate::ApplyCandidateApplyCandidate = apply_candidate;
        MoveApplication / move_application ["Debug, Clone"] => fn move_application(id: String, stage: ApplicationStage) -> move_application::MoveApplicationMoveApplication = move_application;
        LinkJob / link_job => fn link_job(client_id: String, job_id: String) -> link_job::LinkJobLinkJob = link_job;
        LinkJobs / link_jobs => fn link_jobs(client_id: String, job_ids: Vec<String>) -> Vec<link_jobs::LinkJobsLinkJobs> = link_jobs;
        Dashboard / dashboard => fn dashboard(id: String, days: i64, limit: i64) -> dashboard::DashboardClient = client;
        ClientAnalytics / client_analytics ["Debug, Clone"] => fn client_analytics(id: String, from: Date, to: Date, granularity: client_analytics::Granularity) -> client_analytics::ClientAnalyticsClient = client;
        RunAnalyticsAggregation / run_analytics_aggregation => fn run_analytics_aggregation(date: Date) -> run_analytics_aggregation::RunAnalyticsAggregationRunAnalyticsAggregation = run_analytics_aggregation;
        BackgroundJobs / background_jobs ["Debug, Clone"] => fn background_jobs(state: background_jobs::QueueState) -> background_jobs::BackgroundJobsBackgroundJobs = background_jobs;
        RetryBackgroundJob / retry_background_job => fn retry_background_job(id: String) -> bool = retry_background_job;
        UnlinkJob / unlink_job => fn unlink_job(client_id: String, job_id: String) -> unlink_job::UnlinkJobUnlinkJob = unlink_job;
        BulkUpdateClients / bulk_update_clients ["Debug, Clone"] => fn bulk_update_clients(client_ids: Vec<String>, operation: bulk_update_clients::BulkOperation, parameters: bulk_update_clients::BulkParameters, dry_run: bool, continue_on_error: bool) -> bulk_update_clients::BulkUpdateClientsBulkUpdateClients = bulk_update_clients;
        CreateServiceToken / create_service_token ["Debug, Clone"] => fn create_service_token(name: String, role: Role, expires_at: Option<DateTime>) -> create_service_token::CreateServiceTokenCreateServiceToken = create_service_token;
        ServiceTokens / service_tokens => fn service_tokens(include_revoked: bool) -> Vec<service_tokens::ServiceTokensServiceTokens> = service_tokens;
        RevokeServiceToken / revoke_service_token => fn revoke_service_token(id: String) -> revoke_service_token::RevokeServiceTokenRevokeServiceToken = revoke_service_token;
        AuditLog / audit_log => fn audit_log(filter: Option<audit_log::AuditLogFilter>, page: i64, limit: i64) -> audit_log::AuditLogAuditLog = audit_log;
    }

    operation!(UploadAttachment);
    operation!(UploadClientLogo);

    impl TestApp {
        /// Runs `UploadAttachment` with `file`.
        pub async fn upload_attachment(
            &self,
            caller: impl Into<Caller>,
            communication_id: String,
            file: &super::UploadedFile<'_>,
        ) -> Outcome<upload_attachment::UploadAttachmentUploadAttachment> {
            let variables = upload_attachment::Variables {
                communication_id,
                file: (),
            };
            self.call_with_file::<UploadAttachment>(caller, variables, file)
                .await
                .map(|data| data.upload_attachment)
        }

        /// Runs `UploadClientLogo` with `file`.
        pub async fn upload_client_logo(
            &self,
            caller: impl Into<Caller>,
            client_id: String,
            file: &super::UploadedFile<'_>,
        ) -> Outcome<upload_client_logo::UploadClientLogoUploadClientLogo> {
            let variables = upload_client_logo::Variables {
                client_id,
                file: (),
            };
            self.call_with_file::<UploadClientLogo>(caller, variables, file)
                .await
                .map(|data| data.upload_client_logo)
        }
    }

    /// The create input most tests build.
    pub use create_client::{ContactInput, CreateClientInput};
}
