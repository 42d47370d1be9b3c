//! Value types several domains share: email addresses, phone numbers, websites and plain
//! bounded text. Each is parsed once at the edge, so a value of these types is always valid.

use std::fmt;

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses and trims an address; the domain is lower-cased.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("is required");
        }
        if raw.len() > 254 {
            return Err("is longer than 254 characters");
        }
        let Some((local, domain)) = raw.rsplit_once('@') else {
            return Err("must look like name@example.com");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.chars().any(|c| c.is_whitespace() || c.is_control());
        if !domain_ok || !local_ok {
            return Err("must look like name@example.com");
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-case domain after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as people write it: digits with optional `+`, spaces, dots, dashes,
/// parentheses and an extension; 7 to 15 digits before any extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Parses and trims a number, keeping the way it was written.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        let lower = raw.to_lowercase();
        let (number, extension) = match lower.split_once("ext") {
            Some((n, e)) => (n.trim_end(), Some(e.trim_start_matches(['.', ':', ' ']))),
            None => match lower.split_once(" x") {
                Some((n, e)) => (n, Some(e)),
                None => (lower.as_str(), None),
            },
        };
        if let Some(ext) = extension
            && (ext.is_empty() || ext.len() > 6 || !ext.chars().all(|c| c.is_ascii_digit()))
        {
            return Err("has a malformed extension");
        }
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')');
        let body = number.strip_prefix('+').unwrap_or(number);
        if !body.chars().all(allowed) {
            return Err("may contain only digits, spaces, +, -, . and parentheses");
        }
        let digits = body.chars().filter(char::is_ascii_digit).count();
        if !(7..=15).contains(&digits) {
            return Err("must have 7 to 15 digits");
        }
        Ok(Self(raw.to_owned()))
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A company website: an http(s) URL with a dotted host. A bare `acme.com` gets `https://`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website {
    url: String,
    domain: String,
}

impl Website {
    /// Parses a website, normalising the scheme and host.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("is empty");
        }
        let with_scheme = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("https://{raw}")
        };
        let url = parse_url(&with_scheme).ok_or("must be a web address like acme.com")?;
        if !matches!(url.scheme.as_str(), "http" | "https") {
            return Err("must be an http or https address");
        }
        let host = url
            .host
            .filter(|h| h.contains('.') && !h.ends_with('.'))
            .ok_or("must be a web address like acme.com")?
            .to_lowercase();
        let domain = host.strip_prefix("www.").unwrap_or(&host).to_owned();
        // `acme.com` reads as `https://acme.com`, not `https://acme.com/`: the root path's
        // slash goes unless it was typed (nothing follows it: no query, no fragment).
        let mut text = url.href;
        if url.path == "/" && text.ends_with('/') && !raw.ends_with('/') {
            text.pop();
        }
        Ok(Self { url: text, domain })
    }

    /// The normalised URL.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The host without `www.`, lower case: what duplicate detection compares.
    pub fn domain(&self) -> &str {
        &self.domain
    }
}

/// The parts of a URL the website rule reads, from a WHATWG URL parser.
struct ParsedUrl {
    /// Without its `:`.
    scheme: String,
    /// Lower case, international names in punycode; none for `mailto:` and the like.
    host: Option<String>,
    path: String,
    /// The whole URL, serialised.
    href: String,
}

/// The `url` crate's parser (the WHATWG URL Standard).
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn parse_url(text: &str) -> Option<ParsedUrl> {
    let url = url::Url::parse(text).ok()?;
    Some(ParsedUrl {
        scheme: url.scheme().to_owned(),
        host: url.host_str().map(str::to_owned),
        path: url.path().to_owned(),
        href: url.into(),
    })
}

/// In the browser, its own `URL` (the same WHATWG URL Standard): the `url` crate's Unicode
/// tables would add about 55 KB of brotli to the app.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn parse_url(text: &str) -> Option<ParsedUrl> {
    let url = web_sys::Url::new(text).ok()?;
    Some(ParsedUrl {
        scheme: url.protocol().trim_end_matches(':').to_owned(),
        host: Some(url.hostname()).filter(|h| !h.is_empty()),
        path: url.pathname(),
        href: url.href(),
    })
}

/// Email domains anyone can have: a shared one says nothing about two clients being one.
pub fn is_public_email_domain(domain: &str) -> bool {
    const PUBLIC: &[&str] = &[
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "yandex.com",
        "zoho.com",
        "fastmail.com",
    ];
    PUBLIC.contains(&domain)
}

/// Optional free text, trimmed, with an upper bound; blank becomes `None`. A NUL character
/// is refused: PostgreSQL cannot store it in text.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > max => {
            Err(format!("must be at most {max} characters"))
        }
        Some(text) if text.contains('\0') => Err(NUL_MESSAGE.to_owned()),
        Some(text) => Ok(Some(text.to_owned())),
    }
}

/// Why text with a NUL character is refused.
pub const NUL_MESSAGE: &str = "must not contain the NUL character (\\0)";

/// A blank value is absent; anything else must parse.
pub fn parse_optional<T>(
    raw: Option<&str>,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, &'static str> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some),
    }
}

/// Required text, trimmed, between 1 and `max` characters.
pub fn required_text(raw: &str, max: usize) -> Result<String, String> {
    match optional_text(Some(raw), max)? {
        Some(text) => Ok(text),
        None => Err("is required".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn emails() {
        let cases = [
            ("jane@acme.com", true),
            ("  Jane.Doe+hr@ACME.co.uk ", true),
            ("jane@acme", false),
            ("jane.acme.com", false),
            ("@acme.com", false),
            ("jane@.acme.com", false),
            ("jane doe@acme.com", false),
            ("jane@acme..com", false),
            ("", false),
        ];
        for (raw, ok) in cases {
            assert_eq!(Email::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert_eq!(
            Email::parse("Jane@ACME.com").map(|e| e.domain().to_owned()),
            Ok("acme.com".into())
        );
    }

    #[test]
    fn phones() {
        let cases = [
            ("+1 (555) 123-4567", true),
            ("555.123.4567", true),
            ("+44 20 7946 0958 ext 12", true),
            ("0301234567 x55", true),
            ("12345", false),
            ("call me maybe", false),
            ("+1 555 123 4567 8901 2345", false),
            ("555-1234 ext", false),
        ];
        for (raw, ok) in cases {
            assert_eq!(Phone::parse(raw).is_ok(), ok, "{raw:?}");
        }
    }

    #[test]
    fn websites_normalise_scheme_and_domain() {
        let site = Website::parse("WWW.Acme.com").expect("valid");
        assert_eq!(site.as_str(), "https://www.acme.com");
        assert_eq!(site.domain(), "acme.com");
        let site = Website::parse("http://careers.acme.com/jobs").expect("valid");
        assert_eq!(site.domain(), "careers.acme.com");
        for bad in ["acme", "ftp://acme.com", "https://", "not a url at all"] {
            assert!(Website::parse(bad).is_err(), "{bad}");
        }
        // The root's slash stays when typed, or when a query or fragment follows it.
        for (raw, url) in [
            ("acme.com/", "https://acme.com/"),
            ("acme.com?", "https://acme.com/?"),
            ("acme.com#jobs", "https://acme.com/#jobs"),
            ("Bücher.example", "https://xn--bcher-kva.example"),
        ] {
            assert_eq!(
                Website::parse(raw).map(|s| s.url),
                Ok(url.to_owned()),
                "{raw}"
            );
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_free_of_nul() {
        assert_eq!(
            optional_text(Some("  Acme "), 10),
            Ok(Some("Acme".to_owned()))
        );
        assert_eq!(optional_text(Some("   "), 10), Ok(None));
        assert!(optional_text(Some("a\0b"), 10).is_err());
        assert!(
            optional_text(Some("ééééé"), 5).is_ok(),
            "characters, not bytes"
        );
        assert!(optional_text(Some("éééééé"), 5).is_err());
        assert_eq!(required_text(" ", 5), Err("is required".to_owned()));
    }

    #[test]
    fn public_domains_are_recognised() {
        assert!(is_public_email_domain("gmail.com"));
        assert!(!is_public_email_domain("acme.com"));
    }

    proptest! {
        #[test]
        fn any_parsed_email_has_one_dotted_domain(local in "[a-z0-9._+-]{1,20}", host in "[a-z0-9-]{1,20}", tld in "[a-z]{2,6}") {
            let email = Email::parse(&format!("{local}@{host}.{tld}")).expect("valid address");
            prop_assert_eq!(email.domain(), format!("{host}.{tld}"));
        }

        #[test]
        fn email_parsing_never_panics(raw in ".{0,80}") {
            let _ = Email::parse(&raw);
        }

        #[test]
        fn phone_parsing_never_panics(raw in ".{0,40}") {
            let _ = Phone::parse(&raw);
        }

        #[test]
        fn parsed_phones_have_7_to_15_digits(digits in "[0-9]{7,15}") {
            prop_assert!(Phone::parse(&digits).is_ok());
        }
    }
}
