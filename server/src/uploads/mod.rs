//! Files people upload: the size limit, the type told by the bytes against an allowlist,
//! the sha256, a safe file name, and (when configured) a virus scan. What passes is a
//! [`ReceivedFile`], ready to store.

pub mod multipart;
mod scan;
mod sniff;
mod sql;

use async_graphql::UploadValue;
use bytes::Bytes;
use sha2::{Digest, Sha256};

pub use sniff::{FileType, sniff};

use crate::error::{ApiResult, AppError};

/// What an upload is for; each has its size limit and allowed types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// A communication's attachment.
    Attachment,
    /// A client's logo.
    Logo,
}

impl UploadKind {
    fn allows(self, file_type: FileType) -> Result<(), &'static str> {
        use FileType::*;
        match (self, file_type) {
            (Self::Logo, Png | Jpeg | Webp) => Ok(()),
            (Self::Logo, Svg) => {
                Err("SVG logos are not accepted (an SVG can carry scripts); use PNG, JPEG or WebP")
            }
            (Self::Logo, _) => Err("a logo must be a PNG, JPEG or WebP image"),
            (Self::Attachment, Svg) => {
                Err("SVG files are not accepted as attachments; export the drawing as PDF or PNG")
            }
            (Self::Attachment, _) => Ok(()),
        }
    }
}

/// An upload that passed every check.
#[derive(Debug, Clone)]
pub struct ReceivedFile {
    /// A safe name to show and to save the file as.
    pub file_name: String,
    /// What the bytes are.
    pub file_type: FileType,
    /// The bytes.
    pub bytes: Bytes,
    /// Hex sha256 of the bytes.
    pub sha256: String,
    /// Whether a virus scanner found it clean (false: no scanner is configured).
    pub scanned: bool,
}

/// Checks an upload for `kind`: size, type by content, name, and with the clamd at
/// `scanner` a virus scan (an infected file, or a scanner that cannot be reached, refuses it).
pub async fn receive(
    upload: UploadValue,
    kind: UploadKind,
    max_bytes: u64,
    scanner: Option<&str>,
) -> ApiResult<ReceivedFile> {
    let bytes = upload.content;
    if bytes.len() as u64 > max_bytes {
        crate::metrics::upload_refused("too_large");
        return Err(AppError::PayloadTooLarge(too_large(max_bytes)));
    }
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "is empty"));
    }
    let file_type = sniff(&bytes).ok_or_else(|| {
        crate::metrics::upload_refused("unsupported_type");
        AppError::UnsupportedMediaType(
            "this type of file is not accepted: PDF, PNG, JPEG, GIF, WebP, Word, Excel, \
             PowerPoint, plain text or CSV"
                .to_owned(),
        )
    })?;
    kind.allows(file_type).map_err(|why| {
        crate::metrics::upload_refused("unsupported_type");
        AppError::UnsupportedMediaType(why.to_owned())
    })?;
    let scanned = match scanner {
        None => false,
        Some(addr) => match scan::scan(addr, &bytes).await {
            Ok(scan::Verdict::Clean) => true,
            Ok(scan::Verdict::Infected(signature)) => {
                tracing::warn!(%signature, file = %upload.filename, "an infected upload was refused");
                crate::metrics::upload_refused("infected");
                return Err(AppError::Infected(signature));
            }
            Err(error) => {
                tracing::error!(error = ?error, "the virus scanner failed; the upload is refused");
                crate::metrics::upload_refused("scanner_down");
                return Err(AppError::Unavailable("the virus scanner"));
            }
        },
    };
    Ok(ReceivedFile {
        file_name: safe_file_name(&upload.filename, file_type),
        sha256: hex(&Sha256::digest(&bytes)),
        file_type,
        bytes,
        scanned,
    })
}

/// A file we keep outside attachments (a client's logo), as recorded in `stored_files`.
#[derive(Debug, Clone, PartialEq, Eq, async_graphql::SimpleObject)]
#[graphql(complex)]
pub struct StoredFile {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: uuid::Uuid,
    /// Where the store keeps it.
    #[graphql(skip)]
    pub storage_key: String,
    /// The file's name (made safe).
    pub file_name: String,
    /// What the file is, told by its content.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// `not_scanned` or `clean`.
    #[graphql(skip)]
    pub scan_status: String,
    /// Who uploaded it.
    #[graphql(skip)]
    pub uploaded_by: Option<uuid::Uuid>,
    /// When it was uploaded.
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
}

#[async_graphql::ComplexObject]
impl StoredFile {
    /// A link to the file, valid for `expiresInSeconds` (at most an hour).
    async fn url(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(default = 300)] expires_in_seconds: i32,
    ) -> ApiResult<String> {
        let lifetime = link_lifetime(expires_in_seconds)?;
        Ok(crate::graphql::state(ctx)
            .storage
            .download_url(
                &self.storage_key,
                &self.file_name,
                &self.content_type,
                lifetime,
            )
            .await?)
    }
}

impl StoredFile {
    /// The record of a checked upload about to be stored under `folder/<new id>`.
    pub fn describe(folder: &str, file: &ReceivedFile, uploaded_by: uuid::Uuid) -> Self {
        let id = uuid::Uuid::new_v4();
        Self {
            id,
            storage_key: format!("{folder}/{id}"),
            file_name: file.file_name.clone(),
            content_type: file.file_type.mime().to_owned(),
            size_bytes: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
            sha256: file.sha256.clone(),
            scan_status: if file.scanned { "clean" } else { "not_scanned" }.to_owned(),
            uploaded_by: Some(uploaded_by),
            uploaded_at: chrono::Utc::now(),
        }
    }

    /// The record of a file the server made itself (a rendered report), about to be stored
    /// under `folder/<new id>`. Nobody uploaded it, so there is nothing to scan.
    pub fn generated(
        folder: &str,
        name: &str,
        file_type: FileType,
        bytes: &[u8],
        by: uuid::Uuid,
    ) -> Self {
        let id = uuid::Uuid::new_v4();
        Self {
            id,
            storage_key: format!("{folder}/{id}"),
            file_name: safe_file_name(name, file_type),
            content_type: file_type.mime().to_owned(),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256: hex(&Sha256::digest(bytes)),
            scan_status: "not_scanned".to_owned(),
            uploaded_by: Some(by),
            uploaded_at: chrono::Utc::now(),
        }
    }
}

/// Records a stored file, in the caller's transaction.
pub async fn record_file(db: &mut sqlx::PgConnection, file: &StoredFile) -> ApiResult<()> {
    Ok(sql::insert(db, file).await?)
}

/// Forgets a stored file, in the caller's transaction; its key, to remove from the store
/// once the transaction has committed.
pub async fn forget_file(db: &mut sqlx::PgConnection, id: uuid::Uuid) -> ApiResult<Option<String>> {
    Ok(sql::delete(db, id).await?)
}

/// A link lifetime from its argument: 1 second to an hour.
pub fn link_lifetime(seconds: i32) -> ApiResult<std::time::Duration> {
    let max = crate::storage::MAX_LINK_LIFETIME.as_secs();
    match u64::try_from(seconds) {
        Ok(s) if (1..=max).contains(&s) => Ok(std::time::Duration::from_secs(s)),
        _ => Err(AppError::invalid(
            "expiresInSeconds",
            format!("must be between 1 and {max}"),
        )),
    }
}

/// The message of a file over its limit.
pub fn too_large(max_bytes: u64) -> String {
    format!(
        "the file is larger than {:.0} MB",
        max_bytes as f64 / (1024.0 * 1024.0)
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A name safe to show and to save as: the last path component, without control or
/// reserved characters, at most 150 characters, ending in the extension of what the bytes
/// are (a PDF called `invoice.exe` is saved as `invoice.exe.pdf`).
pub fn safe_file_name(raw: &str, file_type: FileType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').trim();
    let stem: String = if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.chars().take(150).collect()
    };
    let extension = file_type.extension();
    let has_extension = stem.rsplit_once('.').is_some_and(|(_, ext)| {
        ext.eq_ignore_ascii_case(extension)
            || (file_type == FileType::Jpeg && ext.eq_ignore_ascii_case("jpeg"))
    });
    if has_extension {
        stem
    } else {
        format!("{stem}.{extension}")
    }
}

/// The file of this request's `Upload` argument, checked for `kind` with the server's limit
/// and virus scanner.
pub async fn received(
    ctx: &async_graphql::Context<'_>,
    file: async_graphql::Upload,
    kind: UploadKind,
) -> ApiResult<ReceivedFile> {
    let config = &crate::graphql::state(ctx).config;
    let upload = file
        .value(ctx)
        .map_err(|_| AppError::invalid("file", "is missing from the multipart body"))?;
    let limit = match kind {
        UploadKind::Attachment => config.attachment_max_bytes,
        UploadKind::Logo => config.logo_max_bytes,
    };
    receive(upload, kind, limit, config.clamav_addr.as_deref()).await
}

/// Stores a file, then runs `record` (the row that describes it) in a transaction of its
/// own. If storing fails, nothing is recorded; if recording fails, the stored file is removed
/// again. Either way nothing is left half done.
pub async fn store_then_record<T>(
    pool: &sqlx::PgPool,
    storage: &dyn crate::storage::FileStore,
    key: &str,
    object: crate::storage::StoredObject,
    record: impl for<'c> FnOnce(
        &'c mut sqlx::PgConnection,
    ) -> futures::future::BoxFuture<'c, ApiResult<T>>,
) -> ApiResult<T> {
    if let Err(error) = storage.put(key, object).await {
        crate::metrics::upload_refused("storage_failed");
        return Err(error.into());
    }
    let recorded = async {
        let mut tx = pool.begin().await?;
        let value = record(&mut tx).await?;
        tx.commit().await?;
        Ok(value)
    }
    .await;
    if recorded.is_err()
        && let Err(error) = storage.delete(key).await
    {
        tracing::error!(error = ?error, %key, "removing a stored file whose record failed");
    }
    recorded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_made_safe_and_honest() {
        let cases = [
            ("report.pdf", FileType::Pdf, "report.pdf"),
            ("../../etc/passwd", FileType::Text, "passwd.txt"),
            (
                "C:\\Users\\ann\\Q3 plan.docx",
                FileType::Docx,
                "Q3 plan.docx",
            ),
            ("invoice.exe", FileType::Pdf, "invoice.exe.pdf"),
            ("photo.JPEG", FileType::Jpeg, "photo.JPEG"),
            (
                "a<b>c:d\"e|f?g*h\u{0}.png",
                FileType::Png,
                "a_b_c_d_e_f_g_h_.png",
            ),
            ("", FileType::Csv, "file.csv"),
            ("...", FileType::Pdf, "file.pdf"),
        ];
        for (raw, kind, expected) in cases {
            assert_eq!(safe_file_name(raw, kind), expected, "{raw:?}");
        }
        assert!(
            safe_file_name(&"x".repeat(500), FileType::Pdf)
                .chars()
                .count()
                <= 154
        );
    }

    #[test]
    fn each_kind_has_its_allowlist() {
        assert!(UploadKind::Logo.allows(FileType::Png).is_ok());
        assert!(UploadKind::Logo.allows(FileType::Pdf).is_err());
        assert!(UploadKind::Logo.allows(FileType::Svg).is_err());
        assert!(UploadKind::Attachment.allows(FileType::Xlsx).is_ok());
        assert!(UploadKind::Attachment.allows(FileType::Svg).is_err());
    }
}
