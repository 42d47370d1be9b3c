//! Email templates: files in `server/templates/email/<name>/` (`subject.txt`, `body.txt`,
//! `body.html`), compiled into the binary and rendered with minijinja. Everything a user
//! typed is escaped in the HTML part (auto-escaping by the `.html` name) and kept on one
//! line in the subject, so a client called `<script>` or a name with a line break can
//! change neither the markup nor the headers.

use std::sync::OnceLock;

use anyhow::Context as _;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;

/// A rendered email, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The template's name.
    pub template: &'static str,
    /// One line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "welcome/subject.txt",
        include_str!("../../templates/email/welcome/subject.txt"),
    ),
    (
        "welcome/body.txt",
        include_str!("../../templates/email/welcome/body.txt"),
    ),
    (
        "welcome/body.html",
        include_str!("../../templates/email/welcome/body.html"),
    ),
    (
        "feedback_reminder/subject.txt",
        include_str!("../../templates/email/feedback_reminder/subject.txt"),
    ),
    (
        "feedback_reminder/body.txt",
        include_str!("../../templates/email/feedback_reminder/body.txt"),
    ),
    (
        "feedback_reminder/body.html",
        include_str!("../../templates/email/feedback_reminder/body.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_trim_blocks(true);
        for (name, source) in TEMPLATES {
            // The templates are ours and compiled in; a broken one fails the unit tests.
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(%error, template = name, "an email template does not parse");
            }
        }
        env
    })
}

/// Renders the template `name` with `context`.
pub fn render(name: &'static str, context: &impl Serialize) -> anyhow::Result<Rendered> {
    let env = environment();
    let part = |file: &str| -> anyhow::Result<String> {
        env.get_template(&format!("{name}/{file}"))
            .and_then(|template| template.render(context))
            .with_context(|| format!("rendering the email template {name}/{file}"))
    };
    let subject = part("subject.txt")?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Rendered {
        template: name,
        subject,
        text: part("body.txt")?,
        html: part("body.html")?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn user_text_is_escaped_in_html_and_kept_on_one_line_in_the_subject() -> anyhow::Result<()> {
        let email = render(
            "welcome",
            &json!({
                "client_name": "<script>alert(1)</script> & Co\r\nBcc: evil@example.com",
                "client_code": "CLT-2026-0001",
                "contact_name": "Ann \"O'Neil\"",
                "manager_name": "Mia <b>Kraft</b>",
                "manager_email": "mia@agency.example",
            }),
        )?;
        assert!(!email.subject.contains('\n') && !email.subject.contains('\r'));
        assert!(email.subject.contains("<script>"), "text parts stay text");
        assert!(!email.html.contains("<script>"), "{}", email.html);
        assert!(
            email
                .html
                .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; Co")
        );
        assert!(email.html.contains("Mia &lt;b&gt;Kraft&lt;&#x2f;b&gt;"));
        assert!(
            email
                .text
                .contains("Mia <b>Kraft</b> is your account manager")
        );
        assert!(email.text.contains("CLT-2026-0001"));
        Ok(())
    }

    #[test]
    fn the_reminder_lists_every_client_and_counts_them() -> anyhow::Result<()> {
        let email = render(
            "feedback_reminder",
            &json!({
                "manager_name": "Mia",
                "quarter": "2026-Q4",
                "clients": [
                    { "name": "Acme", "code": "CLT-2026-0001", "last_feedback": "2026-06-30" },
                    { "name": "Globex", "code": "CLT-2026-0002", "last_feedback": null },
                ],
            }),
        )?;
        assert_eq!(email.subject, "Feedback due for 2 clients in 2026-Q4");
        assert!(
            email
                .text
                .contains("- Acme (CLT-2026-0001), last feedback: 2026-06-30")
        );
        assert!(
            email
                .text
                .contains("- Globex (CLT-2026-0002), last feedback: never")
        );
        assert!(
            email
                .html
                .contains("<td style=\"padding: 4px 12px 4px 0\">Globex</td>")
        );
        let one = render(
            "feedback_reminder",
            &json!({ "manager_name": "Mia", "quarter": "2026-Q4", "clients": [{ "name": "A", "code": "C", "last_feedback": null }] }),
        )?;
        assert_eq!(one.subject, "Feedback due for 1 client in 2026-Q4");
        Ok(())
    }
}
