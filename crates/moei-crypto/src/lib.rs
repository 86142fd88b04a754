//! All of Moei's cryptography sits here, so it can be reviewed in one place:
//! - Argon2id password hashes (PHC strings, parameters stored with each hash);
//! - random secrets for sessions, CSRF and API tokens, stored only as SHA-256 digests;
//! - the SHA-256 link of the audit hash chain;
//! - field encryption ([`field`]): XChaCha20-Poly1305 for the most sensitive columns, with the
//!   key kept in a file outside the database.

pub mod field;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("stored password hash is malformed")]
    MalformedHash,
    #[error("field key: {0}")]
    Key(String),
    #[error(
        "encrypted field {0} cannot be decrypted (wrong key, or the value was altered or moved)"
    )]
    Decrypt(String),
}

/// OWASP's Argon2id baseline (19 MiB, 2 passes, 1 lane): strong, yet quick enough for a
/// border-post laptop to log a queue of clerks in.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| CryptoError::Hash(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CryptoError::Hash(e.to_string()))
}

/// Constant-time check of a password against a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, CryptoError> {
    let parsed = PasswordHash::new(stored).map_err(|_| CryptoError::MalformedHash)?;
    Ok(argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// A new random secret (256 bits), URL-safe, for session cookies, CSRF and API tokens.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Secrets are stored only as digests, so a copied database holds no usable session or token.
pub fn secret_digest(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Equality that takes the same time whatever the inputs share (for CSRF tokens).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// One link of the audit chain: the digest of the previous link and this row's canonical fields.
/// Fields are length-prefixed so that no two different rows serialise to the same bytes.
pub fn chain_link(prev_hash: &str, fields: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The hash that precedes the first audit row.
pub const CHAIN_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h).unwrap());
        assert!(!verify_password("wrong", &h).unwrap());
        assert!(verify_password("x", "not a hash").is_err());
    }

    #[test]
    fn secrets_differ_and_digest_is_stable() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(secret_digest(&a), secret_digest(&a));
        assert_eq!(secret_digest(&a).len(), 64);
    }

    #[test]
    fn chain_links_are_unambiguous() {
        assert_ne!(
            chain_link(CHAIN_GENESIS, &["ab", "c"]),
            chain_link(CHAIN_GENESIS, &["a", "bc"])
        );
        assert_ne!(
            chain_link(CHAIN_GENESIS, &["a"]),
            chain_link(&chain_link(CHAIN_GENESIS, &[]), &["a"])
        );
    }
}
