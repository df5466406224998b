//! Code lenses: a line over each file's first question ("24 questions · 3
//! unanswered · 5 due") and one over each studied question ("due in 3 days
//! · 82 % recall"). Plain strings at byte offsets; the server makes them
//! protocol lenses.

use crate::ide::plural;
use chrono::{DateTime, Utc};

use super::cards::{cards, CardSet};
use super::reviews::Reviews;
use super::schedule;
use crate::syntax::Notes;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    /// Start of the line the lens stands over.
    pub offset: usize,
    pub title: String,
}

/// The lenses of one file; `file` is its path relative to the notes root,
/// as card ids use it.
pub fn file_lenses(
    file: &str,
    text: &str,
    notes: &Notes,
    reviews: &Reviews,
    now: DateTime<Utc>,
) -> Vec<Lens> {
    let mut set = CardSet::default();
    cards(file, "", text, notes, true, &mut set);
    if set.cards.is_empty() {
        return Vec::new();
    }
    let mut due = 0;
    let mut new = 0;
    // Over the first line, whatever it holds: the file's own summary.
    let mut out = vec![Lens {
        offset: 0,
        title: String::new(),
    }];
    for c in &set.cards {
        let Some(state) = reviews.cards.get(&c.id) else {
            new += usize::from(c.answered);
            continue;
        };
        due += usize::from(state.is_due(now));
        let when = if state.is_due(now) {
            "due now".to_string()
        } else {
            format!("due in {}", schedule::human(state.due - now))
        };
        let recall = (schedule::recall(state, now) * 100.0).round();
        out.push(Lens {
            offset: c.offset,
            title: format!("{when} · {recall} % recall"),
        });
    }
    let questions = set.cards.len() + set.duplicates;
    let mut parts = vec![plural(questions, "question")];
    if set.unanswered > 0 {
        parts.push(format!("{} unanswered", set.unanswered));
    }
    if due > 0 {
        parts.push(format!("{due} due"));
    }
    if new > 0 {
        parts.push(format!("{new} new"));
    }
    out[0].title = parts.join(" · ");
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::study::{schedule, Grade};

    #[test]
    fn file_and_question_lenses() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let text = "Intro line\n*A?\n-> a\n\n*B?\n-> b\n\n*C?\n";
        let notes = crate::syntax::parse(text);
        let mut set = CardSet::default();
        cards("web.notes", "", text, &notes, true, &mut set);
        let mut reviews = Reviews::default();
        let a = &set.cards[0];
        reviews
            .cards
            .insert(a.id.clone(), schedule::review(a, None, Grade::Easy, now));
        let later = now + chrono::Duration::days(2);
        let lenses: Vec<String> = file_lenses("web.notes", text, &notes, &reviews, later)
            .into_iter()
            .map(|l| format!("{} {}", l.offset, l.title))
            .collect();
        expect![[r#"
            [
                "0 3 questions · 1 unanswered · 1 new",
                "11 due in 13 days · 99 % recall",
            ]
        "#]]
        .assert_debug_eq(&lenses);
    }
}
