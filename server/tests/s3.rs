//! The S3 store, with the real AWS SDK against moto's server (started by `cargo xtask
//! test`): uploads land in the bucket and come back through presigned links; a store that
//! is down records nothing.

use clientele::{auth::Role, config::StorageBackend, storage::S3Settings};
use sqlx::PgPool;

use crate::{
    attachments::{PDF, pdf},
    communications::note,
    helpers::{Refused, TestApp},
};

fn moto() -> String {
    std::env::var("CLIENTELE_TEST_S3_ENDPOINT")
        .expect("CLIENTELE_TEST_S3_ENDPOINT: run through `cargo xtask test`, which starts moto")
}

/// A fresh bucket on moto.
async fn bucket() -> S3Settings {
    let settings = S3Settings {
        bucket: format!("clientele-test-{}", uuid::Uuid::new_v4().simple()),
        region: "us-east-1".into(),
        endpoint: Some(moto()),
        force_path_style: true,
    };
    clientele::storage::S3Store::new(&settings)
        .client()
        .create_bucket()
        .bucket(&settings.bucket)
        .send()
        .await
        .expect("creating a bucket on moto");
    settings
}

async fn logged(app: &TestApp) -> String {
    let client = app.create_named_client("Bucket Co", vec![]).await;
    app.log_communication(Role::Recruiter, client, note("Signed contract"))
        .await
        .expect("logged")
        .id
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
#[ignore = "needs moto: `cargo xtask test` starts it and runs this"]
async fn attachments_go_to_s3_and_come_back_through_a_presigned_link(pool: PgPool) {
    let settings = bucket().await;
    let app = TestApp::configured(pool, |c| c.storage = StorageBackend::S3(settings.clone())).await;
    let id = logged(&app).await;
    app.upload_attachment(Role::Recruiter, id.clone(), &pdf("Signed contract.pdf"))
        .await
        .expect("attached");

    let url = app
        .attachment_links(Role::Manager, id, 120)
        .await
        .expect("a link")
        .attachments[0]
        .download_url
        .clone();
    assert!(
        url.starts_with(&settings.endpoint.clone().unwrap_or_default()),
        "{url}"
    );
    assert!(url.contains("X-Amz-Signature="), "{url}");
    // moto serves presigned links without checking their signature or expiry (S3 does), so
    // what can be checked here is that the link asks for the lifetime requested.
    assert!(url.contains("X-Amz-Expires=120"), "{url}");
    let http = reqwest::Client::new();
    let response = http.get(&url).send().await.expect("downloading");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("Signed%20contract.pdf"))
    );
    assert_eq!(response.bytes().await.expect("body"), PDF, "byte-identical");

    // The object is private: without the signature, S3 says no.
    let unsigned = url.split('?').next().unwrap_or_default();
    let refused = http.get(unsigned).send().await.expect("asking");
    assert_eq!(refused.status(), 403);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn when_s3_cannot_be_reached_no_attachment_is_recorded(pool: PgPool) {
    let down = S3Settings {
        bucket: "nowhere".into(),
        region: "us-east-1".into(),
        endpoint: Some("http://127.0.0.1:9".into()),
        force_path_style: true,
    };
    let app = TestApp::configured(pool, |c| c.storage = StorageBackend::S3(down)).await;
    let id = logged(&app).await;
    app.upload_attachment(Role::Recruiter, id, &pdf("a.pdf"))
        .await
        .refused("INTERNAL");
    let recorded: i64 = sqlx::query_scalar(
        "select coalesce(sum(jsonb_array_length(attachments)), 0)::bigint from client_communications",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(recorded, 0);
}
