//! The app's GraphQL operations (`web/graphql/*.graphql`), typed from `schema.graphql`:
//! a field renamed on the server breaks this build, not the user.

#![allow(missing_docs, clippy::all)]

pub use clientele_core::{ClientStatus, Role};
use graphql_client::GraphQLQuery;

/// `DateTime` scalar: RFC 3339 text.
pub type DateTime = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct Login;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct ClientList;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct ListFilters;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct ClientDuplicates;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct CreateClient;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct ClientDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct UpdateClient;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct DeactivateClient;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/clients.graphql",
    response_derives = "Debug, Clone, PartialEq",
    extern_enums("Role", "ClientStatus")
)]
pub struct ReactivateClient;
