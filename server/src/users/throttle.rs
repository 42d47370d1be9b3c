//! Sign-in throttling, shared by every server through PostgreSQL. Failures are counted in
//! a 15-minute window under three keys:
//! - the account tried from one address: 5 free failures, then a wait that doubles with
//!   each further one (1 s, 2 s, 4 s, … at most 5 minutes), reset by a success;
//! - the address, whatever account: 50 failures, then 15 minutes;
//! - the account, from anywhere: 100 failures, then 1 minute. An attacker spread over many
//!   addresses slows down, but can lock the real user out for a minute at a time only,
//!   and the user's own address keeps its own count.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::error::{ApiResult, AppError};

/// The keys one attempt counts under.
pub struct Keys {
    pair: String,
    address: String,
    account: String,
}

impl Keys {
    /// The keys of an attempt to sign in as `email` from `address`.
    pub fn new(email: &str, address: &str) -> Self {
        let email = email.trim().to_lowercase();
        Self {
            pair: format!("pair:{email}|{address}"),
            address: format!("address:{address}"),
            account: format!("account:{email}"),
        }
    }

    fn all(&self) -> [String; 3] {
        [
            self.pair.clone(),
            self.address.clone(),
            self.account.clone(),
        ]
    }
}

/// How long a key is blocked after its `failures`th failure in the window (0: not).
fn block_seconds(key: &str, failures: i32) -> i64 {
    if key.starts_with("pair:") {
        if failures <= 5 {
            0
        } else {
            (1_i64 << (failures - 6).min(16)).min(300)
        }
    } else if key.starts_with("address:") {
        if failures < 50 { 0 } else { 15 * 60 }
    } else if failures < 100 {
        0
    } else {
        60
    }
}

/// RATE_LIMITED when any key of the attempt is blocked now.
pub async fn check(pool: &PgPool, keys: &Keys, now: DateTime<Utc>) -> ApiResult<()> {
    let until: Option<DateTime<Utc>> = sqlx::query_scalar!(
        "select max(blocked_until) from login_throttles where key = any($1) and blocked_until > $2",
        &keys.all()[..],
        now
    )
    .fetch_one(pool)
    .await?;
    match until {
        Some(until) => Err(AppError::RateLimited {
            retry_after_seconds: u64::try_from((until - now).num_milliseconds().max(0))
                .unwrap_or(0)
                .div_ceil(1000)
                .max(1),
        }),
        None => Ok(()),
    }
}

/// Counts a failed attempt under each key, blocking those past their limit.
pub async fn failed(pool: &PgPool, keys: &Keys) -> ApiResult<()> {
    let counted = sqlx::query!(
        r#"
        insert into login_throttles (key, failures, window_started_at)
        select key, 1, now() from unnest($1::text[]) as k(key)
        on conflict (key) do update set
            failures = case when login_throttles.window_started_at < now() - interval '15 minutes'
                            then 1 else login_throttles.failures + 1 end,
            window_started_at = case
                when login_throttles.window_started_at < now() - interval '15 minutes'
                then now() else login_throttles.window_started_at end
        returning key, failures
        "#,
        &keys.all()[..]
    )
    .fetch_all(pool)
    .await?;
    for row in counted {
        let seconds = block_seconds(&row.key, row.failures);
        if seconds > 0 {
            sqlx::query!(
                "update login_throttles set blocked_until = now() + make_interval(secs => $2)
                 where key = $1",
                row.key,
                seconds as f64
            )
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

/// A success: the account's count from this address starts again.
pub async fn succeeded(pool: &PgPool, keys: &Keys) -> ApiResult<()> {
    sqlx::query!("delete from login_throttles where key = $1", keys.pair)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::block_seconds;

    #[test]
    fn waits_grow_per_key_kind_and_stay_bounded() {
        assert_eq!(block_seconds("pair:a|b", 5), 0);
        assert_eq!(block_seconds("pair:a|b", 6), 1);
        assert_eq!(block_seconds("pair:a|b", 8), 4);
        assert_eq!(block_seconds("pair:a|b", 1000), 300);
        assert_eq!(block_seconds("address:b", 49), 0);
        assert_eq!(block_seconds("address:b", 50), 900);
        assert_eq!(block_seconds("account:a", 99), 0);
        assert_eq!(block_seconds("account:a", 100), 60);
    }
}
