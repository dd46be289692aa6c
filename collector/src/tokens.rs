//! Admin API tokens: made once, shown once, stored only as a hash.

use crate::store::{Store, StoreError, TokenScope};
use sha2::{Digest, Sha256};

/// Every token starts with this, so a leaked one is easy to recognise (and to scan for).
pub const PREFIX: &str = "cxa_";

/// Makes a token for `scope`, stores its hash, and returns the token itself (never stored).
pub async fn create(store: &Store, name: &str, scope: &TokenScope) -> Result<String, StoreError> {
    let token = format!("{PREFIX}{}", random_hex()?);
    store.create_token(name, scope, &hash(&token)).await?;
    Ok(token)
}

/// The stored form of a token. A plain SHA-256 suffices: tokens carry 256 random bits, so there is
/// nothing for a slow password hash to protect against.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// 32 random bytes from the operating system, as hex.
pub fn random_hex() -> Result<String, StoreError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|e| StoreError::Corrupt(format!("no randomness for a secret: {e}")))?;
    Ok(hex(&secret))
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
