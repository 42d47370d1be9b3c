//! What a request costs, and what each caller may spend. Every answer carries
//! `extensions.cost { complexity, depth }` as the validator computed them (each field counts
//! 1, a paged field its page size times what each item asks for). Each signed-in caller has
//! a budget of complexity points per minute, a token bucket kept in this process (every
//! replica keeps its own, so behind N replicas a caller may spend up to N budgets); a query
//! that would overdraw it is refused before it runs, as `RATE_LIMITED` with
//! `extensions.retryAfterSeconds`.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use async_graphql::{
    Response, ServerError, ValidationResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest, NextValidation},
    value,
};
use uuid::Uuid;

use super::ApiContext;
use crate::{auth::Viewer, error::AppError};

/// Complexity points per caller and minute.
pub struct CostBudget {
    per_minute: f64,
    buckets: Mutex<HashMap<Uuid, Bucket>>,
}

struct Bucket {
    points: f64,
    at: Instant,
}

impl CostBudget {
    /// A budget of `per_minute` points per caller, refilled continuously.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes `cost` points from `caller`'s bucket at `now`, or says how long until it holds
    /// them (a query dearer than the whole budget waits for a full bucket and is let
    /// through then, so a minute's budget below the complexity limit cannot lock a caller
    /// out for good).
    pub fn take(&self, caller: Uuid, cost: usize, now: Instant) -> Result<(), Duration> {
        let rate = self.per_minute / 60.0;
        let cost = (cost as f64).min(self.per_minute);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(caller).or_insert(Bucket {
            points: self.per_minute,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.points = (bucket.points + elapsed * rate).min(self.per_minute);
        bucket.at = now;
        if bucket.points >= cost {
            bucket.points -= cost;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((cost - bucket.points) / rate))
        }
    }
}

/// The extension that reports each request's cost and charges it to the caller's budget.
pub struct Cost;

impl ExtensionFactory for Cost {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostExtension::default())
    }
}

#[derive(Default)]
struct CostExtension {
    measured: Mutex<Option<ValidationResult>>,
}

#[async_trait::async_trait]
impl Extension for CostExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let response = next.run(ctx).await;
        let measured = self
            .measured
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        match measured {
            Some(cost) => response.extension(
                "cost",
                value!({ "complexity": cost.complexity, "depth": cost.depth }),
            ),
            None => response,
        }
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        *self
            .measured
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
        if let (Some(viewer), Some(api)) = (ctx.data_opt::<Viewer>(), ctx.data_opt::<ApiContext>())
            && let Err(wait) = api
                .cost
                .take(viewer.user_id, result.complexity, Instant::now())
        {
            let error = AppError::RateLimited {
                retry_after_seconds: wait.as_secs() + 1,
            };
            let error: async_graphql::Error = error.into();
            return Err(vec![error.into_server_error(async_graphql::Pos::default())]);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refills_at_its_rate_and_never_past_its_size() {
        let budget = CostBudget::new(600); // 10 points a second
        let caller = Uuid::new_v4();
        let start = Instant::now();
        assert_eq!(budget.take(caller, 500, start), Ok(()));
        assert_eq!(budget.take(caller, 100, start), Ok(()));
        let wait = budget.take(caller, 50, start).err().unwrap_or_default();
        assert_eq!(wait.as_secs(), 5);
        assert_eq!(
            budget.take(caller, 50, start + Duration::from_secs(5)),
            Ok(())
        );
        // An hour idle fills it to 600, no more.
        let later = start + Duration::from_secs(3600);
        assert_eq!(budget.take(caller, 600, later), Ok(()));
        assert!(budget.take(caller, 1, later).is_err());
        // Another caller has a budget of its own.
        assert_eq!(budget.take(Uuid::new_v4(), 600, later), Ok(()));
        // A query dearer than the budget waits for a full bucket, then runs.
        let full = later + Duration::from_secs(60);
        assert_eq!(budget.take(caller, 10_000, full), Ok(()));
    }
}
