//! The app's GraphQL operations (`web/graphql/*.graphql`), typed from `schema.graphql`:
//! a field renamed on the server breaks this build, not the user. Enums the app shares with
//! the server are `clientele_core`'s own types.

#![allow(missing_docs, clippy::all)]

pub use clientele_core::{
    ApplicationStage, ClientStatus, CommunicationType, JobStatus, ReportStatus, Role,
};
use graphql_client::GraphQLQuery;

/// `DateTime` scalar: RFC 3339 text.
pub type DateTime = String;
/// `Date` scalar: `YYYY-MM-DD`.
pub type Date = String;
/// `Upload` scalar: `null` in the variables; the file travels in its own multipart part.
pub type Upload = ();

/// Declares operations of one `.graphql` file.
macro_rules! operations {
    ($file:tt: $($op:ident),+ $(,)?) => {
        $(
            #[derive(GraphQLQuery)]
            #[graphql(
                schema_path = "../schema.graphql",
                query_path = $file,
                response_derives = "Debug, Clone, PartialEq",
                extern_enums(
                    "Role", "ClientStatus", "CommunicationType", "JobStatus", "ReportStatus",
                    "ApplicationStage"
                )
            )]
            pub struct $op;
        )+
    };
}

operations!("graphql/session.graphql": SignIn, CurrentSession, Logout);
operations!("graphql/clients.graphql":
    ClientList, ListFilters, ClientDuplicates, CreateClient, ClientDetail, UpdateClient,
    DeactivateClient, ReactivateClient, AddContact, UpdateContact, SetPrimaryContact,
    UploadClientLogo,
);
operations!("graphql/communications.graphql":
    ClientCommunications, LogCommunication, MarkCommunicationImportant, CompleteFollowUp,
    AttachmentLink, UploadAttachment, ClientJobChoices,
);
operations!("graphql/feedback.graphql":
    ClientFeedbackTab, SubmitFeedback, FinalizeFeedback, ClientReportList, GenerateReport,
    ReportProgress, ReportLink,
);
operations!("graphql/dashboard.graphql": ClientDashboard, ClientAnalytics, ExportDashboard);
operations!("graphql/jobs.graphql": ClientJobsTab, JobSearch, LinkJobs, UnlinkJob);

/// The bulk run: parameters an operation does not use must be left out, not sent as null
/// (the server refuses another operation's parameters), so `None` is not serialised.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/bulk.graphql",
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    extern_enums("ClientStatus"),
    skip_serializing_none
)]
pub struct BulkUpdateClients;
