//! Study statistics per file and per folder (topic): questions, answered,
//! unanswered, short answers, and from the review state the cards due, the
//! cards learned and the retention.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::cards::Card;
use super::reviews::Reviews;

/// An answer of fewer words than this is "short": likely a stub to expand
/// before an interview.
pub const SHORT_WORDS: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// A file or a folder, relative to the notes root (`.` for the root).
    pub name: String,
    pub questions: usize,
    pub answered: usize,
    pub unanswered: usize,
    /// Answered in fewer than [`SHORT_WORDS`] words.
    pub short: usize,
    /// Reviewed at least once.
    pub studied: usize,
    /// Studied and due now.
    pub due: usize,
    /// On a schedule of days (FSRS "review" state).
    pub learned: usize,
    /// Share of grades that were not "again"; `None` before any review.
    pub retention: Option<f64>,
    /// When the file (or the newest file of the folder) last changed.
    pub last_changed: Option<DateTime<Utc>>,
}

/// The statistics of one file from its cards (unanswered ones included).
pub fn file_stats(
    name: &str,
    cards: &[Card],
    reviews: &Reviews,
    now: DateTime<Utc>,
    last_changed: Option<DateTime<Utc>>,
) -> Stats {
    let mut s = Stats {
        name: name.to_string(),
        last_changed,
        ..Stats::default()
    };
    let mut states = Vec::new();
    for c in cards {
        s.questions += 1;
        if !c.answered {
            s.unanswered += 1;
            continue;
        }
        s.answered += 1;
        if c.answer.split_whitespace().count() < SHORT_WORDS {
            s.short += 1;
        }
        if let Some(state) = reviews.cards.get(&c.id) {
            s.studied += 1;
            s.due += usize::from(state.is_due(now));
            s.learned += usize::from(state.learned());
            states.push(state);
        }
    }
    s.retention = Reviews::retention(states);
    s
}

/// Files summed into their folders (the folder of `a/b/c.notes` is `a/b`),
/// in name order; retention weighted by the number of grades.
pub fn by_folder(files: &[Stats], reviews: &Reviews, cards: &[Card]) -> Vec<Stats> {
    let mut folders: std::collections::BTreeMap<String, Stats> = Default::default();
    for f in files {
        let folder = folder_of(&f.name);
        let s = folders.entry(folder.clone()).or_insert_with(|| Stats {
            name: folder,
            ..Stats::default()
        });
        add(s, f);
    }
    for s in folders.values_mut() {
        let name = s.name.clone();
        let states = cards
            .iter()
            .filter(|c| folder_of(&c.file) == name)
            .filter_map(|c| reviews.cards.get(&c.id));
        s.retention = Reviews::retention(states);
    }
    folders.into_values().collect()
}

/// Everything summed.
pub fn total(files: &[Stats], reviews: &Reviews, cards: &[Card]) -> Stats {
    let mut s = Stats {
        name: "total".to_string(),
        ..Stats::default()
    };
    for f in files {
        add(&mut s, f);
    }
    s.retention = Reviews::retention(cards.iter().filter_map(|c| reviews.cards.get(&c.id)));
    s
}

fn add(s: &mut Stats, f: &Stats) {
    s.questions += f.questions;
    s.answered += f.answered;
    s.unanswered += f.unanswered;
    s.short += f.short;
    s.studied += f.studied;
    s.due += f.due;
    s.learned += f.learned;
    s.last_changed = s.last_changed.max(f.last_changed);
}

fn folder_of(file: &str) -> String {
    match file.rsplit_once('/') {
        Some((folder, _)) => folder.to_string(),
        None => ".".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::{schedule, CardSet, Grade};

    #[test]
    fn counts_and_review_state() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let text = "*A?\n-> a long enough answer to count as full\n\n*B?\n-> short\n\n*C?\n";
        let mut set = CardSet::default();
        crate::study::cards(
            "web/x.notes",
            "n",
            text,
            &crate::syntax::parse(text),
            true,
            &mut set,
        );
        let mut reviews = Reviews::default();
        let c = &set.cards[0];
        let s1 = schedule::review(c, None, Grade::Again, now);
        let s2 = schedule::review(c, Some(&s1), Grade::Good, now);
        reviews.cards.insert(c.id.clone(), s2);
        let f = file_stats("web/x.notes", &set.cards, &reviews, now, None);
        assert_eq!(
            (f.questions, f.answered, f.unanswered, f.short, f.studied),
            (3, 2, 1, 1, 1)
        );
        assert_eq!(f.retention, Some(0.5));
        let folders = by_folder(std::slice::from_ref(&f), &reviews, &set.cards);
        assert_eq!(folders[0].name, "web");
        assert_eq!(folders[0].retention, Some(0.5));
        assert_eq!(total(&[f], &reviews, &set.cards).questions, 3);
    }
}
