//! Who may do what. Sessions are JWTs ([`JwtKeys`]); passwords are argon2 hashes
//! ([`password`]); every resolver that needs a role is guarded by [`Allowed`], which reads
//! the role matrix of [`Permission`] (in `clientele_core`, shared with the web app).

pub mod cookie;
mod guard;
mod jwt;
pub mod password;

pub use clientele_core::{Permission, Role};
pub use guard::{Allowed, Authenticated, viewer};
pub use jwt::{Claims, JwtKeys};

/// The signed-in caller of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    /// The staff user the token was issued to.
    pub user_id: uuid::Uuid,
    /// Their role, as it is in the database now.
    pub role: Role,
}
