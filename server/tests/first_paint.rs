//! Each page of the app arrives with its first paint, rendered by the server with the app's
//! own components as the person asking for it, and with the answers it was rendered with;
//! a page that cannot be rendered complete arrives as the bare app.

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use clientele::auth::Role;
use sqlx::PgPool;

use crate::helpers::{TestApp, contact};

/// The built index.html's shape: a title, the head, the HTML's loading line.
const INDEX: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" />\
    <title>Clientele</title><link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\">\
    </head><body><p id=\"boot\" class=\"boot\" role=\"status\">Loading Clientele…</p></body></html>";

struct Page {
    status: StatusCode,
    cache: String,
    html: String,
}

impl Page {
    fn title(&self) -> &str {
        let start = self.html.find("<title>").map_or(0, |i| i + "<title>".len());
        let end = self.html[start..]
            .find("</title>")
            .map_or(start, |i| start + i);
        &self.html[start..end]
    }

    /// The body as sent: the first paint, or the loading line of the bare app.
    fn body(&self) -> &str {
        let start = self.html.find("<body>").unwrap_or(0);
        &self.html[start..]
    }

    /// The answers sent along (JSON), if any.
    fn answers(&self) -> Option<serde_json::Value> {
        let open = "<script type=\"application/json\" id=\"first-paint-answers\">";
        let start = self.html.find(open)? + open.len();
        let end = start + self.html[start..].find("</script>")?;
        serde_json::from_str(&self.html[start..end]).ok()
    }

    fn is_bare(&self) -> bool {
        self.body().contains("Loading Clientele…") && self.answers().is_none()
    }
}

async fn get(app: &TestApp, path: &str, role: Option<Role>) -> Page {
    let mut request = Request::get(path);
    if let Some(role) = role {
        request = request.header("cookie", format!("clientele_session={}", app.token(role)));
    }
    let (status, headers, body) = app
        .request(request.body(Body::empty()).expect("request"))
        .await;
    Page {
        status,
        cache: headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        html: String::from_utf8(body).expect("utf-8"),
    }
}

async fn app_with_pages(pool: PgPool) -> (TestApp, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("clientele-pages-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("web dir");
    std::fs::write(dir.join("index.html"), INDEX).expect("index");
    let web_dir = dir.clone();
    let app = TestApp::configured(pool, move |config| config.web_dir = web_dir).await;
    (app, dir)
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_page_arrives_rendered_for_the_person_asking(pool: PgPool) {
    let (app, dir) = app_with_pages(pool).await;
    let id = app
        .create_named_client(
            "Acme & Sons",
            vec![contact("Grace Hopper", "grace@acme.example", true)],
        )
        .await;
    app.create_named_client("Globex", vec![]).await;

    // The list: every client, named, in the page itself; the answers it was rendered with
    // come along for the app.
    let list = get(&app, "/clients", Some(Role::Manager)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.title(), "Clients — Clientele");
    assert!(list.body().contains("Acme &amp; Sons"), "{}", list.body());
    assert!(list.body().contains("Globex"));
    assert!(!list.body().contains("Loading"), "{}", list.body());
    assert_eq!(list.cache, "private, no-cache", "someone's own data");
    let answers = list.answers().expect("the answers come along");
    let keys: Vec<&String> = answers.as_object().expect("an object").keys().collect();
    assert!(
        keys.iter().any(|k| k.starts_with("CurrentSession ")),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k.starts_with("ClientList ")),
        "{keys:?}"
    );
    // Compressed for a browser that takes gzip: the same page.
    let mut gzipped = Request::get("/clients");
    gzipped = gzipped
        .header(
            "cookie",
            format!("clientele_session={}", app.token(Role::Manager)),
        )
        .header("accept-encoding", "gzip, deflate, br");
    let (_, headers, body) = app
        .request(gzipped.body(Body::empty()).expect("request"))
        .await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["vary"], "cookie, accept-encoding");
    let mut html = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut html)
        .expect("gzip");
    assert!(
        html.len() > body.len() * 2,
        "{} → {}",
        html.len(),
        body.len()
    );
    assert!(html.contains("Acme &amp; Sons") && html.contains("first-paint-answers"));
    // What the query string asks for is what is rendered.
    let found = get(&app, "/clients?q=globex", Some(Role::Manager)).await;
    assert!(found.body().contains("Globex"));
    assert!(!found.body().contains("Acme"));

    // A client's page and each of its tabs, complete (no "Loading…" left).
    let client = format!("/clients/{id}");
    let page = get(&app, &client, Some(Role::Manager)).await;
    assert_eq!(page.title(), "Acme &amp; Sons — Clients — Clientele");
    assert!(
        page.body().contains("Grace Hopper"),
        "the Overview's contacts"
    );
    assert!(!page.body().contains("Loading"), "{}", page.body());
    for (tab, heading) in [
        ("jobs", "Jobs"),
        ("communications", "Communications"),
        ("feedback", "Feedback"),
        ("analytics", "Analytics"),
    ] {
        let page = get(&app, &format!("{client}/{tab}"), Some(Role::Manager)).await;
        assert_eq!(page.status, StatusCode::OK, "{tab}");
        assert!(page.answers().is_some(), "{tab} is rendered");
        assert!(page.body().contains("Acme &amp; Sons"), "{tab}: the header");
        assert!(page.body().contains(heading), "{tab}: {}", page.body());
        assert!(!page.body().contains("Loading"), "{tab}: {}", page.body());
    }

    // The page is the asker's: a recruiter's has no Edit and no Feedback tab (the role
    // matrix), an analyst's the same record.
    let recruiter = get(&app, &client, Some(Role::Recruiter)).await;
    assert!(recruiter.body().contains("Grace Hopper"));
    assert!(!recruiter.body().contains("id=\"edit-client\""));
    assert!(!recruiter.body().contains(&format!("{client}/feedback")));
    let manager = get(&app, &client, Some(Role::Manager)).await;
    assert!(manager.body().contains("id=\"edit-client\""));
    assert!(manager.body().contains(&format!("{client}/feedback")));
    let analyst = get(&app, &client, Some(Role::Analyst)).await;
    assert!(analyst.body().contains("Grace Hopper"));

    // The create form renders too.
    let new = get(&app, "/clients/new", Some(Role::Manager)).await;
    assert_eq!(new.title(), "Create client — Clients — Clientele");
    assert!(new.answers().is_some());

    // A client that does not exist: the page says so, rendered.
    let missing = get(
        &app,
        "/clients/0b6c3c1e-6a4e-4f0e-9d7e-3f0c8a7c1b2d",
        Some(Role::Manager),
    )
    .await;
    assert!(missing.answers().is_some());
    assert!(!missing.body().contains("Loading"), "{}", missing.body());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn signed_out_only_the_sign_in_page_is_rendered(pool: PgPool) {
    let (app, dir) = app_with_pages(pool).await;
    let id = app.create_named_client("Acme Corp", vec![]).await;

    // Sign-in, rendered, with nobody's data.
    let login = get(&app, "/login", None).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.title(), "Sign in — Clientele");
    assert!(login.body().contains("id=\"email\""), "{}", login.body());
    assert!(!login.html.contains("Acme"));
    // A page that sends a signed-out visitor to sign in goes out bare (the app redirects,
    // keeping where they were going), as does one asked for with a session that has ended.
    for path in ["/clients", &format!("/clients/{id}"), "/"] {
        let page = get(&app, path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.is_bare(), "{path}: {}", page.html);
        assert!(!page.html.contains("Acme"), "{path}");
        assert_eq!(page.cache, "no-cache", "{path}");
    }
    let mut ended = Request::get("/clients");
    ended = ended.header("cookie", "clientele_session=not-a-session");
    let (status, _, body) = app
        .request(ended.body(Body::empty()).expect("request"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let body = String::from_utf8(body).expect("utf-8");
    assert!(body.contains("Loading Clientele…") && !body.contains("Acme"));
    // Signed in, sign-in itself is left to the app (it moves on at once).
    let signed_in = get(&app, "/login", Some(Role::Manager)).await;
    assert!(signed_in.is_bare(), "{}", signed_in.html);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
