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
