//! Writes a response and the browser's history as JSON without serde, for the widget (see
//! [`crate::decode`] for why). The tests check the output against serde's for the same values.

use crate::eligibility::History;
use crate::small_map::SmallMap;
use crate::{AnswerValue, Response, Stage};

/// A response as `POST /v1/responses` takes it.
pub fn response(response: &Response) -> String {
    let mut out = Json::object();
    out.field("id").string(&response.id);
    out.field("site").string(&response.site);
    out.field("stage").string(response.stage.as_str());
    out.field("question_set_version")
        .number(i64::from(response.question_set_version));
    if let Some(locale) = &response.locale {
        out.field("locale").string(locale);
    }
    if !response.context.is_empty() {
        out.field("context").open('{');
        for (key, value) in &response.context {
            out.field(key).string(value);
        }
        out.close('}');
    }
    out.field("answers").open('[');
    for answer in &response.answers {
        out.item().open('{');
        out.field("question").string(&answer.question);
        out.field("value");
        match &answer.value {
            AnswerValue::Score(score) => out.number(*score),
            AnswerValue::YesNo(yes) => out.raw(if *yes { "true" } else { "false" }),
            AnswerValue::Text(text) => out.string(text),
            AnswerValue::Choices(choices) => out.strings(choices),
        }
        out.close('}');
    }
    out.close(']');
    out.field("completed")
        .raw(if response.completed { "true" } else { "false" });
    if let Some(visitor) = &response.visitor {
        out.field("visitor").string(visitor);
    }
    out.finish()
}

/// What the browser remembers, as [`crate::decode::history`] reads it.
pub fn history(history: &History) -> String {
    let mut out = Json::object();
    let stage_map = |out: &mut Json, name: &str, map: &SmallMap<Stage, i64>| {
        out.field(name).open('{');
        for (stage, at) in map {
            out.field(stage.as_str()).number(*at);
        }
        out.close('}');
    };
    stage_map(&mut out, "answered", &history.answered);
    stage_map(&mut out, "dismissed", &history.dismissed);
    out.field("orders").strings(&history.orders);
    if let Some(at) = history.shown_in_visit {
        out.field("shown_in_visit").number(at);
    }
    out.finish()
}

/// A JSON writer that tracks where commas go.
struct Json {
    out: String,
    /// Whether the innermost open object or array already has a member.
    filled: Vec<bool>,
}

impl Json {
    fn object() -> Json {
        Json {
            out: String::from("{"),
            filled: vec![false],
        }
    }

    fn separate(&mut self) {
        if let Some(filled) = self.filled.last_mut() {
            if *filled {
                self.out.push(',');
            }
            *filled = true;
        }
    }

    /// Starts a member of the current object; its value comes next.
    fn field(&mut self, name: &str) -> &mut Self {
        self.separate();
        self.quote(name);
        self.out.push(':');
        self
    }

    /// Starts an item of the current array.
    fn item(&mut self) -> &mut Self {
        self.separate();
        self
    }

    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.filled.push(false);
    }

    fn close(&mut self, bracket: char) {
        self.out.push(bracket);
        self.filled.pop();
    }

    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn number(&mut self, n: i64) {
        self.out.push_str(&n.to_string());
    }

    fn string(&mut self, text: &str) {
        self.quote(text);
    }

    fn strings(&mut self, texts: &[String]) {
        self.open('[');
        for text in texts {
            self.item().string(text);
        }
        self.close(']');
    }

    /// Writes `text` as a JSON string: quotes, backslashes and control characters escaped.
    fn quote(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        for c in text.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    let code = u32::from(c) as usize;
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[code >> 4]));
                    self.out.push(char::from(HEX[code & 0xf]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Answer;

    fn parse(json: &str) -> serde_json::Value {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    #[test]
    fn a_response_is_written_as_serde_writes_it() {
        let mut response = Response {
            id: "0f8e2a9c-3b1d-4e5f-9a7b-1c2d3e4f5a6b".into(),
            site: "demo".into(),
            stage: Stage::Checkout,
            question_set_version: 3,
            locale: Some("pt-BR".into()),
            context: [
                ("order".to_owned(), "10\"42".to_owned()),
                ("t".into(), "x".into()),
            ]
            .into(),
            answers: vec![
                Answer {
                    question: "csat".into(),
                    value: AnswerValue::Score(-2),
                },
                Answer {
                    question: "yes".into(),
                    value: AnswerValue::YesNo(false),
                },
                Answer {
                    question: "comment".into(),
                    value: AnswerValue::Text("Ünïcode \\ \"quotes\"\n\ttab \u{1} 🚚".into()),
                },
                Answer {
                    question: "why".into(),
                    value: AnswerValue::Choices(vec!["a".into(), "b".into()]),
                },
            ],
            completed: true,
            visitor: Some("v-1".into()),
        };
        let by_serde = serde_json::to_value(&response).expect("serializes");
        assert_eq!(parse(&self::response(&response)), by_serde);
        response.locale = None;
        response.context.clear();
        response.answers.truncate(1);
        response.visitor = None;
        response.completed = false;
        let by_serde = serde_json::to_value(&response).expect("serializes");
        assert_eq!(parse(&self::response(&response)), by_serde);
    }

    #[test]
    fn the_history_round_trips() {
        let mut history = History::default();
        assert_eq!(
            crate::decode::history(&parse(&self::history(&history))),
            history
        );
        history.record_answered(Stage::Checkout, Some("1042"), 1_780_000_000_000);
        history.record_dismissed(Stage::Support, 1_780_000_000_001);
        history.record_shown(1_779_999_000_000);
        let json = self::history(&history);
        assert_eq!(crate::decode::history(&parse(&json)), history);
        assert_eq!(
            parse(&json),
            serde_json::to_value(&history).expect("serializes")
        );
    }
}
