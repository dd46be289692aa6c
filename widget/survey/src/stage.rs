//! The journey stages at which a shopper can be asked for feedback.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A moment of the purchase journey; each has its own question set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Stage {
    /// Discovering the brand and its products (never on checkout pages).
    Browsing,
    /// The order confirmation page.
    Checkout,
    /// Once the order is delivered.
    Delivery,
    /// After a support case is closed.
    Support,
    /// After a return or exchange is arranged.
    Returns,
}

impl Stage {
    /// Every stage, in journey order.
    pub const ALL: [Stage; 5] = [
        Stage::Browsing,
        Stage::Checkout,
        Stage::Delivery,
        Stage::Support,
        Stage::Returns,
    ];

    /// The stage's name as it appears in the embed API, the HTTP API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Browsing => "browsing",
            Stage::Checkout => "checkout",
            Stage::Delivery => "delivery",
            Stage::Support => "support",
            Stage::Returns => "returns",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the five stages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage {0:?}: expected one of browsing, checkout, delivery, support, returns")]
pub struct UnknownStage(pub String);

impl FromStr for Stage {
    type Err = UnknownStage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.as_str() == s)
            .ok_or_else(|| UnknownStage(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_round_trips_through_its_name() {
        for stage in Stage::ALL {
            assert_eq!(stage.as_str().parse::<Stage>(), Ok(stage));
            let json = serde_json::to_string(&stage).expect("a stage serializes");
            assert_eq!(json, format!("\"{}\"", stage.as_str()));
        }
    }

    #[test]
    fn unknown_stage_names_the_accepted_values() {
        let err = "payment".parse::<Stage>().unwrap_err();
        assert!(err.to_string().contains("checkout"));
    }
}
