//! Live updates: one GraphQL subscription over `/graphql/ws` (graphql-transport-ws), signed
//! in by the session cookie its handshake carries. Dropping the [`Live`] closes the
//! connection.

use serde_json::{Value, json};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{MessageEvent, WebSocket};

/// An open subscription.
pub struct Live {
    socket: WebSocket,
    _on_open: Closure<dyn Fn()>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
}

impl Live {
    /// Subscribes to `query`; `on_next` gets the data of each event. `None` when the browser
    /// cannot open the connection.
    pub fn subscribe(
        query: &'static str,
        variables: Value,
        on_next: impl Fn(Value) + 'static,
    ) -> Option<Self> {
        if cfg!(feature = "ssr") {
            return None;
        }
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let url = format!("{scheme}://{}/graphql/ws", location.host().ok()?);
        let socket = WebSocket::new_with_str(&url, "graphql-transport-ws").ok()?;

        let opened = socket.clone();
        // The handshake carries the session cookie (our own origin), which signs it in.
        let on_open = Closure::<dyn Fn()>::new(move || {
            let init = json!({ "type": "connection_init", "payload": {} });
            let _ = opened.send_with_str(&init.to_string());
        });
        let talking = socket.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            let Ok(message) = serde_json::from_str::<Value>(&text) else {
                return;
            };
            match message["type"].as_str() {
                Some("connection_ack") => {
                    let subscribe = json!({
                        "id": "live",
                        "type": "subscribe",
                        "payload": { "query": query, "variables": variables },
                    });
                    let _ = talking.send_with_str(&subscribe.to_string());
                }
                Some("ping") => {
                    let _ = talking.send_with_str(r#"{"type":"pong"}"#);
                }
                Some("next") => on_next(message["payload"]["data"].clone()),
                _ => {}
            }
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self {
            socket,
            _on_open: on_open,
            _on_message: on_message,
        })
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        let _ = self.socket.close();
    }
}
