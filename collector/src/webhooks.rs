//! Webhooks: telling a site's other tools about responses, every one or only low scores (detractor
//! alerts), as JSON or as a Slack message, signed with HMAC-SHA256, retried with backoff.
//!
//! A delivery is queued when a response is first stored and sent after a short settle delay, so
//! the comment that usually follows a score is in it; the payload is built from the response as it
//! is when sent.

use crate::store::{AttemptOutcome, Delivery, Store, StoreError, StoredResponse, Webhook, now_ms};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;
use survey::{Answer, AnswerValue, QuestionSet};

/// The header carrying the Unix time (seconds) the signature covers.
pub const TIMESTAMP_HEADER: &str = "x-cx-timestamp";
/// The header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub const SIGNATURE_HEADER: &str = "x-cx-signature";

/// How deliveries are paced.
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// How often the worker looks for due deliveries.
    pub poll_every: Duration,
    /// How long after a response arrives it is delivered (so its comment can join it).
    pub settle: Duration,
    /// The first retry's delay; each further retry doubles it, up to an hour.
    pub retry_base: Duration,
    /// Attempts before giving up.
    pub max_attempts: i64,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            poll_every: Duration::from_secs(1),
            settle: Duration::from_secs(60),
            retry_base: Duration::from_secs(10),
            max_attempts: 8,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Whether any answer is a low score: NPS 0-6 (a detractor), CSAT 1-2, CES 1-3.
pub fn is_low_score(set: &QuestionSet, answers: &[Answer]) -> bool {
    answers.iter().any(|answer| {
        let AnswerValue::Score(score) = answer.value else {
            return false;
        };
        set.question(&answer.question)
            .and_then(|q| q.kind.tone(score))
            == Some(survey::question::Tone::Unfavourable)
    })
}

/// The body sent to `webhook` about `stored`.
pub fn payload(webhook: &Webhook, stored: &StoredResponse) -> Value {
    let response = &stored.response;
    match webhook.format.as_str() {
        "slack" => {
            let scores: Vec<String> = response
                .answers
                .iter()
                .filter_map(|a| match a.value {
                    AnswerValue::Score(s) => Some(format!("{} {s}", a.question)),
                    _ => None,
                })
                .collect();
            let comments: Vec<String> = response
                .answers
                .iter()
                .filter_map(|a| match &a.value {
                    AnswerValue::Text(t) if !t.is_empty() => Some(format!("“{t}”")),
                    _ => None,
                })
                .collect();
            let what = if webhook.event == "low_score" {
                "Low score"
            } else {
                "New response"
            };
            let mut text = format!(
                "{what} at {} ({}): {}",
                webhook.site,
                response.stage,
                scores.join(", ")
            );
            if !comments.is_empty() {
                text.push_str(&format!(". {}", comments.join(" ")));
            }
            if let Some(order) = response.context.get("order") {
                text.push_str(&format!(" (order {order})"));
            }
            json!({ "text": text })
        }
        _ => json!({
            "event": webhook.event,
            "site": webhook.site,
            "response": response,
            "received_at": jiff::Timestamp::from_millisecond(stored.received_at_ms)
                .map(|t| t.to_string())
                .unwrap_or_default(),
        }),
    }
}

/// `sha256=<hex>` of HMAC-SHA256 over `"<timestamp>.<body>"`: the timestamp is signed too, so a
/// captured delivery cannot be replayed later as new.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "sha256={}",
        crate::tokens::hex(&mac.finalize().into_bytes())
    )
}

/// Sends due deliveries forever.
pub async fn run_worker(store: Store, settings: WebhookSettings) {
    let client = match reqwest::Client::builder().timeout(settings.timeout).build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhooks: no HTTP client; deliveries stay queued");
            return;
        }
    };
    let mut ticks = tokio::time::interval(settings.poll_every);
    loop {
        ticks.tick().await;
        let now = now_ms();
        let lease = now + 2 * i64::try_from(settings.timeout.as_millis()).unwrap_or(60_000);
        let due = match store.claim_due_deliveries(now, lease, 20).await {
            Ok(due) => due,
            Err(error) => {
                tracing::error!(%error, "webhooks: reading due deliveries failed");
                continue;
            }
        };
        for (delivery, webhook) in due {
            let outcome = attempt(&client, &store, &settings, &delivery, &webhook).await;
            if let Err(error) = store.record_attempt(delivery.id, &outcome).await {
                tracing::error!(%error, delivery = delivery.id, "webhooks: recording an attempt failed");
            }
        }
    }
}

async fn attempt(
    client: &reqwest::Client,
    store: &Store,
    settings: &WebhookSettings,
    delivery: &Delivery,
    webhook: &Webhook,
) -> AttemptOutcome {
    let attempts = delivery.attempts + 1;
    let retry_at = (attempts < settings.max_attempts).then(|| {
        let base = i64::try_from(settings.retry_base.as_millis()).unwrap_or(10_000);
        now_ms() + (base << (attempts - 1).min(20)).min(3_600_000)
    });
    let stored = match store.response(&webhook.site, &delivery.response_id).await {
        Ok(stored) => stored,
        Err(StoreError::NotFound) => {
            return AttemptOutcome::Failed {
                status: None,
                error: "the response was erased or expired before delivery".into(),
                retry_at: None,
            };
        }
        Err(error) => {
            return AttemptOutcome::Failed {
                status: None,
                error: format!("reading the response: {error}"),
                retry_at,
            };
        }
    };
    let body = payload(webhook, &stored).to_string();
    let timestamp = now_ms() / 1000;
    let sent = client
        .post(&webhook.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(
            SIGNATURE_HEADER,
            signature(&webhook.secret, timestamp, body.as_bytes()),
        )
        .body(body)
        .send()
        .await;
    match sent {
        Ok(reply) if reply.status().is_success() => AttemptOutcome::Delivered {
            status: i64::from(reply.status().as_u16()),
        },
        Ok(reply) => AttemptOutcome::Failed {
            status: Some(i64::from(reply.status().as_u16())),
            error: format!("the receiver answered {}", reply.status()),
            retry_at,
        },
        Err(error) => AttemptOutcome::Failed {
            status: None,
            error: format!("sending failed: {error}"),
            retry_at,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey::{Stage, defaults};

    fn answers(pairs: &[(&str, i64)]) -> Vec<Answer> {
        pairs
            .iter()
            .map(|(q, s)| Answer {
                question: (*q).into(),
                value: AnswerValue::Score(*s),
            })
            .collect()
    }

    #[test]
    fn low_scores_are_detractors_and_unhappy_answers() {
        let delivery = defaults::question_set(Stage::Delivery);
        assert!(is_low_score(&delivery, &answers(&[("nps", 6)])));
        assert!(!is_low_score(&delivery, &answers(&[("nps", 7)])));
        let checkout = defaults::question_set(Stage::Checkout);
        assert!(is_low_score(
            &checkout,
            &answers(&[("csat", 2), ("ces", 7)])
        ));
        assert!(is_low_score(
            &checkout,
            &answers(&[("csat", 5), ("ces", 3)])
        ));
        assert!(!is_low_score(
            &checkout,
            &answers(&[("csat", 3), ("ces", 4)])
        ));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_and_body() {
        // Reference value from: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, br#"{"a":1}"#),
            "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }
}
