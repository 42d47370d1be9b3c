//! The `stored_files` table: what we know of files we keep outside attachments (logos,
//! later rendered reports), and the `StoredFileById` loader. Private to `uploads`.

use std::collections::HashMap;

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::StoredFile;
use crate::{
    error::AppError,
    graphql::loaders::{PgLoader, StoredFileById},
};

/// Records a stored file.
pub async fn insert(db: &mut PgConnection, file: &StoredFile) -> sqlx::Result<()> {
    sqlx::query!(
        r#"
        insert into stored_files (id, storage_key, file_name, content_type, size_bytes, sha256,
                                  scan_status, uploaded_by, created_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        "#,
        file.id,
        file.storage_key,
        file.file_name,
        file.content_type,
        file.size_bytes,
        file.sha256,
        file.scan_status,
        file.uploaded_by,
        file.uploaded_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets a stored file; its storage key, if it was recorded.
pub async fn delete(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "delete from stored_files where id = $1 returning storage_key",
        id
    )
    .fetch_optional(db)
    .await
}

/// Stored files by id.
pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<StoredFile>> {
    sqlx::query_as!(
        StoredFile,
        r#"
        select id, storage_key, file_name, content_type, size_bytes, sha256, scan_status,
               uploaded_by, created_at as uploaded_at
        from stored_files
        where id = any($1)
        "#,
        ids
    )
    .fetch_all(db)
    .await
}

impl async_graphql::dataloader::Loader<StoredFileById> for PgLoader {
    type Value = StoredFile;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[StoredFileById],
    ) -> Result<HashMap<StoredFileById, StoredFile>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let files = by_ids(&self.pool, &ids).await?;
        Ok(files
            .into_iter()
            .map(|f| (StoredFileById(f.id), f))
            .collect())
    }
}
