//! Field-by-field encryption at rest for the most sensitive columns (screening interviews,
//! MDT reasons).
//!
//! XChaCha20-Poly1305 with a random 192-bit nonce per value, so nonces never need a counter.
//! The associated data binds each value to its table, column and row id: a ciphertext copied
//! into another row or column fails to decrypt instead of showing the wrong person's answers.
//!
//! Stored form: `v1.<key id>.<base64 of nonce || ciphertext>`. The key id (the first 8 hex digits
//! of the key's SHA-256) names the key that sealed the value, so a database opened with the
//! wrong key file says so instead of returning garbage, and a later key rotation can tell old
//! values from new ones.
//!
//! The key lives in a file (64 hex digits) beside, never inside, the database, created with
//! mode 0600. A copy of the database alone reveals no narrative.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

use crate::CryptoError;

const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// The key that seals encrypted fields. Its `Debug` never prints the key.
#[derive(Clone)]
pub struct FieldKey {
    cipher: XChaCha20Poly1305,
    id: String,
}

impl std::fmt::Debug for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FieldKey({})", self.id)
    }
}

/// Where a value lives: the associated data that ties a ciphertext to one cell.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
}

impl Cell<'_> {
    fn aad(&self) -> Vec<u8> {
        // Length-prefixed so that no two different cells give the same bytes.
        let mut out = Vec::new();
        for part in [self.table, self.column, self.row_id] {
            out.extend_from_slice(&(part.len() as u64).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        out
    }

    fn name(&self) -> String {
        format!("{}.{} of {}", self.table, self.column, self.row_id)
    }
}

impl FieldKey {
    fn from_bytes(bytes: &[u8]) -> Result<FieldKey, CryptoError> {
        let cipher = XChaCha20Poly1305::new_from_slice(bytes)
            .map_err(|_| CryptoError::Key(format!("a key is {KEY_LEN} bytes")))?;
        let id = crate::sha256_hex(bytes)[..8].to_string();
        Ok(FieldKey { cipher, id })
    }

    /// A new random key and its file text (64 hex digits and a newline).
    pub fn generate() -> (FieldKey, Zeroizing<String>) {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        let text = Zeroizing::new(format!("{}\n", hex::encode(bytes.as_ref())));
        // 32 bytes always make a key.
        let key = match FieldKey::from_bytes(bytes.as_ref()) {
            Ok(k) => k,
            Err(_) => unreachable_key(),
        };
        (key, text)
    }

    /// Reads a key from its file text (64 hex digits, surrounding whitespace ignored).
    pub fn from_text(text: &str) -> Result<FieldKey, CryptoError> {
        let bytes = Zeroizing::new(hex::decode(text.trim()).map_err(|_| {
            CryptoError::Key(format!("the key file must hold {} hex digits", KEY_LEN * 2))
        })?);
        if bytes.len() != KEY_LEN {
            return Err(CryptoError::Key(format!(
                "the key file must hold {} hex digits, it holds {}",
                KEY_LEN * 2,
                text.trim().len()
            )));
        }
        FieldKey::from_bytes(&bytes)
    }

    /// Loads the key file. A missing or malformed file is an error that names the path.
    pub fn load(path: &Path) -> Result<FieldKey, CryptoError> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            CryptoError::Key(format!(
                "cannot read the key file {}: {e} (create it with `moei migrate --create` or `moei demo`, \
                 or point MOEI_KEY_FILE at it)",
                path.display()
            ))
        })?);
        FieldKey::from_text(&text).map_err(|e| match e {
            CryptoError::Key(m) => CryptoError::Key(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// Loads the key file, or creates it (mode 0600, directories as needed) when it is absent.
    pub fn load_or_create(path: &Path) -> Result<FieldKey, CryptoError> {
        if path.exists() {
            return FieldKey::load(path);
        }
        let fail = |e: std::io::Error| {
            CryptoError::Key(format!(
                "cannot create the key file {}: {e}",
                path.display()
            ))
        };
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let (key, text) = FieldKey::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        Ok(key)
    }

    /// Short public name of the key (not secret: a digest prefix).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `plain` for one cell.
    pub fn encrypt(&self, cell: Cell<'_>, plain: &str) -> Result<String, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = cell.aad();
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Key(format!("encrypting {} failed", cell.name())))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(format!(
            "v1.{}.{}",
            self.id,
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
        ))
    }

    /// Opens a value sealed by [`Self::encrypt`] for the same cell.
    pub fn decrypt(&self, cell: Cell<'_>, stored: &str) -> Result<String, CryptoError> {
        let fail = || CryptoError::Decrypt(cell.name());
        let mut parts = stored.splitn(3, '.');
        let (Some("v1"), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(fail());
        };
        if key_id != self.id {
            return Err(CryptoError::Key(format!(
                "{} was sealed with key {key_id}, but the key file holds key {}",
                cell.name(),
                self.id
            )));
        }
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(body)
            .map_err(|_| fail())?;
        if bytes.len() < NONCE_LEN {
            return Err(fail());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| fail())?;
        let plain = self
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &cell.aad(),
                },
            )
            .map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }
}

#[cold]
fn unreachable_key() -> FieldKey {
    // XChaCha20-Poly1305 accepts every 32-byte key; this only keeps `generate` total.
    FieldKey {
        cipher: XChaCha20Poly1305::new(&[0u8; KEY_LEN].into()),
        id: "invalid".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CELL: Cell<'static> = Cell {
        table: "screening_interviews",
        column: "narrative",
        row_id: "r1",
    };

    #[test]
    fn round_trip_and_random_nonce() {
        let (key, _) = FieldKey::generate();
        let a = key.encrypt(CELL, "ถูกบังคับให้หลอกลวง").unwrap();
        let b = key.encrypt(CELL, "ถูกบังคับให้หลอกลวง").unwrap();
        assert_ne!(a, b, "each value gets its own nonce");
        assert!(!a.contains("ถูก"));
        assert_eq!(key.decrypt(CELL, &a).unwrap(), "ถูกบังคับให้หลอกลวง");
    }

    #[test]
    fn a_value_moved_to_another_cell_does_not_open() {
        let (key, _) = FieldKey::generate();
        let sealed = key.encrypt(CELL, "secret").unwrap();
        for other in [
            Cell {
                row_id: "r2",
                ..CELL
            },
            Cell {
                column: "responses",
                ..CELL
            },
            Cell {
                table: "mdt_determinations",
                ..CELL
            },
        ] {
            assert!(matches!(
                key.decrypt(other, &sealed),
                Err(CryptoError::Decrypt(_))
            ));
        }
    }

    #[test]
    fn another_key_is_named_not_garbled() {
        let (key, _) = FieldKey::generate();
        let (other, _) = FieldKey::generate();
        let sealed = key.encrypt(CELL, "secret").unwrap();
        let err = other.decrypt(CELL, &sealed).unwrap_err().to_string();
        assert!(err.contains(key.id()) && err.contains(other.id()), "{err}");
    }

    #[test]
    fn key_file_is_created_private_and_reloads() {
        let dir = std::env::temp_dir().join(format!("moei-key-{}", crate::new_secret()));
        let path = dir.join("keys/screening.key");
        let created = FieldKey::load_or_create(&path).unwrap();
        let loaded = FieldKey::load(&path).unwrap();
        assert_eq!(created.id(), loaded.id());
        let sealed = created.encrypt(CELL, "x").unwrap();
        assert_eq!(loaded.decrypt(CELL, &sealed).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let missing = FieldKey::load(&dir.join("nope.key"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("nope.key"), "{missing}");
        std::fs::write(dir.join("short.key"), "abcd").unwrap();
        let short = FieldKey::load(&dir.join("short.key"))
            .unwrap_err()
            .to_string();
        assert!(short.contains("64 hex digits"), "{short}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    proptest! {
        #[test]
        fn tampered_or_arbitrary_input_never_panics(s in ".{0,80}", flip in 0usize..200) {
            let (key, _) = FieldKey::generate();
            let _ = key.decrypt(CELL, &s);
            let _ = FieldKey::from_text(&s);
            let mut sealed = key.encrypt(CELL, &s).unwrap().into_bytes();
            let i = flip % sealed.len();
            let original = sealed[i];
            sealed[i] = if original == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(sealed).unwrap();
            if tampered.as_bytes()[i] != original {
                prop_assert!(key.decrypt(CELL, &tampered).is_err());
            }
        }
    }
}
