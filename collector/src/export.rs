//! Encoding exported answers as CSV (one row per answer) or NDJSON (one line per response), in
//! chunks, so an export of any size streams in constant memory.

use crate::store::ExportRow;
use serde_json::{Map, Value, json};

/// Bytes gathered before a chunk is handed to the HTTP body.
pub const CHUNK_BYTES: usize = 32 * 1024;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values, one row per answer, with a header row.
    Csv,
    /// Newline-delimited JSON, one response per line.
    Ndjson,
}

impl Format {
    /// The `Content-Type` of the body.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
        }
    }
}

const CSV_HEADER: [&str; 13] = [
    "response_id",
    "received_at",
    "stage",
    "question_set_version",
    "locale",
    "device",
    "order",
    "completed",
    "question",
    "kind",
    "score",
    "value",
    "context",
];

/// Turns export rows into body chunks.
pub struct Encoder {
    format: Format,
    buffer: Vec<u8>,
    /// NDJSON: the response being gathered (its rows arrive consecutively).
    pending: Option<(String, Map<String, Value>, Vec<Value>)>,
}

impl Encoder {
    /// An encoder; CSV starts with its header row.
    pub fn new(format: Format) -> Self {
        let mut encoder = Encoder {
            format,
            buffer: Vec::with_capacity(CHUNK_BYTES * 2),
            pending: None,
        };
        if format == Format::Csv {
            encoder.csv_record(&CSV_HEADER.map(str::to_owned));
        }
        encoder
    }

    /// Adds one row; returns a chunk once enough bytes have gathered.
    pub fn push(&mut self, row: ExportRow) -> Option<Vec<u8>> {
        match self.format {
            Format::Csv => {
                let record = [
                    row.response_id,
                    timestamp(row.received_at),
                    row.stage,
                    row.question_set_version.to_string(),
                    row.locale.unwrap_or_default(),
                    row.device.unwrap_or_default(),
                    row.order_ref.unwrap_or_default(),
                    row.completed.to_string(),
                    row.question,
                    row.kind,
                    row.score.map(|s| s.to_string()).unwrap_or_default(),
                    csv_value(&row.value),
                    row.context,
                ];
                self.csv_record(&record);
            }
            Format::Ndjson => {
                let answer = json!({
                    "question": row.question,
                    "value": serde_json::from_str::<Value>(&row.value).unwrap_or(Value::Null),
                });
                match &mut self.pending {
                    Some((id, _, answers)) if *id == row.response_id => answers.push(answer),
                    _ => {
                        self.flush_response();
                        let mut response = Map::new();
                        response.insert("id".into(), json!(row.response_id));
                        response.insert("stage".into(), json!(row.stage));
                        response.insert(
                            "question_set_version".into(),
                            json!(row.question_set_version),
                        );
                        response.insert("received_at".into(), json!(timestamp(row.received_at)));
                        response.insert("locale".into(), json!(row.locale));
                        response.insert("device".into(), json!(row.device));
                        response.insert(
                            "context".into(),
                            serde_json::from_str(&row.context).unwrap_or(Value::Null),
                        );
                        response.insert("completed".into(), json!(row.completed));
                        self.pending = Some((row.response_id, response, vec![answer]));
                    }
                }
            }
        }
        (self.buffer.len() >= CHUNK_BYTES).then(|| std::mem::take(&mut self.buffer))
    }

    /// The last chunk.
    pub fn finish(mut self) -> Vec<u8> {
        self.flush_response();
        self.buffer
    }

    fn flush_response(&mut self) {
        if let Some((_, mut response, answers)) = self.pending.take() {
            response.insert("answers".into(), Value::Array(answers));
            // Serializing a Map of Values cannot fail.
            if serde_json::to_writer(&mut self.buffer, &response).is_ok() {
                self.buffer.push(b'\n');
            }
        }
    }

    fn csv_record(&mut self, record: &[String]) {
        let mut writer = csv::WriterBuilder::new().from_writer(&mut self.buffer);
        let defused = record.iter().map(|cell| defuse_formula(cell).into_owned());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(defused);
        let _ = writer.flush();
    }
}

/// The answer's value for a CSV cell: texts without their JSON quotes, lists as `a;b`.
fn csv_value(json: &str) -> String {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::String(text)) => text,
        Ok(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(";"),
        Ok(other) => other.to_string(),
        Err(_) => json.to_owned(),
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first)
/// gets a leading `'`, which spreadsheets show as text (OWASP's advice for CSV injection).
pub fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn timestamp(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, question: &str, score: Option<i64>, value: &str) -> ExportRow {
        ExportRow {
            response_id: id.into(),
            stage: "checkout".into(),
            question_set_version: 1,
            received_at: 1_793_750_400_000,
            locale: Some("en".into()),
            device: Some("mobile".into()),
            order_ref: Some("1042".into()),
            context: r#"{"order":"1042"}"#.into(),
            completed: true,
            question: question.into(),
            kind: if score.is_some() { "csat" } else { "text" }.into(),
            score,
            value: value.into(),
        }
    }

    #[test]
    fn formulas_are_defused_and_plain_text_is_not() {
        assert_eq!(defuse_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse_formula("+1"), "'+1");
        assert_eq!(defuse_formula("-2+3"), "'-2+3");
        assert_eq!(defuse_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse_formula("\tx"), "'\tx");
        assert_eq!(defuse_formula("Great, thanks"), "Great, thanks");
    }

    #[test]
    fn csv_has_one_quoted_row_per_answer() {
        let mut encoder = Encoder::new(Format::Csv);
        assert!(encoder.push(row("r1", "csat", Some(4), "4")).is_none());
        encoder.push(row(
            "r1",
            "comment",
            None,
            r#""=cmd|' /C calc'!A0, said \"hi\"""#,
        ));
        let csv = String::from_utf8(encoder.finish()).expect("utf-8");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert_eq!(
            lines[1],
            "r1,2026-11-04T00:00:00Z,checkout,1,en,mobile,1042,true,csat,csat,4,4,\"{\"\"order\"\":\"\"1042\"\"}\""
        );
        assert!(
            lines[2].contains(r#","'=cmd|' /C calc'!A0, said ""hi""","#),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn ndjson_has_one_line_per_response() {
        let mut encoder = Encoder::new(Format::Ndjson);
        encoder.push(row("r1", "csat", Some(2), "2"));
        encoder.push(row("r1", "comment", None, r#""slow""#));
        encoder.push(row("r2", "csat", Some(5), "5"));
        let text = String::from_utf8(encoder.finish()).expect("utf-8");
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "r1");
        assert_eq!(
            lines[0]["answers"],
            json!([{ "question": "csat", "value": 2 }, { "question": "comment", "value": "slow" }])
        );
        assert_eq!(lines[0]["context"], json!({ "order": "1042" }));
        assert_eq!(
            lines[1]["answers"],
            json!([{ "question": "csat", "value": 5 }])
        );
    }
}
