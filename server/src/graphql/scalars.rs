//! Input helpers every domain shares: the `ID` scalar holds a UUID, and a patch field may be
//! left out (keep), `null` (clear) or given (replace).

use async_graphql::{ID, MaybeUndefined};
use uuid::Uuid;

use crate::error::{ApiResult, AppError};

/// The message of an `ID` that holds no UUID.
pub const NOT_AN_ID: &str = "is not a valid id";

/// The UUID an `ID` holds.
pub fn uuid_of(id: &ID) -> Result<Uuid, &'static str> {
    Uuid::parse_str(id).map_err(|_| NOT_AN_ID)
}

/// Parses an `ID` argument; `field` names the argument in the error.
pub fn parse_id(id: &ID, field: &str) -> ApiResult<Uuid> {
    uuid_of(id).map_err(|message| AppError::invalid(field, message))
}

/// The UUID an optional `ID` holds.
pub fn optional_uuid(id: Option<&ID>) -> Result<Option<Uuid>, &'static str> {
    id.map(uuid_of).transpose()
}

/// An `ID` patch field as a UUID patch.
pub fn uuid_change(id: &MaybeUndefined<ID>) -> Result<MaybeUndefined<Uuid>, &'static str> {
    Ok(match id {
        MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        MaybeUndefined::Null => MaybeUndefined::Null,
        MaybeUndefined::Value(id) => MaybeUndefined::Value(uuid_of(id)?),
    })
}

/// An optional text field after a patch: kept, cleared or replaced.
pub fn changed<'a>(
    change: &'a MaybeUndefined<String>,
    current: &'a Option<String>,
) -> Option<&'a str> {
    match change {
        MaybeUndefined::Undefined => current.as_deref(),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(value) => Some(value),
    }
}

/// A calendar day, `YYYY-MM-DD` (the `Date` scalar of DESIGN.md).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type, serde::Serialize,
)]
#[sqlx(transparent)]
pub struct Date(pub chrono::NaiveDate);

/// A calendar day as `YYYY-MM-DD`, e.g. `2026-11-25`.
#[async_graphql::Scalar(name = "Date")]
impl async_graphql::ScalarType for Date {
    fn parse(value: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            async_graphql::Value::String(text) => {
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(Date)
                    .map_err(|_| {
                        async_graphql::InputValueError::custom("must be a date like 2026-11-25")
                    })
            }
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl Date {
    /// Today in UTC, the calendar every date rule uses.
    pub fn today() -> Self {
        Self(chrono::Utc::now().date_naive())
    }

    /// Midnight UTC at the start of this day.
    pub fn start(self) -> chrono::DateTime<chrono::Utc> {
        self.0.and_time(chrono::NaiveTime::MIN).and_utc()
    }
}
