//! The industry score formulas (NPS, CSAT, CES), each with its number of answers and a 95% interval,
//! so nobody acts on five answers.
//!
//! Scores are computed from a [`Tally`] (how many answers gave each point of the scale), which is
//! what a database `GROUP BY` returns, so the collector never loads individual answers to score them.

use std::collections::BTreeMap;

/// The normal quantile for a two-sided 95% interval.
const Z95: f64 = 1.959_963_985;

/// How many answers gave each point of a scale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(pub BTreeMap<i64, u64>);

impl Tally {
    /// A tally of individual answers.
    pub fn of(scores: impl IntoIterator<Item = i64>) -> Self {
        let mut tally = Tally::default();
        for score in scores {
            tally.add(score, 1);
        }
        tally
    }

    /// Counts `count` more answers of `score`.
    pub fn add(&mut self, score: i64, count: u64) {
        *self.0.entry(score).or_default() += count;
    }

    /// How many answers in `range` (inclusive).
    pub fn count_in(&self, range: std::ops::RangeInclusive<i64>) -> u64 {
        self.0.range(range).map(|(_, n)| n).sum()
    }
}

/// A 95% interval, in the score's own unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Net Promoter Score: % promoters (9-10) minus % detractors (0-6), from -100 to 100.
#[derive(Debug, Clone, PartialEq)]
pub struct NpsScore {
    /// Answers on the 0-10 scale.
    pub count: u64,
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 7 or 8 (they count in the total only).
    pub passives: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
    /// The score, -100 to 100.
    pub score: f64,
    /// 95% interval of the score.
    pub interval: Interval,
}

/// NPS of the 0-10 answers in `tally`; `None` without answers.
///
/// The interval is the adjusted Wald interval for a difference of two multinomial proportions, with
/// one pseudo-answer added to each of the three groups. Plain Wald collapses to a zero-width interval
/// when every answer is in one group (five promoters would read as "NPS 100, certainly"); the
/// adjustment keeps small samples honestly wide and barely moves large ones.
pub fn nps(tally: &Tally) -> Option<NpsScore> {
    let promoters = tally.count_in(9..=10);
    let passives = tally.count_in(7..=8);
    let detractors = tally.count_in(0..=6);
    let count = promoters + passives + detractors;
    if count == 0 {
        return None;
    }
    let n = count as f64;
    let score = 100.0 * (promoters as f64 - detractors as f64) / n;
    let adjusted_n = n + 3.0;
    let p = (promoters as f64 + 1.0) / adjusted_n;
    let d = (detractors as f64 + 1.0) / adjusted_n;
    let centre = p - d;
    let half = Z95 * ((p + d - centre * centre) / adjusted_n).sqrt();
    Some(NpsScore {
        count,
        promoters,
        passives,
        detractors,
        score,
        interval: Interval {
            low: (100.0 * (centre - half)).max(-100.0),
            high: (100.0 * (centre + half)).min(100.0),
        },
    })
}

/// Customer satisfaction: the share of 4 and 5 answers on the 1-5 scale, as a percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct CsatScore {
    /// Answers on the 1-5 scale.
    pub count: u64,
    /// Answers of 4 or 5.
    pub satisfied: u64,
    /// The score, 0 to 100.
    pub score: f64,
    /// 95% Wilson interval of the score, 0 to 100.
    pub interval: Interval,
}

/// CSAT of the 1-5 answers in `tally`; `None` without answers.
pub fn csat(tally: &Tally) -> Option<CsatScore> {
    let satisfied = tally.count_in(4..=5);
    let count = tally.count_in(1..=5);
    let (score, interval) = share(satisfied, count)?;
    Some(CsatScore {
        count,
        satisfied,
        score,
        interval,
    })
}

/// Customer effort: the mean of the 1-7 answers (higher is easier) and the share of 5-7 answers.
#[derive(Debug, Clone, PartialEq)]
pub struct CesScore {
    /// Answers on the 1-7 scale.
    pub count: u64,
    /// The mean answer, 1 to 7.
    pub mean: f64,
    /// 95% interval of the mean (Student's t), within 1 to 7.
    pub interval: Interval,
    /// Answers of 5, 6 or 7.
    pub easy: u64,
    /// The share of 5-7 answers, 0 to 100.
    pub easy_share: f64,
    /// 95% Wilson interval of that share, 0 to 100.
    pub easy_interval: Interval,
}

/// CES of the 1-7 answers in `tally`; `None` without answers.
///
/// With a single answer nothing is known about the spread, so the interval is the whole scale.
pub fn ces(tally: &Tally) -> Option<CesScore> {
    let count = tally.count_in(1..=7);
    if count == 0 {
        return None;
    }
    let n = count as f64;
    let answers = || tally.0.range(1..=7).map(|(&v, &c)| (v as f64, c as f64));
    let mean = answers().map(|(v, c)| v * c).sum::<f64>() / n;
    let interval = if count < 2 {
        Interval {
            low: 1.0,
            high: 7.0,
        }
    } else {
        let variance = answers().map(|(v, c)| c * (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let half = t95(count - 1) * (variance / n).sqrt();
        Interval {
            low: (mean - half).max(1.0),
            high: (mean + half).min(7.0),
        }
    };
    let easy = tally.count_in(5..=7);
    let (easy_share, easy_interval) = share(easy, count)?;
    Some(CesScore {
        count,
        mean,
        interval,
        easy,
        easy_share,
        easy_interval,
    })
}

/// A share as a percentage with its 95% Wilson score interval; `None` when `total` is zero.
///
/// Wilson rather than Wald: Wald gives [100, 100] for one satisfied answer out of one.
pub fn share(hits: u64, total: u64) -> Option<(f64, Interval)> {
    if total == 0 {
        return None;
    }
    let n = total as f64;
    let p = hits as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some((
        100.0 * p,
        Interval {
            low: (100.0 * (centre - half)).max(0.0),
            high: (100.0 * (centre + half)).min(100.0),
        },
    ))
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
fn t95(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[(df - 1) as usize],
        // Beyond the table, z + 2.4/df is within 0.003 of the true quantile.
        _ => Z95 + 2.4 / df as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 0.01,
            "got {actual}, expected {expected}"
        );
    }

    fn interval(actual: Interval, low: f64, high: f64) {
        close(actual.low, low);
        close(actual.high, high);
    }

    #[test]
    fn no_answers_give_no_score() {
        assert_eq!(nps(&Tally::default()), None);
        assert_eq!(csat(&Tally::default()), None);
        assert_eq!(ces(&Tally::default()), None);
    }

    // Expected figures below were computed by hand (and checked with a calculator) from the
    // formulas in the doc comments, not by running this code.
    #[test]
    fn nps_of_a_mixed_sample() {
        // 5 promoters, 3 passives, 2 detractors.
        let s = nps(&Tally::of([10, 9, 9, 10, 9, 8, 7, 7, 6, 0])).expect("answers");
        assert_eq!(
            (s.count, s.promoters, s.passives, s.detractors),
            (10, 5, 3, 2)
        );
        close(s.score, 30.0);
        interval(s.interval, -20.38, 66.53);
    }

    #[test]
    fn nps_of_all_passives_is_zero_with_a_wide_interval() {
        let s = nps(&Tally::of([7, 8, 7, 8])).expect("answers");
        close(s.score, 0.0);
        interval(s.interval, -39.60, 39.60);
    }

    #[test]
    fn nps_of_a_single_promoter() {
        let s = nps(&Tally::of([10])).expect("answers");
        close(s.score, 100.0);
        interval(s.interval, -56.26, 100.0);
    }

    #[test]
    fn nps_of_identical_detractors() {
        let s = nps(&Tally::of([0; 10])).expect("answers");
        close(s.score, -100.0);
        interval(s.interval, -100.0, -45.63);
    }

    #[test]
    fn csat_counts_fours_and_fives() {
        let s = csat(&Tally::of([5, 4, 4, 5, 5, 4, 5, 4, 3, 1])).expect("answers");
        assert_eq!((s.count, s.satisfied), (10, 8));
        close(s.score, 80.0);
        interval(s.interval, 49.02, 94.33);
    }

    #[test]
    fn csat_of_a_single_answer_is_not_certain() {
        let s = csat(&Tally::of([5])).expect("answers");
        close(s.score, 100.0);
        interval(s.interval, 20.65, 100.0);
    }

    #[test]
    fn csat_of_identical_neutral_answers_is_zero() {
        let s = csat(&Tally::of([3, 3, 3, 3])).expect("answers");
        close(s.score, 0.0);
        interval(s.interval, 0.0, 48.99);
    }

    #[test]
    fn ces_mean_and_easy_share() {
        let s = ces(&Tally::of([2, 4, 6, 7, 7])).expect("answers");
        close(s.mean, 5.2);
        // s = 2.1679, t(4) = 2.776, half-width 2.6914; the top is clamped to the scale.
        interval(s.interval, 2.51, 7.0);
        assert_eq!(s.easy, 3);
        close(s.easy_share, 60.0);
        interval(s.easy_interval, 23.07, 88.24);
    }

    #[test]
    fn ces_of_a_single_answer_spans_the_scale() {
        let s = ces(&Tally::of([6])).expect("answers");
        close(s.mean, 6.0);
        interval(s.interval, 1.0, 7.0);
    }

    #[test]
    fn ces_of_identical_answers_has_no_spread() {
        let s = ces(&Tally::of([4, 4, 4])).expect("answers");
        close(s.mean, 4.0);
        interval(s.interval, 4.0, 4.0);
        close(s.easy_share, 0.0);
    }

    #[test]
    fn answers_off_the_scale_are_not_counted() {
        assert_eq!(csat(&Tally::of([0, 6])), None);
        assert_eq!(ces(&Tally::of([8])), None);
    }

    #[test]
    fn t_quantiles_meet_the_normal_one() {
        close(t95(1), 12.706);
        close(t95(30), 2.042);
        assert!((t95(120) - 1.980).abs() < 0.003);
        assert!((t95(10_000) - Z95).abs() < 0.001);
    }
}
