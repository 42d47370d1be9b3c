//! How an email leaves: the `log` transport (the default: the message is logged, and the
//! outbox row is its record) or `ses` (Amazon SES v2 through the AWS SDK). Both tell a
//! refusal, after which the email was certainly not sent and may be retried, from an
//! unknown outcome, after which it may have been sent and must not be sent again.

use std::sync::Arc;

use aws_sdk_sesv2::{
    error::SdkError,
    types::{Body, Content, Destination, EmailContent, Message},
};
use futures::future::BoxFuture;
use uuid::Uuid;

/// An email handed to a transport.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    /// The outbox row's id.
    pub id: Uuid,
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// Subject, one line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML, when there is a part.
    pub html: Option<String>,
}

/// Why a transport did not confirm a send.
#[derive(Debug)]
pub enum SendError {
    /// Certainly not sent (refused, or never left): try again later.
    NotSent(anyhow::Error),
    /// Maybe sent (the answer was lost): never send again automatically.
    Unknown(anyhow::Error),
}

/// A way to send email.
pub trait MailTransport: Send + Sync {
    /// Sends `email`; the transport's id for the message.
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<String, SendError>>;
}

/// The configured transport, shared by every worker.
pub type Mailer = Arc<dyn MailTransport>;

/// Writes each email to the log (with no body: bodies may hold personal data; the outbox
/// row has it).
pub struct LogTransport;

impl MailTransport for LogTransport {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            tracing::info!(
                id = %email.id, from = %email.from, to = %email.to, subject = %email.subject,
                "email sent (log transport)"
            );
            Ok(format!("log-{}", email.id))
        })
    }
}

/// Where SES is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SesSettings {
    /// AWS region.
    pub region: String,
    /// Another endpoint (moto in tests).
    pub endpoint: Option<String>,
}

/// Amazon SES v2; credentials from the usual `AWS_*` variables.
pub struct SesTransport {
    client: aws_sdk_sesv2::Client,
}

impl SesTransport {
    /// A client for `settings`.
    pub fn new(settings: &SesSettings) -> Self {
        let mut config = aws_sdk_sesv2::Config::builder()
            .behavior_version(aws_sdk_sesv2::config::BehaviorVersion::latest())
            .region(aws_sdk_sesv2::config::Region::new(settings.region.clone()))
            .credentials_provider(
                aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
            );
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Self {
            client: aws_sdk_sesv2::Client::from_conf(config.build()),
        }
    }

    /// The client, for setting up identities in tests and tools.
    pub fn client(&self) -> &aws_sdk_sesv2::Client {
        &self.client
    }
}

impl MailTransport for SesTransport {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let text = |data: &str| {
                Content::builder()
                    .data(data)
                    .charset("UTF-8")
                    .build()
                    .map_err(|e| SendError::NotSent(e.into()))
            };
            let mut body = Body::builder().text(text(&email.text)?);
            if let Some(html) = &email.html {
                body = body.html(text(html)?);
            }
            let message = Message::builder()
                .subject(text(&email.subject)?)
                .body(body.build())
                .build();
            let sent = self
                .client
                .send_email()
                .from_email_address(&email.from)
                .destination(Destination::builder().to_addresses(&email.to).build())
                .content(EmailContent::builder().simple(message).build())
                .send()
                .await;
            match sent {
                Ok(output) => Ok(output.message_id().unwrap_or_default().to_owned()),
                Err(error) => Err(classify(error)),
            }
        })
    }
}

/// A refusal by SES, or a request that could not be dispatched (no connection), is certainly
/// not a send; a timeout or an answer that could not be read may have been one.
fn classify<E, R>(error: SdkError<E, R>) -> SendError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let certain = match &error {
        SdkError::ServiceError(_) | SdkError::ConstructionFailure(_) => true,
        SdkError::DispatchFailure(failure) => !failure.is_timeout(),
        _ => false,
    };
    let error = anyhow::anyhow!("{}", aws_sdk_sesv2::error::DisplayErrorContext(&error));
    if certain {
        SendError::NotSent(error)
    } else {
        SendError::Unknown(error)
    }
}
