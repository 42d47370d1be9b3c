//! Links to files in the local store: `/files/<token>`, where the token names the file, the
//! name and type to serve it with and an expiry, signed with HMAC-SHA256 so it cannot be
//! altered or extended.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// What a download link grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedFile {
    /// The storage key.
    pub key: String,
    /// The name to save the file as.
    pub name: String,
    /// The content type to serve.
    pub content_type: String,
    /// Seconds since the epoch after which the link is refused.
    pub expires: i64,
}

/// The key that signs and checks links.
#[derive(Clone)]
pub struct LinkKeys {
    key: Vec<u8>,
}

impl LinkKeys {
    /// Keys derived from the server's secret, for this purpose only.
    pub fn new(secret: &str) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(b"clientele file links v1");
        Self {
            key: mac.finalize().into_bytes().to_vec(),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"))
    }

    /// The token of a link.
    pub fn sign(&self, file: &SignedFile) -> anyhow::Result<String> {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(file)?);
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        Ok(format!("{payload}.{signature}"))
    }

    /// The file a token grants, if its signature holds and it has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<SignedFile> {
        let (payload, signature) = token.split_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature).ok()?;
        let file: SignedFile =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (file.expires >= now.timestamp()).then_some(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(expires: i64) -> SignedFile {
        SignedFile {
            key: "attachments/a/b".into(),
            name: "report.pdf".into(),
            content_type: "application/pdf".into(),
            expires,
        }
    }

    #[test]
    fn a_link_works_until_it_expires_and_only_with_its_own_signature() -> anyhow::Result<()> {
        let keys = LinkKeys::new("a-secret-that-is-long-enough-for-tests");
        let now = Utc::now();
        let token = keys.sign(&file(now.timestamp() + 60))?;
        assert_eq!(keys.verify(&token, now), Some(file(now.timestamp() + 60)));
        assert_eq!(
            keys.verify(&token, now + chrono::Duration::seconds(61)),
            None
        );

        let other = LinkKeys::new("another-secret-that-is-long-enough-xx");
        assert_eq!(other.verify(&token, now), None, "another server's key");
        // Extending the expiry breaks the signature.
        let (_, signature) = token.split_once('.').unwrap_or_default();
        let forged_payload =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&file(now.timestamp() + 999_999))?);
        assert_eq!(
            keys.verify(&format!("{forged_payload}.{signature}"), now),
            None
        );
        assert_eq!(keys.verify("garbage", now), None);
        Ok(())
    }
}
