//! Where uploaded files live: one [`FileStore`] interface with a local backend (files under
//! the data directory, downloaded through links the server signs and serves) and an S3
//! backend (presigned links). Rows that describe a file are written only after the file is
//! stored, and a file whose row could not be written is removed again.

mod links;
mod local;
mod s3;

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use futures::future::BoxFuture;

pub use links::{LinkKeys, SignedFile};
pub use local::LocalStore;
pub use s3::{S3Settings, S3Store};

/// A file to store: its bytes and how it is to be served.
#[derive(Debug, Clone)]
pub struct StoredObject {
    /// The bytes.
    pub bytes: Bytes,
    /// The content type the file was found to be.
    pub content_type: String,
}

/// A place files are kept. Keys are ours (`attachments/<communication>/<file>`), never a
/// user's file name.
pub trait FileStore: Send + Sync {
    /// Stores a file under `key`, replacing any there.
    fn put<'a>(&'a self, key: &'a str, object: StoredObject) -> BoxFuture<'a, anyhow::Result<()>>;

    /// Removes the file under `key`; removing a missing file is not an error.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>>;

    /// A link that downloads the file for `expires`, named `file_name`.
    fn download_url<'a>(
        &'a self,
        key: &'a str,
        file_name: &'a str,
        content_type: &'a str,
        expires: Duration,
    ) -> BoxFuture<'a, anyhow::Result<String>>;
}

/// The configured store, shared by every request.
pub type Storage = Arc<dyn FileStore>;

/// The longest a download link may live.
pub const MAX_LINK_LIFETIME: Duration = Duration::from_secs(3600);

/// `attachment` with the name twice: ASCII for old clients, UTF-8 (RFC 5987) for the rest.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn names_are_quoted_safely_and_kept_in_utf8() {
        assert_eq!(
            content_disposition("Q3 \"plan\" é.pdf"),
            "attachment; filename=\"Q3 _plan_ _.pdf\"; filename*=UTF-8''Q3%20%22plan%22%20%C3%A9.pdf"
        );
    }
}
