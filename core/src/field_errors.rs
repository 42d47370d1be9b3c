//! The one way inputs are checked: every problem is collected under the name of its field
//! (`name`, `contacts[1].email`), so a form shows them all at once.

use std::collections::BTreeMap;

/// Problems with an input, field by field: what the server reports as
/// `extensions.fields` and the app shows under each field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    prefix: String,
    errors: Vec<(String, String)>,
}

impl FieldErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The parsed value, or `None` after recording the parser's message under `field`.
    pub fn check<T, E: Into<String>>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        parsed.map_err(|message| self.add(field, message)).ok()
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .push((format!("{}{field}", self.prefix), message.into()));
    }

    /// Runs `check` with every field it names put under `prefix` (`contacts[0]` makes
    /// `email` into `contacts[0].email`).
    pub fn nest<R>(&mut self, prefix: &str, check: impl FnOnce(&mut Self) -> R) -> R {
        let outer = self.prefix.clone();
        self.prefix = format!("{outer}{prefix}.");
        let result = check(self);
        self.prefix = outer;
        result
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `build()` when nothing was recorded, else the problems. The fields `check` returned
    /// are `Some` exactly when nothing was recorded, so `build` may use `?` on them.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Self> {
        if !self.is_empty() {
            return Err(self);
        }
        build().ok_or(self)
    }

    /// The problems as (field, message) pairs, in the order found.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.errors
    }

    /// The problems by field (the first message of a field wins).
    pub fn into_map(self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for (field, message) in self.errors {
            map.entry(field).or_insert(message);
        }
        map
    }

    /// The fields with a problem, in the order found.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.errors.iter().map(|(field, _)| field.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fields_carry_their_prefix_and_finish_reports_them_all() {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", Ok::<_, String>("Acme"));
        errors.nest("contacts[1]", |e| {
            e.check("email", Err::<(), _>("must look like name@example.com"));
            e.nest("address", |e| e.add("city", "is required"));
        });
        errors.add("status", "bad");
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            ["contacts[1].email", "contacts[1].address.city", "status"]
        );
        let result = errors.finish(|| name);
        assert_eq!(result.map_err(|e| e.into_pairs().len()), Err(3));
    }

    #[test]
    fn finish_builds_the_value_when_nothing_was_recorded() {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", Ok::<_, String>("Acme"));
        assert_eq!(errors.finish(|| name), Ok("Acme"));
    }
}
