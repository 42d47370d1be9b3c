//! One route per file.

pub mod client_detail;
pub mod client_list;
pub mod client_new;
pub mod login;

/// Browser-side checks that mirror the server's rules (the server still decides): each
/// returns the message to show, or `None` when the value is fine.
pub mod validate {
    /// Email: one `@`, something before it, a dotted domain after it, no spaces.
    pub fn email(value: &str) -> Option<&'static str> {
        let ok = value.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !local.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && domain
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        });
        (!ok).then_some("must look like name@example.com")
    }

    /// Phone: digits, spaces, + - . ( ), 7 to 15 digits, optional "ext 12" or " x12".
    pub fn phone(value: &str) -> Option<&'static str> {
        let lower = value.to_lowercase();
        let number = lower.split("ext").next().unwrap_or_default();
        let number = number.split(" x").next().unwrap_or_default();
        let body = number.trim().strip_prefix('+').unwrap_or(number.trim());
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || " -.()".contains(c))
        {
            return Some("may contain only digits, spaces, +, -, . and parentheses");
        }
        let digits = body.chars().filter(char::is_ascii_digit).count();
        (!(7..=15).contains(&digits)).then_some("must have 7 to 15 digits")
    }

    /// Website: a dotted host, optionally after http:// or https://.
    pub fn website(value: &str) -> Option<&'static str> {
        let rest = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
            .unwrap_or(value);
        if rest.contains("://") {
            return Some("must be an http or https address");
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let ok = host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !host.contains(char::is_whitespace);
        (!ok).then_some("must be a web address like acme.com")
    }
}
