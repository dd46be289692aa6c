//! The public per-site configuration the widget reads from `GET /v1/sites/{site}/config`.

use crate::{Etiquette, QuestionSet, Stage, Theme};
use serde::{Deserialize, Serialize};

/// What the widget needs to know about a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteConfig {
    /// The site's public key.
    pub site: String,
    /// The language to show, overriding the page's and the browser's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The published question set of each stage that has one.
    pub stages: Vec<StageConfig>,
    /// How the survey looks.
    #[serde(default)]
    pub theme: Theme,
    /// Show nothing to shoppers whose browser sends Global Privacy Control or Do Not Track.
    #[serde(default)]
    pub respect_privacy_signals: bool,
    /// Triggers, sampling and recontact limits.
    #[serde(default)]
    pub etiquette: Etiquette,
}

/// One stage's survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageConfig {
    /// The stage.
    pub stage: Stage,
    /// Its published question set.
    pub question_set: QuestionSet,
}

impl SiteConfig {
    /// The question set to show at `stage`, if the site has one.
    pub fn question_set(&self, stage: Stage) -> Option<&QuestionSet> {
        self.stages
            .iter()
            .find(|s| s.stage == stage)
            .map(|s| &s.question_set)
    }
}
