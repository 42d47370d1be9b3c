//! The figures of jobs' pipelines: candidates per stage now, who ever reached each stage,
//! days to hire and quality, counted in SQL.

use std::collections::HashMap;

use clientele_core::ApplicationStage;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{
    error::AppError,
    graphql::loaders::{PgLoader, PipelineByJob},
};

/// Candidates per stage of each job in `ids` (stages with none are absent).
pub async fn stage_counts(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, ApplicationStage, i64)>> {
    let rows = sqlx::query!(
        r#"
        select job_id, stage as "stage: ApplicationStage", count(*) as "count!"
        from applications
        where job_id = any($1)
        group by job_id, stage
        "#,
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.job_id, r.stage, r.count))
        .collect())
}

impl async_graphql::dataloader::Loader<PipelineByJob> for PgLoader {
    type Value = Vec<(ApplicationStage, i64)>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[PipelineByJob],
    ) -> Result<HashMap<PipelineByJob, Self::Value>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut found: HashMap<PipelineByJob, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for (job, stage, count) in stage_counts(&self.pool, &ids).await? {
            found
                .entry(PipelineByJob(job))
                .or_default()
                .push((stage, count));
        }
        Ok(found)
    }
}

/// One job's figures beyond its current pipeline.
pub struct JobFigures {
    pub reached: Vec<(ApplicationStage, i64)>,
    pub average_days_to_hire: Option<f64>,
    pub average_quality_score: Option<f64>,
}

/// How many candidates of a job ever reached each stage (by its history, or being in it
/// now), the average days from applying to being hired, and the average quality score.
pub async fn job_figures(db: impl PgExecutor<'_>, job_id: Uuid) -> sqlx::Result<JobFigures> {
    let row = sqlx::query!(
        r#"
        with apps as (select id, stage, created_at, quality_score from applications where job_id = $1),
        reached as (
            select stage, count(distinct application_id) as n
            from (
                select h.application_id, h.stage
                from application_stage_history h join apps a on a.id = h.application_id
                union
                select id, stage from apps
            ) every_stage
            group by stage
        )
        select
            (select coalesce(json_agg(json_build_array(stage, n)), '[]'::json) from reached)
                as "reached!: sqlx::types::Json<Vec<(String, i64)>>",
            (select avg(extract(epoch from h.entered_at - a.created_at) / 86400)::float8
             from apps a join application_stage_history h on h.application_id = a.id
             where h.stage = 'hired') as days_to_hire,
            (select avg(quality_score)::float8 from apps) as quality
        "#,
        job_id
    )
    .fetch_one(db)
    .await?;
    let reached = row
        .reached
        .0
        .into_iter()
        .filter_map(|(stage, n)| stage.parse().ok().map(|s| (s, n)))
        .collect();
    Ok(JobFigures {
        reached,
        average_days_to_hire: row.days_to_hire,
        average_quality_score: row.quality,
    })
}
