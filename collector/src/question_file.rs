//! The question-set file marketers keep in version control (`collector questions import|export`):
//! TOML, one table per stage, every question type, condition and translation, plus the site's theme
//! and etiquette (triggers, sampling, recontact limits), flatter than the API's JSON so it reads and
//! diffs well. `[theme]` and `[etiquette]` are optional: an import leaves what a file omits alone.
//!
//! ```toml
//! [theme]
//! brand = "#1d5d8f"
//! mode = "auto"
//!
//! [etiquette.browsing]
//! page_views = 3         # 0 turns a trigger off
//! checkout_paths = ["/cart", "/checkout"]
//!
//! [etiquette.sample_percent]
//! browsing = 20
//!
//! [[checkout]]
//! id = "csat"
//! kind = "csat"          # nps, csat, ces, yes_no, single_choice, multiple_choice, text
//! style = "stars"        # csat only: numbers, stars, faces
//! text = { en = "How satisfied are you?", pl = "Jak oceniasz zakupy?" }
//!
//! [[checkout]]
//! id = "comment"
//! kind = "text"
//! max_length = 500
//! optional = true
//! show_if = { question = "csat", at_most = 3 }
//! text = { en = "What could we have done better?" }
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use survey::question::DEFAULT_TEXT_LENGTH;
use survey::{
    ChoiceOption, Condition, CsatStyle, Etiquette, Localized, Question, QuestionKind, QuestionSet,
    Stage, Theme,
};

/// A whole file: the site's look and etiquette, and each stage's questions, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QuestionFile {
    /// How the survey looks; left alone by an import when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// Browsing triggers, sampling and recontact limits; left alone by an import when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etiquette: Option<Etiquette>,
    /// Each stage's questions.
    #[serde(flatten)]
    pub stages: BTreeMap<Stage, Vec<FileQuestion>>,
}

/// A parsed and checked file, in the model's terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteFile {
    /// The theme, if the file sets one.
    pub theme: Option<Theme>,
    /// The etiquette, if the file sets one.
    pub etiquette: Option<Etiquette>,
    /// Each stage's questions.
    pub sets: BTreeMap<Stage, Vec<Question>>,
}

/// One question as written in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileQuestion {
    /// Stable id; answers refer to it.
    pub id: String,
    /// `nps`, `csat`, `ces`, `yes_no`, `single_choice`, `multiple_choice` or `text`.
    pub kind: FileKind,
    /// CSAT only: `numbers`, `stars` or `faces`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<CsatStyle>,
    /// Text only: the longest answer, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Whether shoppers may skip it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// Ask only when an earlier answer meets this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// The question per language.
    pub text: Localized,
    /// Choice questions only: the options, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FileOption>,
}

/// A question's kind, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum FileKind {
    Nps,
    Csat,
    Ces,
    YesNo,
    SingleChoice,
    MultipleChoice,
    Text,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileOption {
    /// Stable id, stored with the answer.
    pub id: String,
    /// The option per language.
    pub text: Localized,
}

impl FileQuestion {
    /// The model's question; the error names the question and the misplaced field.
    pub fn into_question(self) -> Result<Question, String> {
        let misplaced = |field: &str, kinds: &str| {
            format!(
                "question {:?}: {field} is only for {kinds} questions",
                self.id
            )
        };
        if self.style.is_some() && self.kind != FileKind::Csat {
            return Err(misplaced("style", "csat"));
        }
        if self.max_length.is_some() && self.kind != FileKind::Text {
            return Err(misplaced("max_length", "text"));
        }
        let choices = matches!(self.kind, FileKind::SingleChoice | FileKind::MultipleChoice);
        if !self.options.is_empty() && !choices {
            return Err(misplaced("options", "single_choice and multiple_choice"));
        }
        let options = || {
            self.options
                .iter()
                .map(|o| ChoiceOption {
                    id: o.id.clone(),
                    text: o.text.clone(),
                })
                .collect()
        };
        let kind = match self.kind {
            FileKind::Nps => QuestionKind::Nps,
            FileKind::Csat => QuestionKind::Csat {
                style: self.style.unwrap_or_default(),
            },
            FileKind::Ces => QuestionKind::Ces,
            FileKind::YesNo => QuestionKind::YesNo,
            FileKind::SingleChoice => QuestionKind::SingleChoice { options: options() },
            FileKind::MultipleChoice => QuestionKind::MultipleChoice { options: options() },
            FileKind::Text => QuestionKind::Text {
                max_length: self.max_length.unwrap_or(DEFAULT_TEXT_LENGTH),
            },
        };
        Ok(Question {
            id: self.id,
            kind,
            text: self.text,
            optional: self.optional,
            show_if: self.show_if,
        })
    }

    /// The file form of a model question.
    pub fn from_question(question: &Question) -> Self {
        let mut file = FileQuestion {
            id: question.id.clone(),
            kind: FileKind::Nps,
            style: None,
            max_length: None,
            optional: question.optional,
            show_if: question.show_if.clone(),
            text: question.text.clone(),
            options: Vec::new(),
        };
        let file_options = |options: &[ChoiceOption]| {
            options
                .iter()
                .map(|o| FileOption {
                    id: o.id.clone(),
                    text: o.text.clone(),
                })
                .collect()
        };
        match &question.kind {
            QuestionKind::Nps => {}
            QuestionKind::Csat { style } => {
                file.kind = FileKind::Csat;
                file.style = Some(*style);
            }
            QuestionKind::Ces => file.kind = FileKind::Ces,
            QuestionKind::YesNo => file.kind = FileKind::YesNo,
            QuestionKind::SingleChoice { options } => {
                file.kind = FileKind::SingleChoice;
                file.options = file_options(options);
            }
            QuestionKind::MultipleChoice { options } => {
                file.kind = FileKind::MultipleChoice;
                file.options = file_options(options);
            }
            QuestionKind::Text { max_length } => {
                file.kind = FileKind::Text;
                file.max_length = Some(*max_length);
            }
        }
        file
    }
}

/// Parses and checks a whole file; the error names the file and what is wrong where.
pub fn parse(name: &str, text: &str) -> Result<SiteFile, String> {
    let file: QuestionFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    if let Some(theme) = &file.theme {
        theme.check().map_err(|e| format!("{name}: {e}"))?;
    }
    if let Some(etiquette) = &file.etiquette {
        etiquette
            .check()
            .map_err(|e| format!("{name}: etiquette.{e}"))?;
    }
    let mut sets = BTreeMap::new();
    for (stage, questions) in file.stages {
        let questions = questions
            .into_iter()
            .map(FileQuestion::into_question)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{name}: stage {stage}: {e}"))?;
        QuestionSet {
            stage,
            version: 0,
            questions: questions.clone(),
        }
        .check()
        .map_err(|e| format!("{name}: stage {stage}: {e}"))?;
        sets.insert(stage, questions);
    }
    Ok(SiteFile {
        theme: file.theme,
        etiquette: file.etiquette,
        sets,
    })
}

/// The file form of a site's theme, etiquette and question sets, with a header saying where it
/// came from.
pub fn render(site: &crate::store::Site, sets: &[QuestionSet]) -> Result<String, String> {
    let stages = sets
        .iter()
        .map(|set| {
            (
                set.stage,
                set.questions
                    .iter()
                    .map(FileQuestion::from_question)
                    .collect(),
            )
        })
        .collect();
    let file = QuestionFile {
        theme: Some(site.theme.clone()),
        etiquette: Some(site.etiquette.clone()),
        stages,
    };
    let site = &site.key;
    let body = toml::to_string(&file).map_err(|e| e.to_string())?;
    let versions: Vec<String> = sets
        .iter()
        .map(|s| format!("{} v{}", s.stage, s.version))
        .collect();
    Ok(format!(
        "# Question sets of the site {site:?} ({}).\n\
         # Edit, then: collector questions import --site {site} FILE [--publish]\n\n{body}",
        versions.join(", ")
    ))
}

/// What an import did to one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// The file's questions are the latest version's.
    Unchanged {
        /// That version.
        version: u32,
    },
    /// A new version was saved.
    NewVersion {
        /// Its number.
        version: u32,
    },
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Each stage in the file.
    pub stages: Vec<(Stage, Imported)>,
    /// The site settings (`theme`, `etiquette`) the file changed.
    pub changed: Vec<&'static str>,
    /// The site settings the file sets as they already were.
    pub unchanged: Vec<&'static str>,
}

impl ImportReport {
    /// Sets `current` to the file's `new` value, if the file has one, and notes whether it changed.
    fn apply<T: PartialEq>(&mut self, name: &'static str, new: Option<T>, current: &mut T) {
        let Some(new) = new else {
            return;
        };
        if new == *current {
            self.unchanged.push(name);
        } else {
            self.changed.push(name);
            *current = new;
        }
    }
}

/// Applies the file's theme and etiquette to the site, then saves every stage whose questions
/// differ from its latest version as a new version, publishing it (or the unchanged latest one)
/// when `publish` is set.
pub async fn import(
    store: &crate::store::Store,
    site: &str,
    file: SiteFile,
    publish: bool,
) -> Result<ImportReport, crate::store::StoreError> {
    use crate::store::QuestionSetStatus;
    let mut report = ImportReport::default();
    let mut settings = store.site(site).await?;
    let before = settings.clone();
    report.apply("theme", file.theme, &mut settings.theme);
    report.apply("etiquette", file.etiquette, &mut settings.etiquette);
    if settings != before {
        store.update_site(&settings).await?;
    }
    let sets = file.sets;
    let existing = store.question_set_versions(site).await?;
    for (stage, questions) in sets {
        let latest = existing
            .iter()
            .filter(|v| v.set.stage == stage)
            .max_by_key(|v| v.set.version);
        let (version, outcome) = match latest {
            Some(latest) if latest.set.questions == questions => {
                let version = latest.set.version;
                (version, Imported::Unchanged { version })
            }
            _ => {
                let created = store
                    .create_question_set_version(site, stage, questions)
                    .await?;
                let version = created.set.version;
                (version, Imported::NewVersion { version })
            }
        };
        if publish {
            store
                .set_question_set_status(site, stage, version, QuestionSetStatus::Published)
                .await?;
        }
        report.stages.push((stage, outcome));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_question_set_survives_a_round_trip_through_the_file() {
        let sets: Vec<QuestionSet> = Stage::ALL
            .into_iter()
            .map(survey::defaults::question_set)
            .collect();
        let mut site = crate::store::Site::demo();
        site.theme.mode = survey::theme::Mode::Auto;
        site.etiquette.browsing.page_views = 0;
        site.etiquette.sample_percent.insert(Stage::Delivery, 25);
        let text = render(&site, &sets).expect("renders");
        let parsed = parse("demo.toml", &text).expect("parses");
        for set in &sets {
            assert_eq!(parsed.sets[&set.stage], set.questions, "{}", set.stage);
        }
        assert_eq!(parsed.theme.as_ref(), Some(&site.theme));
        assert_eq!(parsed.etiquette.as_ref(), Some(&site.etiquette));
        assert!(text.contains("[etiquette.browsing]"), "{text}");
        assert!(text.contains("[[checkout]]"), "{text}");
        assert!(text.contains("kind = \"csat\""), "{text}");
    }

    #[test]
    fn choice_questions_read_naturally() {
        let text = r#"
            [[browsing]]
            id = "why"
            kind = "multiple_choice"
            text = { en = "Why are you here?" }
            options = [
                { id = "gift", text = { en = "A gift" } },
                { id = "self", text = { en = "For me" } },
            ]
        "#;
        let sets = parse("f.toml", text).expect("parses");
        assert_eq!((sets.theme, sets.etiquette), (None, None), "left alone");
        assert!(matches!(
            &sets.sets[&Stage::Browsing][0].kind,
            QuestionKind::MultipleChoice { options } if options.len() == 2
        ));
    }

    #[test]
    fn errors_name_the_file_the_stage_and_the_field() {
        let unknown_kind = "[[checkout]]\nid = \"a\"\nkind = \"npss\"\ntext = { en = \"?\" }\n";
        let error = parse("sets.toml", unknown_kind).expect_err("bad kind");
        assert!(
            error.contains("sets.toml") && error.contains("npss") && error.contains("nps"),
            "{error}"
        );

        let misplaced =
            "[[checkout]]\nid = \"a\"\nkind = \"nps\"\nstyle = \"stars\"\ntext = { en = \"?\" }\n";
        let error = parse("sets.toml", misplaced).expect_err("style on nps");
        assert!(
            error.contains("stage checkout") && error.contains("style is only for csat"),
            "{error}"
        );

        let bad_condition = "[[delivery]]\nid = \"why\"\nkind = \"text\"\nshow_if = { question = \"nps\", at_most = 6 }\ntext = { en = \"?\" }\n";
        let error = parse("sets.toml", bad_condition).expect_err("condition on a later question");
        assert!(
            error.contains("stage delivery") && error.contains("show_if"),
            "{error}"
        );

        let unknown_stage = "[[payment]]\nid = \"a\"\nkind = \"nps\"\ntext = { en = \"?\" }\n";
        let error = parse("sets.toml", unknown_stage).expect_err("unknown stage");
        assert!(error.contains("payment"), "{error}");
    }

    #[test]
    fn a_bad_theme_or_etiquette_is_named() {
        let error = parse("s.toml", "[theme]\nradius = 99\n").expect_err("radius");
        assert!(
            error.contains("s.toml") && error.contains("theme.radius"),
            "{error}"
        );
        let error =
            parse("s.toml", "[etiquette.sample_percent]\ncheckout = 101\n").expect_err("percent");
        assert!(
            error.contains("etiquette.sample_percent.checkout"),
            "{error}"
        );
        let error = parse("s.toml", "[etiquette.browsing]\npage_view = 3\n").expect_err("typo");
        assert!(error.contains("page_view"), "{error}");
    }
}
