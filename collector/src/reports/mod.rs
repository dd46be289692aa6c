//! Reports: scores per stage and question with their intervals, time series, breakdowns, the
//! journey side by side, all counted in the site's time zone.
//!
//! The store returns score counts per quarter-hour (see [`crate::store::ScoreCount`]); everything
//! here is arithmetic on those counts, with the formulas of [`survey::score`].

pub mod period;

pub use period::{Grain, Period};

use crate::store::{ScoreCount, Site};
use serde::Serialize;
use std::collections::BTreeMap;
use survey::Stage;
use survey::score::{self, Tally};

/// A score with its number of answers and 95% interval, whatever the question's kind: NPS (-100 to
/// 100), CSAT (% of 4-5) or CES (mean of 1-7).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScoreSummary {
    /// Answers counted.
    pub count: u64,
    /// The score.
    pub score: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
    /// Favourable answers: NPS promoters (9-10), CSAT 4-5, CES 5-7.
    pub favorable: u64,
}

/// The summary of a tally of answers to a question of `kind`; `None` without answers.
pub fn summarize(kind: &str, tally: &Tally) -> Option<ScoreSummary> {
    match kind {
        "nps" => score::nps(tally).map(|s| ScoreSummary {
            count: s.count,
            score: s.score,
            low: s.interval.low,
            high: s.interval.high,
            favorable: s.promoters,
        }),
        "csat" => score::csat(tally).map(|s| ScoreSummary {
            count: s.count,
            score: s.score,
            low: s.interval.low,
            high: s.interval.high,
            favorable: s.satisfied,
        }),
        "ces" => score::ces(tally).map(|s| ScoreSummary {
            count: s.count,
            score: s.mean,
            low: s.interval.low,
            high: s.interval.high,
            favorable: s.easy,
        }),
        _ => None,
    }
}

/// A share of favourable answers with its 95% Wilson interval, in percent.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// The share, 0 to 100.
    pub share: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
}

/// One point of a time series.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SeriesPoint {
    /// First day of the period.
    pub period: String,
    /// The period's score; absent when nobody answered.
    pub score: Option<ScoreSummary>,
}

/// The score of one group of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    /// The group: a language tag, a question set version or a device class.
    pub value: String,
    /// Its score.
    pub score: ScoreSummary,
}

/// Everything about one scale question of a stage.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionReport {
    /// The question id.
    pub question: String,
    /// Its kind.
    pub kind: String,
    /// Over the whole period.
    pub score: Option<ScoreSummary>,
    /// How many answers gave each point of the scale.
    pub distribution: BTreeMap<i64, u64>,
    /// Per day, week or month.
    pub series: Vec<SeriesPoint>,
    /// Per language shown.
    pub by_locale: Vec<Breakdown>,
    /// Per question set version.
    pub by_version: Vec<Breakdown>,
    /// Per device class.
    pub by_device: Vec<Breakdown>,
}

/// `GET /v1/admin/sites/{site}/reports/stages/{stage}`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StageReport {
    /// The site.
    pub site: String,
    /// The stage.
    pub stage: Stage,
    /// First day (in `time_zone`).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// The zone days are counted in.
    pub time_zone: String,
    /// The series' grain.
    pub grain: Grain,
    /// Each scale question answered in the period.
    pub questions: Vec<QuestionReport>,
}

/// One stage in the journey report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StageSummary {
    /// The stage.
    pub stage: Stage,
    /// Scale answers of the stage, all questions together.
    pub count: u64,
    /// Their share of favourable answers; absent when nobody answered.
    pub favorable: Option<Share>,
    /// Each scale question's score.
    pub questions: Vec<QuestionScore>,
}

/// One question's score over the whole period.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionScore {
    /// The question id.
    pub question: String,
    /// Its kind.
    pub kind: String,
    /// Its score.
    pub score: ScoreSummary,
}

/// `GET /v1/admin/sites/{site}/reports/journey`: every stage side by side.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct JourneyReport {
    /// The site.
    pub site: String,
    /// First day (in `time_zone`).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// The zone days are counted in.
    pub time_zone: String,
    /// The five stages, in journey order.
    pub stages: Vec<StageSummary>,
    /// The stage with the lowest share of favourable answers, the one to look at first.
    pub weakest: Option<Stage>,
}

/// The tallies of `counts` grouped by `key`, keyed by `(question, kind)` first.
fn tallies<K: Ord>(
    counts: &[&ScoreCount],
    key: impl Fn(&ScoreCount) -> K,
) -> BTreeMap<(String, String), BTreeMap<K, Tally>> {
    let mut out: BTreeMap<(String, String), BTreeMap<K, Tally>> = BTreeMap::new();
    for c in counts {
        out.entry((c.question.clone(), c.kind.clone()))
            .or_default()
            .entry(key(c))
            .or_default()
            .add(c.score, u64::try_from(c.count).unwrap_or(0));
    }
    out
}

fn breakdown<K: ToString>(kind: &str, groups: &BTreeMap<K, Tally>) -> Vec<Breakdown> {
    groups
        .iter()
        .filter_map(|(value, tally)| {
            Some(Breakdown {
                value: value.to_string(),
                score: summarize(kind, tally)?,
            })
        })
        .collect()
}

/// The report of one stage from the period's score counts.
pub fn stage_report(
    site: &Site,
    period: &Period,
    grain: Grain,
    stage: Stage,
    counts: &[ScoreCount],
) -> StageReport {
    let counts: Vec<&ScoreCount> = counts
        .iter()
        .filter(|c| c.stage == stage.as_str())
        .collect();
    let whole = tallies(&counts, |_| ());
    let by_period = tallies(&counts, |c| {
        period
            .local_date(c.quarter_hour * 900_000)
            .map(|d| Period::bucket(d, grain))
    });
    let by_locale = tallies(&counts, |c| c.locale.clone());
    let by_version = tallies(&counts, |c| c.version);
    let by_device = tallies(&counts, |c| c.device.clone());
    let buckets = period.buckets(grain);
    let questions = whole
        .iter()
        .map(|(key @ (question, kind), groups)| {
            let tally = groups.get(&()).cloned().unwrap_or_default();
            let periods = by_period.get(key);
            QuestionReport {
                question: question.clone(),
                kind: kind.clone(),
                score: summarize(kind, &tally),
                distribution: tally.0.clone(),
                series: buckets
                    .iter()
                    .map(|start| SeriesPoint {
                        period: start.to_string(),
                        score: periods
                            .and_then(|p| p.get(&Some(*start)))
                            .and_then(|t| summarize(kind, t)),
                    })
                    .collect(),
                by_locale: by_locale
                    .get(key)
                    .map(|g| breakdown(kind, g))
                    .unwrap_or_default(),
                by_version: by_version
                    .get(key)
                    .map(|g| breakdown(kind, g))
                    .unwrap_or_default(),
                by_device: by_device
                    .get(key)
                    .map(|g| breakdown(kind, g))
                    .unwrap_or_default(),
            }
        })
        .collect();
    StageReport {
        site: site.key.clone(),
        stage,
        from: period.from.to_string(),
        to: period.to.to_string(),
        time_zone: site.time_zone.clone(),
        grain,
        questions,
    }
}

/// The journey report from the period's score counts.
///
/// Stages ask different scales, so they are compared on one measure that means the same on all of
/// them: the share of favourable answers (NPS 9-10, CSAT 4-5, CES 5-7). The weakest stage is the
/// one with the lowest share; its interval says how sure that is.
pub fn journey_report(site: &Site, period: &Period, counts: &[ScoreCount]) -> JourneyReport {
    let stages: Vec<StageSummary> = Stage::ALL
        .into_iter()
        .map(|stage| {
            let counts: Vec<&ScoreCount> = counts
                .iter()
                .filter(|c| c.stage == stage.as_str())
                .collect();
            let questions: Vec<QuestionScore> = tallies(&counts, |_| ())
                .into_iter()
                .filter_map(|((question, kind), groups)| {
                    let score = summarize(&kind, groups.get(&())?)?;
                    Some(QuestionScore {
                        question,
                        kind,
                        score,
                    })
                })
                .collect();
            let count = questions.iter().map(|q| q.score.count).sum();
            let favorable = questions.iter().map(|q| q.score.favorable).sum();
            StageSummary {
                stage,
                count,
                favorable: score::share(favorable, count).map(|(share, i)| Share {
                    share,
                    low: i.low,
                    high: i.high,
                }),
                questions,
            }
        })
        .collect();
    let weakest = stages
        .iter()
        .filter_map(|s| Some((s.stage, s.favorable.as_ref()?.share, s.count)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(stage, _, _)| stage);
    JourneyReport {
        site: site.key.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        time_zone: site.time_zone.clone(),
        stages,
        weakest,
    }
}
