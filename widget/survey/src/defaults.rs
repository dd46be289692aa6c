//! The question set each stage starts with, before a marketer changes it.

use crate::question::DEFAULT_TEXT_LENGTH;
use crate::{Condition, CsatStyle, Localized, Question, QuestionKind, QuestionSet, Stage};

fn question(id: &str, kind: QuestionKind, text: [&str; 3]) -> Question {
    Question {
        id: id.to_owned(),
        kind,
        text: Localized::from_pairs(&[("en", text[0]), ("pt-BR", text[1]), ("pl", text[2])]),
        optional: false,
        show_if: None,
    }
}

fn comment(id: &str, text: [&str; 3], show_if: Option<Condition>) -> Question {
    Question {
        optional: true,
        show_if,
        ..question(
            id,
            QuestionKind::Text {
                max_length: DEFAULT_TEXT_LENGTH,
            },
            text,
        )
    }
}

/// "What could we have done better?", asked when the CSAT answer is 3 or lower.
fn done_better_after_low_csat() -> Question {
    comment(
        "comment",
        [
            "What could we have done better?",
            "O que poderíamos ter feito melhor?",
            "Co mogliśmy zrobić lepiej?",
        ],
        Some(Condition {
            question: "csat".into(),
            at_most: Some(3),
            ..Condition::default()
        }),
    )
}

/// The default question set (version 1) of `stage`, in English, Brazilian Portuguese and Polish.
pub fn question_set(stage: Stage) -> QuestionSet {
    let csat = QuestionKind::Csat {
        style: CsatStyle::Numbers,
    };
    let questions = match stage {
        Stage::Browsing => vec![
            question(
                "found",
                QuestionKind::YesNo,
                [
                    "Did you find what you were looking for?",
                    "Você encontrou o que procurava?",
                    "Czy udało się znaleźć to, czego szukasz?",
                ],
            ),
            comment(
                "missing",
                ["What was missing?", "O que faltou?", "Czego zabrakło?"],
                Some(Condition {
                    question: "found".into(),
                    is: Some(false),
                    ..Condition::default()
                }),
            ),
        ],
        Stage::Checkout => vec![
            question(
                "csat",
                csat,
                [
                    "How satisfied are you with your purchase?",
                    "Quão satisfeito você está com sua compra?",
                    "Jak oceniasz swoje zadowolenie z zakupu?",
                ],
            ),
            question(
                "ces",
                QuestionKind::Ces,
                [
                    "How easy was it to place your order?",
                    "Quão fácil foi fazer seu pedido?",
                    "Jak łatwo było złożyć zamówienie?",
                ],
            ),
            done_better_after_low_csat(),
        ],
        Stage::Delivery => vec![
            question(
                "nps",
                QuestionKind::Nps,
                [
                    "How likely are you to recommend us to a friend or colleague?",
                    "Qual a probabilidade de você nos recomendar a um amigo ou colega?",
                    "Jak prawdopodobne jest, że polecisz nas znajomym?",
                ],
            ),
            comment(
                "reason",
                [
                    "What is the main reason for your score?",
                    "Qual é o principal motivo da sua nota?",
                    "Jaki jest główny powód Twojej oceny?",
                ],
                None,
            ),
        ],
        Stage::Support => vec![
            question(
                "csat",
                csat,
                [
                    "How satisfied are you with the help you received?",
                    "Quão satisfeito você está com a ajuda que recebeu?",
                    "Jak oceniasz otrzymaną pomoc?",
                ],
            ),
            question(
                "ces",
                QuestionKind::Ces,
                [
                    "How easy was it to get your issue resolved?",
                    "Quão fácil foi resolver seu problema?",
                    "Jak łatwo było rozwiązać Twój problem?",
                ],
            ),
            done_better_after_low_csat(),
        ],
        Stage::Returns => vec![
            question(
                "ces",
                QuestionKind::Ces,
                [
                    "How easy was it to return your item?",
                    "Quão fácil foi devolver seu item?",
                    "Jak łatwo było zwrócić produkt?",
                ],
            ),
            comment(
                "comment",
                [
                    "Anything we could do better?",
                    "Há algo que poderíamos fazer melhor?",
                    "Czy możemy coś poprawić?",
                ],
                None,
            ),
        ],
    };
    QuestionSet {
        stage,
        version: 1,
        questions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_question_set_is_valid_and_translated() {
        for stage in Stage::ALL {
            let set = question_set(stage);
            assert_eq!(set.check(), Ok(()), "{stage}");
            for q in &set.questions {
                for lang in ["en", "pt-BR", "pl"] {
                    assert!(q.text.0.contains_key(lang), "{stage}/{} lacks {lang}", q.id);
                }
            }
        }
    }
}
