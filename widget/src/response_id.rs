//! Client-made response ids: random UUIDs, the collector's idempotency key.

/// A random (version 4) UUID from the browser's CSPRNG; `None` if the browser has none.
///
/// `crypto.getRandomValues` rather than `crypto.randomUUID`: the latter exists only on HTTPS pages,
/// and plenty of stores' staging sites are not.
pub fn new_response_id() -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(format_uuid(bytes))
}

/// Formats 16 random bytes as a version 4, variant 1 UUID.
pub fn format_uuid(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_carry_version_and_variant() {
        let id = format_uuid([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(format_uuid([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
