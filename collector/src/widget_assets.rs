//! The widget's files, built, optimised and precompressed by `build.rs` and embedded in the binary,
//! so the binary is the whole deployment.

/// One embedded file in every encoding we serve.
#[derive(Debug)]
pub(crate) struct Asset {
    /// URL path it is served at.
    pub path: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Content hash, used as the ETag.
    pub hash: &'static str,
    /// Whether the path is content-hashed, so it may be cached for a year.
    pub immutable: bool,
    /// The file as built.
    pub identity: &'static [u8],
    /// Gzip, level 9.
    pub gzip: &'static [u8],
    /// Brotli, quality 11.
    pub brotli: &'static [u8],
}

// Defines `LOADER` (the `/w.js` loader) and `HASHED` (the content-hashed widget files).
include!(concat!(env!("OUT_DIR"), "/widget_assets.rs"));
