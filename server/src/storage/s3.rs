//! The S3 store (aws-sdk-s3): objects in one bucket, downloaded through presigned GET URLs
//! that carry the file's name and type and expire.

use std::time::Duration;

use anyhow::Context;
use aws_sdk_s3::{Client, presigning::PresigningConfig, primitives::ByteStream};
use futures::{FutureExt, future::BoxFuture};

use super::{FileStore, StoredObject};

/// Where the bucket is and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// The bucket (it must exist).
    pub bucket: String,
    /// Its region.
    pub region: String,
    /// Another endpoint than AWS's (MinIO, moto, a VPC endpoint).
    pub endpoint: Option<String>,
    /// `bucket` in the path rather than the host name (what most S3-compatible servers want).
    pub force_path_style: bool,
}

/// Files in an S3 bucket.
pub struct S3Store {
    client: Client,
    bucket: String,
}

impl S3Store {
    /// A store on the configured bucket. Credentials come from the usual AWS environment
    /// variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
    pub fn new(settings: &S3Settings) -> Self {
        let mut config = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new(settings.region.clone()))
            .credentials_provider(
                aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
            )
            .force_path_style(settings.force_path_style);
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Self {
            client: Client::from_conf(config.build()),
            bucket: settings.bucket.clone(),
        }
    }

    /// The client, for setting up buckets in tests and tools.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl FileStore for S3Store {
    fn put<'a>(&'a self, key: &'a str, object: StoredObject) -> BoxFuture<'a, anyhow::Result<()>> {
        async move {
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(key)
                .content_type(object.content_type)
                .body(ByteStream::from(object.bytes))
                .send()
                .await
                .with_context(|| format!("storing {key} in S3 bucket {}", self.bucket))?;
            Ok(())
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        async move {
            // S3 answers a delete of a missing key with success.
            self.client
                .delete_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .with_context(|| format!("removing {key} from S3 bucket {}", self.bucket))?;
            Ok(())
        }
        .boxed()
    }

    fn download_url<'a>(
        &'a self,
        key: &'a str,
        file_name: &'a str,
        content_type: &'a str,
        expires: Duration,
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        async move {
            let presigned = self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .response_content_type(content_type)
                .response_content_disposition(super::content_disposition(file_name))
                .presigned(PresigningConfig::expires_in(expires).context("link lifetime")?)
                .await
                .with_context(|| format!("presigning {key}"))?;
            Ok(presigned.uri().to_owned())
        }
        .boxed()
    }
}
