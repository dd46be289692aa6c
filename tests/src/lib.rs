//! End-to-end test harness: a real collector on a free port with a fresh SQLite file, and a real
//! headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`).
//!
//! The tests themselves live in `tests/tests/`; selectors of the widget's markup are kept in
//! [`selectors`] so a markup change is fixed in one place.

pub mod browser;
pub mod collector;
pub mod pixels;
pub mod selectors;
pub mod store_page;
pub mod wait;

pub use browser::{Browser, Screen};
pub use collector::TestCollector;
