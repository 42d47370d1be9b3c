//! Page/limit pagination as the seed's lists use it.

use async_graphql::SimpleObject;

use clientele_core::FieldErrors;

use crate::error::ApiResult;

/// Items per page when the caller does not say.
pub const DEFAULT_LIMIT: i64 = 20;
/// Most items a page may hold.
pub const MAX_LIMIT: i64 = 100;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: i64,
    /// Items per page, 1 to 100.
    pub limit: i64,
}

impl PageRequest {
    /// Checks the bounds: page ≥ 1, limit 1–100.
    pub fn parse(page: i32, limit: i32) -> ApiResult<Self> {
        let mut errors = FieldErrors::new();
        if page < 1 {
            errors.add("page", "must be 1 or more");
        }
        if !(1..=MAX_LIMIT).contains(&i64::from(limit)) {
            errors.add("limit", format!("must be between 1 and {MAX_LIMIT}"));
        }
        Ok(errors.finish(|| {
            Some(Self {
                page: i64::from(page),
                limit: i64::from(limit),
            })
        })?)
    }

    /// The complexity of a paged field: its page size times what each item asks for
    /// (a bad limit counts as the largest, and is refused when the field runs).
    pub fn complexity(limit: i32, child_complexity: usize) -> usize {
        let limit = usize::try_from(limit).unwrap_or(MAX_LIMIT as usize);
        limit.clamp(1, MAX_LIMIT as usize) * child_complexity
    }

    /// Rows to skip.
    pub fn offset(self) -> i64 {
        (self.page - 1) * self.limit
    }

    /// The page info for a total.
    pub fn info(self, total: i64) -> PageInfo {
        PageInfo {
            total,
            page: self.page,
            limit: self.limit,
            total_pages: (total + self.limit - 1) / self.limit,
        }
    }
}

/// Where a page sits in the whole list.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// Items matching, over all pages.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    /// Items per page.
    pub limit: i64,
    /// Number of pages (0 when nothing matches).
    pub total_pages: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(PageRequest::parse(1, 1).is_ok());
        assert!(PageRequest::parse(1, 100).is_ok());
        for (page, limit) in [(0, 20), (1, 0), (1, 101), (-1, 20)] {
            let err = PageRequest::parse(page, limit).err().map(|e| e.code());
            assert_eq!(err, Some("VALIDATION"), "page {page} limit {limit}");
        }
    }

    #[test]
    fn page_info_rounds_pages_up() -> Result<(), String> {
        let page = PageRequest::parse(3, 20).map_err(|e| format!("{e:?}"))?;
        assert_eq!(page.offset(), 40);
        assert_eq!(page.info(41).total_pages, 3);
        assert_eq!(page.info(40).total_pages, 2);
        assert_eq!(page.info(0).total_pages, 0);
        Ok(())
    }
}
