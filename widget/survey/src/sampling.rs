//! The sticky sampling draw, computed the same way in the widget and the collector.
//!
//! A shopper is in or out of a stage's sample by a hash of the site, the stage and a key (the order
//! reference when the stage has one, else the browser's random visitor id), not by a fresh dice roll
//! on each page: the same shopper gets the same answer everywhere, and the collector can recompute
//! the draw to refuse an answer that the widget would never have asked for.

use crate::Stage;

/// Whether `key` falls in the first `percent` of 100 buckets for this site and stage.
pub fn in_sample(site: &str, stage: Stage, key: &str, percent: u8) -> bool {
    percent >= 100 || bucket(site, stage, key) < u64::from(percent)
}

/// The key's bucket, 0-99: FNV-1a (64-bit) over the three parts, each ended by a zero byte so that
/// ("ab", "c") and ("a", "bc") differ. FNV-1a is tiny, has no dependency and is defined bit for bit,
/// so the browser's and the server's draws cannot drift apart.
fn bucket(site: &str, stage: Stage, key: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in [site, stage.as_str(), key] {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash % 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_is_sticky_and_bounded() {
        for percent in [0, 1, 50, 99, 100] {
            let first = in_sample("demo", Stage::Checkout, "1042", percent);
            assert_eq!(first, in_sample("demo", Stage::Checkout, "1042", percent));
        }
        assert!(!in_sample("demo", Stage::Checkout, "1042", 0));
        assert!(in_sample("demo", Stage::Checkout, "1042", 100));
    }

    #[test]
    fn about_the_asked_share_of_keys_is_in() {
        let inside = (0..10_000)
            .filter(|n| in_sample("demo", Stage::Browsing, &format!("visitor-{n}"), 20))
            .count();
        assert!((1_800..2_200).contains(&inside), "{inside} of 10000 at 20%");
    }

    #[test]
    fn site_stage_and_key_all_change_the_draw() {
        // Fixed values: the widget and the collector must agree forever, so the function may not
        // change silently. Computed once with an independent FNV-1a implementation (Python).
        assert_eq!(bucket("demo", Stage::Checkout, "1042"), 31);
        assert_eq!(bucket("a", Stage::Checkout, "bc"), 57);
        assert_eq!(bucket("ab", Stage::Checkout, "c"), 65);
        assert_ne!(
            bucket("demo", Stage::Checkout, "1042"),
            bucket("demo", Stage::Delivery, "1042")
        );
        assert_ne!(
            bucket("a", Stage::Checkout, "bc"),
            bucket("ab", Stage::Checkout, "c")
        );
    }
}
