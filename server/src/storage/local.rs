//! The local store: files under a directory of the server's, served by the server itself
//! through signed, expiring links (`/files/<token>`).

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use bytes::Bytes;
use futures::{FutureExt, future::BoxFuture};

use super::{FileStore, LinkKeys, SignedFile, StoredObject};

/// Files under a directory.
pub struct LocalStore {
    root: PathBuf,
    links: LinkKeys,
}

impl LocalStore {
    /// A store under `root`, signing links with `links`.
    pub fn new(root: PathBuf, links: LinkKeys) -> Self {
        Self { root, links }
    }

    /// The path of a key. Keys are made by the server (`attachments/<uuid>/<uuid>`), and a
    /// key with anything but letters, digits, dashes and slashes is refused all the same.
    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        let safe = !key.is_empty()
            && key.split('/').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        anyhow::ensure!(safe, "not a storage key: {key:?}");
        Ok(self.root.join(key))
    }

    /// The bytes under `key`, if there are any.
    pub async fn read(&self, key: &str) -> anyhow::Result<Option<Bytes>> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading stored file {key}")),
        }
    }

    /// What a link token grants, if it is valid now.
    pub fn verify_link(&self, token: &str) -> Option<SignedFile> {
        self.links.verify(token, chrono::Utc::now())
    }
}

impl FileStore for LocalStore {
    fn put<'a>(&'a self, key: &'a str, object: StoredObject) -> BoxFuture<'a, anyhow::Result<()>> {
        async move {
            let path = self.path(key)?;
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir)
                    .await
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            // Written aside and renamed, so a reader never sees half a file.
            let partial = path.with_extension("partial");
            tokio::fs::write(&partial, &object.bytes)
                .await
                .with_context(|| format!("writing {}", partial.display()))?;
            tokio::fs::rename(&partial, &path)
                .await
                .with_context(|| format!("moving {} into place", path.display()))
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e).with_context(|| format!("removing stored file {key}")),
            }
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
            let expires = chrono::Utc::now().timestamp()
                + i64::try_from(expires.as_secs()).context("link lifetime")?;
            let token = self.links.sign(&SignedFile {
                key: key.to_owned(),
                name: file_name.to_owned(),
                content_type: content_type.to_owned(),
                expires,
            })?;
            Ok(format!("/files/{token}"))
        }
        .boxed()
    }
}
