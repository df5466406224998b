//! The review state of every studied card, as kept in
//! `.notes-ls/reviews.json`: keyed by card id, each card's FSRS memory
//! state, when it is due, and the log of its grades.
//!
//! The file is ours, not the user's notes, and it is meant to outlive
//! versions of notes-ls and of the `rs-fsrs` crate: the fields are written
//! out here rather than taken from the crate's types, and a file from a
//! newer version is refused rather than rewritten without what it knew.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reviews {
    pub version: u32,
    /// By card id (`study::card_id`); sorted, so the file diffs well.
    pub cards: BTreeMap<String, CardState>,
}

impl Default for Reviews {
    fn default() -> Self {
        Reviews {
            version: VERSION,
            cards: BTreeMap::new(),
        }
    }
}

/// The grade given to a card after seeing its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    Again,
    Hard,
    Good,
    Easy,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// The key that gives this grade: 1 to 4, as in Anki.
    pub fn from_key(key: char) -> Option<Grade> {
        match key {
            '1' => Some(Grade::Again),
            '2' => Some(Grade::Hard),
            '3' => Some(Grade::Good),
            '4' => Some(Grade::Easy),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Grade::Again => "again",
            Grade::Hard => "hard",
            Grade::Good => "good",
            Grade::Easy => "easy",
        }
    }
}

/// Where a card is in its learning, as FSRS sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    New,
    Learning,
    Review,
    Relearning,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    /// The question when last reviewed, for people reading the file; the id
    /// is what ties the state to the notes.
    pub question: String,
    /// The file the question was in, relative to the notes root.
    pub file: String,
    pub due: DateTime<Utc>,
    pub stability: f64,
    pub difficulty: f64,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub reps: i32,
    pub lapses: i32,
    pub phase: Phase,
    pub last_review: DateTime<Utc>,
    /// Every grade, oldest first.
    #[serde(default)]
    pub log: Vec<LogEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub grade: Grade,
}

impl CardState {
    /// Learned: past the first learning steps, on a schedule of days.
    pub fn learned(&self) -> bool {
        self.phase == Phase::Review
    }

    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.due <= now
    }
}

impl Reviews {
    /// Reads the file's text; a broken or newer file is an error, never
    /// replaced by an empty state.
    pub fn parse(text: &str) -> Result<Reviews, String> {
        let reviews: Reviews = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if reviews.version > VERSION {
            return Err(format!(
                "written by a newer notes-ls (format {}; this one reads {VERSION})",
                reviews.version
            ));
        }
        Ok(reviews)
    }

    /// The file's text: one card per line, so it stays small and fast to
    /// write (it is saved after every grade) and diffs well under git. An
    /// error (a number JSON cannot hold) is never written in place of the
    /// state.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = String::with_capacity(64 + self.cards.len() * 400);
        text.push_str(&format!("{{\"version\": {}, \"cards\": {{", self.version));
        for (n, (id, card)) in self.cards.iter().enumerate() {
            text.push_str(if n == 0 { "\n" } else { ",\n" });
            text.push_str(&serde_json::to_string(id)?);
            text.push_str(": ");
            text.push_str(&serde_json::to_string(card)?);
        }
        text.push_str("\n}}\n");
        Ok(text)
    }

    /// Share of grades that were not "again", over the given cards' logs.
    pub fn retention<'a>(states: impl IntoIterator<Item = &'a CardState>) -> Option<f64> {
        let (mut passed, mut total) = (0usize, 0usize);
        for s in states {
            total += s.log.len();
            passed += s.log.iter().filter(|l| l.grade != Grade::Again).count();
        }
        (total > 0).then(|| passed as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_newer_or_broken_files() {
        let mut r = Reviews::default();
        let at: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        r.cards.insert(
            "4eb5bbfa95a6b3ec".to_string(),
            CardState {
                question: "What is CSRF?".to_string(),
                file: "web.notes".to_string(),
                due: at,
                stability: 3.5,
                difficulty: 5.0,
                elapsed_days: 0,
                scheduled_days: 3,
                reps: 1,
                lapses: 0,
                phase: Phase::Review,
                last_review: at,
                log: vec![LogEntry {
                    at,
                    grade: Grade::Good,
                }],
            },
        );
        assert_eq!(Reviews::parse(&r.to_json().expect("json")), Ok(r));
        assert!(Reviews::parse("{\"version\": 9, \"cards\": {}}").is_err());
        assert!(Reviews::parse("{\"version\": 1, \"cards\": {").is_err());
    }
}
