//! Attachments and logos: uploaded by the multipart spec, checked by content and size while the body
//! streams in, stored, downloaded through signed links, and never half written.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use clientele::{
    auth::Role,
    storage::{FileStore, StoredObject},
};
use futures::{FutureExt, StreamExt, future::BoxFuture};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::{
    communications::note,
    helpers::{Refused, TestApp, UploadedFile},
};

/// A small but real PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub fn pdf(name: &str) -> UploadedFile<'_> {
    UploadedFile {
        name,
        declared_type: "application/pdf",
        bytes: PDF,
    }
}

async fn communication(app: &TestApp) -> String {
    let client = app.create_named_client("Attach Co", vec![]).await;
    app.log_communication(Role::Recruiter, client, note("Contract draft"))
        .await
        .expect("logged")
        .id
}

async fn attachments_in_database(app: &TestApp) -> i64 {
    sqlx::query_scalar("select coalesce(sum(jsonb_array_length(attachments)), 0)::bigint from client_communications")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

pub async fn get(app: &TestApp, url: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    app.request(Request::get(url).body(Body::empty()).expect("request"))
        .await
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_pdf_is_attached_and_downloaded_back_byte_identical_through_a_signed_link(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    let attached = app
        .upload_attachment(Role::Recruiter, id.clone(), &pdf("../Q3 contract.pdf"))
        .await
        .expect("attached");
    let attachment = &attached.attachments[0];
    assert_eq!(attachment.file_name, "Q3 contract.pdf");
    assert_eq!(attachment.content_type, "application/pdf");
    assert_eq!(attachment.size_bytes, PDF.len() as i64);
    let sha: String = Sha256::digest(PDF)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(attachment.sha256, sha);
    assert_eq!(
        attachment.uploaded_by.as_ref().map(|u| u.email.as_str()),
        Some("recruiter@test.local")
    );

    let links = app
        .attachment_links(Role::Manager, id.clone(), 60)
        .await
        .expect("links");
    let url = links.attachments[0].download_url.clone();
    assert!(url.starts_with("/files/"), "{url}");
    let (status, headers, body) = get(&app, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PDF, "byte-identical");
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .is_ok_and(|d| d.starts_with("attachment;") && d.contains("Q3%20contract.pdf"))
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    // One character changed anywhere in the token: refused.
    let mut tampered = url.clone().into_bytes();
    let middle = tampered.len() - 20;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    assert_eq!(get(&app, &tampered).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&app, "/files/not-a-token").await.0,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_expired_link_is_refused(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    app.upload_attachment(Role::Recruiter, id.clone(), &pdf("a.pdf"))
        .await
        .expect("attached");
    let links = app
        .attachment_links(Role::Recruiter, id, 1)
        .await
        .expect("links");
    let url = links.attachments[0].download_url.clone();
    // Expiry is checked to the second: wait past it.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(get(&app, &url).await.0, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn only_roles_that_may_download_get_a_link_and_its_life_is_bounded(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    app.upload_attachment(Role::Manager, id.clone(), &pdf("a.pdf"))
        .await
        .expect("attached");
    app.attachment_links(Role::Analyst, id.clone(), 60)
        .await
        .refused("FORBIDDEN");
    for seconds in [0, 3601] {
        let refused = app
            .attachment_links(Role::Admin, id.clone(), seconds)
            .await
            .refused("VALIDATION");
        assert_eq!(refused.fields(), ["expiresInSeconds"]);
    }
    app.attachment_links(Role::Admin, id, 3600)
        .await
        .expect("an hour is allowed");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_file_over_10_mb_is_refused_while_streaming_and_nothing_is_kept(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let file = UploadedFile {
        name: "big.pdf",
        declared_type: "application/pdf",
        bytes: &big,
    };
    let refused = app
        .upload_attachment(Role::Recruiter, id.clone(), &file)
        .await
        .refused("PAYLOAD_TOO_LARGE");
    assert_eq!(refused.status, 413);
    assert_eq!(refused.message, "the file is larger than 10 MB");
    assert_eq!(attachments_in_database(&app).await, 0);
    assert!(
        stored_files(&app).is_empty(),
        "nothing stored: {:?}",
        stored_files(&app)
    );

    // Exactly at the limit is fine.
    let at_limit = UploadedFile {
        name: "big.pdf",
        declared_type: "application/pdf",
        bytes: &big[..10 * 1024 * 1024],
    };
    app.upload_attachment(Role::Recruiter, id, &at_limit)
        .await
        .expect("10 MB exactly");
}

/// Files under the test app's local store.
fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&app.state.config.data_dir.join("files"), &mut found);
    found
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_type_is_told_by_the_content_not_the_name_or_the_declared_type(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    let program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    let disguised = UploadedFile {
        name: "invoice.pdf",
        declared_type: "application/pdf",
        bytes: program,
    };
    let refused = app
        .upload_attachment(Role::Recruiter, id.clone(), &disguised)
        .await
        .refused("UNSUPPORTED_MEDIA_TYPE");
    assert!(
        refused.message.contains("not accepted"),
        "{}",
        refused.message
    );
    let svg = UploadedFile {
        name: "chart.svg",
        declared_type: "image/svg+xml",
        bytes: b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    };
    app.upload_attachment(Role::Recruiter, id.clone(), &svg)
        .await
        .refused("UNSUPPORTED_MEDIA_TYPE");

    // A PDF sent as "text/plain" named .exe is a PDF, saved with its real extension.
    let honest = UploadedFile {
        name: "minutes.exe",
        declared_type: "text/plain",
        bytes: PDF,
    };
    let attached = app
        .upload_attachment(Role::Recruiter, id, &honest)
        .await
        .expect("a PDF is a PDF");
    assert_eq!(attached.attachments[0].content_type, "application/pdf");
    assert_eq!(attached.attachments[0].file_name, "minutes.exe.pdf");
    assert_eq!(attachments_in_database(&app).await, 1);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_analyst_cannot_upload_and_an_unknown_communication_is_not_found(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    app.upload_attachment(Role::Analyst, id, &pdf("a.pdf"))
        .await
        .refused("FORBIDDEN");
    app.upload_attachment(Role::Admin, uuid::Uuid::new_v4().to_string(), &pdf("a.pdf"))
        .await
        .refused("NOT_FOUND");
    assert_eq!(attachments_in_database(&app).await, 0);
}

/// A store in memory whose failures the test chooses.
#[derive(Default)]
pub struct FaultyStore {
    /// What it holds, by key.
    pub files: Mutex<HashMap<String, Vec<u8>>>,
    /// Every put fails.
    pub fail_put: bool,
    /// Run after a successful put: makes the database write that follows fail.
    pub after_put: Option<PgPool>,
}

impl FaultyStore {
    /// The keys it holds.
    pub fn keys(&self) -> Vec<String> {
        self.files
            .lock()
            .map(|files| files.keys().cloned().collect())
            .unwrap_or_default()
    }
}

impl FileStore for FaultyStore {
    fn put<'a>(&'a self, key: &'a str, object: StoredObject) -> BoxFuture<'a, anyhow::Result<()>> {
        async move {
            anyhow::ensure!(!self.fail_put, "the store is down");
            if let Ok(mut files) = self.files.lock() {
                files.insert(key.to_owned(), object.bytes.to_vec());
            }
            if let Some(pool) = &self.after_put {
                // The communication goes away between the store and the database write.
                sqlx::query("delete from client_communications")
                    .execute(pool)
                    .await?;
            }
            Ok(())
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        async move {
            if let Ok(mut files) = self.files.lock() {
                files.remove(key);
            }
            Ok(())
        }
        .boxed()
    }

    fn download_url<'a>(
        &'a self,
        key: &'a str,
        _file_name: &'a str,
        _content_type: &'a str,
        _expires: Duration,
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        async move { Ok(format!("memory://{key}")) }.boxed()
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn when_the_store_fails_no_attachment_is_recorded(pool: PgPool) {
    let store = Arc::new(FaultyStore {
        fail_put: true,
        ..FaultyStore::default()
    });
    let app = TestApp::with_storage(pool, store.clone()).await;
    let id = communication(&app).await;
    let refused = app
        .upload_attachment(Role::Recruiter, id, &pdf("a.pdf"))
        .await
        .refused("INTERNAL");
    assert!(refused.extensions["requestId"].is_string());
    assert_eq!(attachments_in_database(&app).await, 0);
    assert!(store.keys().is_empty());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn when_the_database_write_fails_the_stored_file_is_removed(pool: PgPool) {
    let store = Arc::new(FaultyStore {
        after_put: Some(pool.clone()),
        ..FaultyStore::default()
    });
    let app = TestApp::with_storage(pool, store.clone()).await;
    let id = communication(&app).await;
    app.upload_attachment(Role::Recruiter, id, &pdf("a.pdf"))
        .await
        .refused("NOT_FOUND");
    assert!(store.keys().is_empty(), "left behind: {:?}", store.keys());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_endless_upload_is_refused_once_it_passes_the_limit(pool: PgPool) {
    // A body that never ends: the answer can only come if the server stops reading at the
    // limit instead of reading the whole body first.
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    let boundary = "endless-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"variables.file\"]}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"endless.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n",
        serde_json::json!({
            "query": "mutation($id: ID!, $file: Upload!) { uploadAttachment(communicationId: $id, file: $file) { id } }",
            "variables": { "id": id, "file": null },
        })
    );
    let chunk = bytes::Bytes::from(vec![b' '; 64 * 1024]);
    let body =
        futures::stream::once(async move { Ok::<_, std::io::Error>(bytes::Bytes::from(head)) })
            .chain(futures::stream::repeat_with(move || Ok(chunk.clone())));
    let request = Request::post("/graphql")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", app.token(Role::Recruiter)),
        )
        .body(Body::from_stream(body))
        .expect("request");
    let (status, _, answer) = tokio::time::timeout(Duration::from_secs(20), app.request(request))
        .await
        .expect("an answer before the body ends (it never does)");
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let answer: serde_json::Value = serde_json::from_slice(&answer).expect("json");
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "PAYLOAD_TOO_LARGE"
    );
    assert_eq!(attachments_in_database(&app).await, 0);
}

/// The smallest valid PNG: one transparent pixel.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

fn png(name: &str) -> UploadedFile<'_> {
    UploadedFile {
        name,
        declared_type: "image/png",
        bytes: PNG,
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_manager_gives_a_client_a_logo_and_a_new_one_replaces_it(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Logo Co", vec![]).await;
    let first = app
        .upload_client_logo(Role::Manager, client.clone(), &png("logo.png"))
        .await
        .expect("a logo");
    let logo = first.logo.expect("the logo");
    assert_eq!(
        (logo.file_name.as_str(), logo.content_type.as_str()),
        ("logo.png", "image/png")
    );
    let (status, headers, body) = get(&app, &logo.url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PNG);
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(stored_files(&app).len(), 1);

    let second = app
        .upload_client_logo(Role::Admin, client, &png("new-logo.png"))
        .await
        .expect("a new logo");
    assert_eq!(
        second.logo.map(|l| l.file_name).as_deref(),
        Some("new-logo.png")
    );
    assert_eq!(stored_files(&app).len(), 1, "the old file is removed");
    let records: i64 = sqlx::query_scalar("select count(*) from stored_files")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(records, 1, "and its record");
    assert_eq!(
        get(&app, &logo.url).await.0,
        StatusCode::NOT_FOUND,
        "the old link leads nowhere"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_logo_is_an_image_of_at_most_2_mb(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Picky Logo Co", vec![]).await;
    let mut big = PNG.to_vec();
    big.resize(2 * 1024 * 1024 + 1, 0);
    let too_big = UploadedFile {
        name: "huge.png",
        declared_type: "image/png",
        bytes: &big,
    };
    let refused = app
        .upload_client_logo(Role::Manager, client.clone(), &too_big)
        .await
        .refused("PAYLOAD_TOO_LARGE");
    assert_eq!(refused.status, 413);
    assert_eq!(refused.message, "the file is larger than 2 MB");

    let svg = UploadedFile {
        name: "logo.svg",
        declared_type: "image/svg+xml",
        bytes: b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    };
    let refused = app
        .upload_client_logo(Role::Manager, client.clone(), &svg)
        .await
        .refused("UNSUPPORTED_MEDIA_TYPE");
    assert!(refused.message.contains("SVG"), "{}", refused.message);
    app.upload_client_logo(Role::Manager, client.clone(), &pdf("logo.pdf"))
        .await
        .refused("UNSUPPORTED_MEDIA_TYPE");
    app.upload_client_logo(Role::Recruiter, client, &png("logo.png"))
        .await
        .refused("FORBIDDEN");
    assert!(stored_files(&app).is_empty());
}

/// The EICAR test string: harmless, and found by every virus scanner by design.
const EICAR: &[u8] = br"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/// The clamd `cargo xtask test` starts, with a signature database that knows EICAR.
fn clamd() -> String {
    std::env::var("CLIENTELE_TEST_CLAMAV_ADDR")
        .expect("CLIENTELE_TEST_CLAMAV_ADDR: run through `cargo xtask test`, which starts clamd")
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
#[ignore = "needs clamd: `cargo xtask test` starts one and runs this"]
async fn an_infected_file_is_refused_and_never_stored(pool: PgPool) {
    let app = TestApp::configured(pool, |c| c.clamav_addr = Some(clamd())).await;
    let id = communication(&app).await;
    let eicar = UploadedFile {
        name: "harmless-looking.txt",
        declared_type: "text/plain",
        bytes: EICAR,
    };
    let refused = app
        .upload_attachment(Role::Recruiter, id, &eicar)
        .await
        .refused("VALIDATION");
    assert_eq!(refused.extensions["detail"], "INFECTED");
    assert_eq!(
        refused.field("file"),
        Some("is infected (Clientele.Test.EICAR.UNOFFICIAL)")
    );
    assert_eq!(attachments_in_database(&app).await, 0);
    assert!(stored_files(&app).is_empty());
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
#[ignore = "needs clamd: `cargo xtask test` starts one and runs this"]
async fn a_clean_file_is_scanned_and_says_so(pool: PgPool) {
    let app = TestApp::configured(pool, |c| c.clamav_addr = Some(clamd())).await;
    let id = communication(&app).await;
    let attached = app
        .upload_attachment(Role::Recruiter, id, &pdf("clean.pdf"))
        .await
        .expect("attached");
    assert_eq!(
        attached.attachments[0].scan_status,
        crate::helpers::upload_attachment::ScanStatus::CLEAN
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn without_a_scanner_files_say_not_scanned(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let id = communication(&app).await;
    let attached = app
        .upload_attachment(Role::Recruiter, id, &pdf("a.pdf"))
        .await
        .expect("attached");
    assert_eq!(
        attached.attachments[0].scan_status,
        crate::helpers::upload_attachment::ScanStatus::NOT_SCANNED
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_scanner_that_cannot_be_reached_refuses_uploads(pool: PgPool) {
    // Port 9 (discard) on localhost: nothing listens, the connection is refused.
    let app = TestApp::configured(pool, |c| c.clamav_addr = Some("127.0.0.1:9".into())).await;
    let id = communication(&app).await;
    let refused = app
        .upload_attachment(Role::Recruiter, id, &pdf("a.pdf"))
        .await
        .refused("UNAVAILABLE");
    assert_eq!(refused.status, 503);
}
