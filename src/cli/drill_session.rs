//! A drill session as its front ends (the terminal UI, `--plain` lines)
//! run it: the card on screen, grading and undo, each saved at once.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::study::session::Drill;
use crate::study::{schedule, store, Card, Grade, Reviews};

/// What a front end needs to run a session.
pub struct Session<'a> {
    pub cards: &'a [Card],
    pub reviews: Reviews,
    pub drill: Drill,
    pub reviews_path: &'a Path,
}

impl<'a> Session<'a> {
    /// Grades the card on screen and saves the state.
    pub fn grade(&mut self, grade: Grade) -> Result<(), String> {
        let now = store::now()?;
        if self.drill.grade(self.cards, &mut self.reviews, grade, now) {
            store::save(self.reviews_path, &self.reviews)
                .map_err(|e| format!("cannot save {}: {e}", self.reviews_path.display()))?;
        }
        Ok(())
    }

    /// Takes back the last grade and saves; false when there was none.
    pub fn undo(&mut self) -> Result<bool, String> {
        match self.drill.undo(self.cards, &mut self.reviews) {
            None => Ok(false),
            Some(false) => Ok(true),
            Some(true) => {
                store::save(self.reviews_path, &self.reviews)
                    .map_err(|e| format!("cannot save {}: {e}", self.reviews_path.display()))?;
                Ok(true)
            }
        }
    }

    pub fn card(&self) -> Option<&'a Card> {
        let cards: &'a [Card] = self.cards;
        self.drill.current().and_then(|i| cards.get(i))
    }

    /// `1 again 1 min · 2 hard 6 min · 3 good 10 min · 4 easy 8 days`
    pub fn grade_keys(&self, now: DateTime<Utc>) -> String {
        let state = self.card().and_then(|c| self.reviews.cards.get(&c.id));
        let intervals = schedule::intervals(state, now);
        Grade::ALL
            .iter()
            .zip(intervals)
            .enumerate()
            .map(|(n, (g, d))| {
                if self.drill.cram {
                    format!("{} {}", n + 1, g.name())
                } else {
                    format!("{} {} {}", n + 1, g.name(), schedule::human(d))
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
