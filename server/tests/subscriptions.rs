//! Live timelines: `communicationLogged(clientId)` over WebSocket (graphql-transport-ws),
//! announced through PostgreSQL NOTIFY when the logging transaction commits.

use std::time::Duration;

use clientele::auth::Role;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{
    communications::note,
    helpers::{Caller, Failure, TestApp},
};

/// A WebSocket connection to the app, signed in as `caller`, past `connection_ack`; or the
/// failure the server gave instead.
pub struct Live {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

/// Starts the app on a real port (WebSocket upgrades need one) and connects.
pub async fn connect(app: &TestApp, caller: Caller) -> Result<Live, Failure> {
    let payload = match app.authorization(caller) {
        Some(authorization) => json!({ "authorization": authorization }),
        None => json!({}),
    };
    open(app, |_| Vec::new(), payload).await
}

/// Connects with the handshake headers `headers` gives for the server's address (a
/// browser's Cookie and Origin) and `payload` in `connection_init`.
pub async fn open(
    app: &TestApp,
    headers: impl Fn(std::net::SocketAddr) -> Vec<(&'static str, String)>,
    payload: Value,
) -> Result<Live, Failure> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("its address");
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .expect("a request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    for (name, value) in headers(addr) {
        request
            .headers_mut()
            .insert(name, HeaderValue::from_str(&value).expect("a header value"));
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connected");
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    match next(&mut socket).await {
        Some(message) if message["type"] == "connection_ack" => Ok(Live { socket }),
        other => Err(Failure {
            code: Some("UNAUTHENTICATED".into()),
            message: format!("the connection was refused: {other:?}"),
            extensions: Value::Null,
            status: 101,
        }),
    }
}

async fn send<S: SinkExt<Message> + Unpin>(socket: &mut S, message: Value) {
    if socket
        .send(Message::Text(message.to_string().into()))
        .await
        .is_err()
    {
        panic!("sending {message}");
    }
}

/// The next JSON message, or `None` when the connection closes (or 10 s pass).
async fn next<
    S: StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
>(
    socket: &mut S,
) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .ok()??
            .ok()?;
        match message {
            Message::Text(text) => return serde_json::from_str(&text).ok(),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

impl Live {
    /// Subscribes to the client's timeline.
    pub async fn subscribe(&mut self, client: &str) {
        send(
            &mut self.socket,
            json!({
                "id": "timeline",
                "type": "subscribe",
                "payload": {
                    "query": "subscription($c: ID!) { communicationLogged(clientId: $c) { subject client { name } loggedBy { email } } }",
                    "variables": { "c": client },
                },
            }),
        )
        .await;
        // A ping answered means the subscribe message before it was taken in.
        send(&mut self.socket, json!({ "type": "ping" })).await;
    }

    /// The next message of the subscription (`next` or `error`), skipping pongs.
    pub async fn next(&mut self) -> Option<Value> {
        loop {
            let message = next(&mut self.socket).await?;
            if message["type"] != "pong" {
                return Some(message);
            }
        }
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_open_timeline_hears_each_communication_logged_with_its_client(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let watched = app.create_named_client("Watched Ltd", vec![]).await;
    let other = app.create_named_client("Elsewhere Ltd", vec![]).await;
    let mut live = connect(&app, Caller::As(Role::Analyst))
        .await
        .expect("connected");
    live.subscribe(&watched).await;

    app.log_communication(Role::Recruiter, other, note("Not for you"))
        .await
        .expect("logged");
    app.log_communication(Role::Recruiter, watched.clone(), note("Offer accepted"))
        .await
        .expect("logged");
    let heard = live.next().await.expect("an event");
    assert_eq!(heard["type"], "next", "{heard}");
    let logged = &heard["payload"]["data"]["communicationLogged"];
    assert_eq!(
        logged["subject"], "Offer accepted",
        "only the watched client's"
    );
    assert_eq!(logged["client"]["name"], "Watched Ltd");
    assert_eq!(logged["loggedBy"]["email"], "recruiter@test.local");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_communication_rolled_back_is_never_announced(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let watched = app.create_named_client("Quiet Ltd", vec![]).await;
    let mut live = connect(&app, Caller::As(Role::Manager))
        .await
        .expect("connected");
    live.subscribe(&watched).await;
    // Logged inside a transaction that is rolled back: NOTIFY is sent only on commit.
    let viewer = clientele::auth::Viewer {
        user_id: app.users[&Role::Manager],
        role: Role::Manager,
    };
    let new = clientele::communications::NewCommunication::parse(
        &clientele::communications::LogCommunicationInput {
            communication_type: clientele_core::CommunicationType::Note,
            subject: "Never happened".into(),
            notes: None,
            communication_date: None,
            participants: Vec::new(),
            job_reference_id: None,
            is_important: false,
            follow_up_required: false,
            follow_up_date: None,
            follow_up_notes: None,
        },
        chrono::Utc::now(),
        clientele::graphql::scalars::Date::today(),
    )
    .expect("valid");
    let mut tx = app.pool.begin().await.expect("transaction");
    clientele::communications::log(&mut tx, viewer, watched.parse().expect("uuid"), &new)
        .await
        .expect("logged in the transaction");
    tx.rollback().await.expect("rolled back");
    app.log_communication(Role::Recruiter, watched, note("This one happened"))
        .await
        .expect("logged");
    let heard = live.next().await.expect("an event");
    assert_eq!(
        heard["payload"]["data"]["communicationLogged"]["subject"],
        "This one happened"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_connection_without_a_valid_token_is_refused(pool: PgPool) {
    let app = TestApp::new(pool).await;
    for caller in [Caller::Anonymous, Caller::BadToken] {
        assert!(connect(&app, caller).await.is_err());
    }
}
