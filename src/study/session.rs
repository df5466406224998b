//! A drill session, apart from any terminal: which cards to show and in
//! what order, and what each grade does to the review state. The terminal
//! UI and the `--plain` line mode both drive this, so they schedule alike.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::cards::Card;
use super::reviews::{CardState, Grade, Reviews};
use super::schedule;

#[derive(Debug, Clone)]
pub struct Plan {
    /// Only cards whose file path contains this (any case).
    pub topic: Option<String>,
    /// New cards (never reviewed) at most.
    pub new: usize,
    /// Cards in the session at most.
    pub limit: usize,
    /// Every matching card, due or not, and no schedule written.
    pub cram: bool,
    /// Shuffle the session with this seed.
    pub shuffle: Option<u64>,
}

/// Indexes into `cards` of the session's cards: due cards first, the most
/// overdue first, then new cards in the order of the notes.
pub fn plan(cards: &[Card], reviews: &Reviews, now: DateTime<Utc>, plan: &Plan) -> Vec<usize> {
    let topic = plan.topic.as_ref().map(|t| t.to_lowercase());
    let matching = cards.iter().enumerate().filter(|(_, c)| {
        c.answered
            && topic
                .as_ref()
                .map_or(true, |t| c.file.to_lowercase().contains(t.as_str()))
    });
    let mut chosen: Vec<usize> = if plan.cram {
        matching.map(|(i, _)| i).collect()
    } else {
        let mut due = Vec::new();
        let mut new = Vec::new();
        for (i, c) in matching {
            match reviews.cards.get(&c.id) {
                Some(s) if s.is_due(now) => due.push((s.due, i)),
                Some(_) => {}
                None if new.len() < plan.new => new.push(i),
                None => {}
            }
        }
        due.sort();
        due.into_iter().map(|(_, i)| i).chain(new).collect()
    };
    chosen.truncate(plan.limit);
    if let Some(seed) = plan.shuffle {
        fastrand::Rng::with_seed(seed).shuffle(&mut chosen);
    }
    chosen
}

/// What a session did, for its closing line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Per grade, in the order of [`Grade::ALL`].
    pub grades: [usize; 4],
}

impl Tally {
    pub fn reviewed(&self) -> usize {
        self.grades.iter().sum()
    }

    /// `reviewed 3 cards: 1 again, 2 good`
    pub fn line(&self) -> String {
        let parts: Vec<String> = Grade::ALL
            .iter()
            .zip(self.grades)
            .filter(|(_, n)| *n > 0)
            .map(|(g, n)| format!("{n} {}", g.name()))
            .collect();
        let n = self.reviewed();
        let cards = if n == 1 { "card" } else { "cards" };
        if parts.is_empty() {
            format!("reviewed {n} {cards}")
        } else {
            format!("reviewed {n} {cards}: {}", parts.join(", "))
        }
    }
}

/// The cards still to show, and the one on screen.
#[derive(Debug, Clone)]
pub struct Drill {
    queue: VecDeque<usize>,
    /// Before each grade: the queue, the tally, and the card's state, so
    /// a grade given by mistake can be taken back, as in Anki.
    undo: Vec<(VecDeque<usize>, Tally, usize, Option<CardState>)>,
    /// The answer of the current card is shown.
    pub revealed: bool,
    pub cram: bool,
    pub tally: Tally,
    /// Cards in the session at the start, for "3/20".
    pub total: usize,
}

impl Drill {
    pub fn new(order: Vec<usize>, cram: bool) -> Drill {
        Drill {
            total: order.len(),
            queue: order.into(),
            undo: Vec::new(),
            revealed: false,
            cram,
            tally: Tally::default(),
        }
    }

    /// The card on screen, `None` when the session is over.
    pub fn current(&self) -> Option<usize> {
        self.queue.front().copied()
    }

    /// Cards left, the current one included.
    pub fn left(&self) -> usize {
        self.queue.len()
    }

    pub fn reveal(&mut self) {
        self.revealed = true;
    }

    /// Grades the current card: its new state goes into `reviews` (unless
    /// cramming), and a card graded "again" comes back at the end of the
    /// session, as Anki's learning steps do. Returns whether `reviews`
    /// changed.
    pub fn grade(
        &mut self,
        cards: &[Card],
        reviews: &mut Reviews,
        grade: Grade,
        now: DateTime<Utc>,
    ) -> bool {
        let Some(&i) = self.queue.front() else {
            return false;
        };
        let before = cards.get(i).and_then(|c| reviews.cards.get(&c.id)).cloned();
        self.undo.push((self.queue.clone(), self.tally, i, before));
        self.queue.pop_front();
        self.revealed = false;
        if let Some(n) = Grade::ALL.iter().position(|g| *g == grade) {
            self.tally.grades[n] += 1;
        }
        if grade == Grade::Again {
            self.queue.push_back(i);
        }
        if self.cram {
            return false;
        }
        let Some(card) = cards.get(i) else {
            return false;
        };
        let next = schedule::review(card, reviews.cards.get(&card.id), grade, now);
        reviews.cards.insert(card.id.clone(), next);
        true
    }

    /// Takes back the last grade: the card is on screen again, with its
    /// answer shown, and its state is what it was. Returns whether
    /// `reviews` changed; `None` when there is nothing to undo.
    pub fn undo(&mut self, cards: &[Card], reviews: &mut Reviews) -> Option<bool> {
        let (queue, tally, i, before) = self.undo.pop()?;
        self.queue = queue;
        self.tally = tally;
        self.revealed = true;
        if self.cram {
            return Some(false);
        }
        let card = cards.get(i)?;
        match before {
            Some(state) => reviews.cards.insert(card.id.clone(), state),
            None => reviews.cards.remove(&card.id),
        };
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::CardSet;

    fn cards() -> Vec<Card> {
        let text = "*A?\n-> a\n\n*B?\n-> b\n\n*C?\n-> c\n\n*D?\n";
        let mut set = CardSet::default();
        crate::study::cards(
            "web.notes",
            "n",
            text,
            &crate::syntax::parse(text),
            true,
            &mut set,
        );
        set.cards
    }

    fn options() -> Plan {
        Plan {
            topic: None,
            new: 2,
            limit: 10,
            cram: false,
            shuffle: None,
        }
    }

    #[test]
    fn due_first_then_new_up_to_the_limit() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let cards = cards();
        let mut reviews = Reviews::default();
        assert_eq!(plan(&cards, &reviews, now, &options()), [0, 1]);
        let mut drill = Drill::new(vec![2], false);
        assert!(drill.grade(&cards, &mut reviews, Grade::Again, now));
        assert_eq!(drill.current(), Some(2), "again comes back");
        // C was graded "again" a minute ago: due in minutes, not now.
        let soon = now + chrono::Duration::days(1);
        assert_eq!(plan(&cards, &reviews, soon, &options()), [2, 0, 1]);
        let cram = Plan {
            cram: true,
            ..options()
        };
        assert_eq!(plan(&cards, &reviews, now, &cram), [0, 1, 2]);
        let topic = Plan {
            topic: Some("DB".to_string()),
            ..options()
        };
        assert!(plan(&cards, &reviews, now, &topic).is_empty());
    }

    #[test]
    fn shuffle_keeps_the_same_cards() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let cards = cards();
        let all = Plan {
            cram: true,
            ..options()
        };
        let mut shuffled = Vec::new();
        for seed in 0..8 {
            let mut order = plan(
                &cards,
                &Reviews::default(),
                now,
                &Plan {
                    shuffle: Some(seed),
                    ..all.clone()
                },
            );
            shuffled.push(order.clone());
            order.sort_unstable();
            assert_eq!(order, [0, 1, 2]);
        }
        assert!(
            shuffled.iter().any(|o| *o != [0, 1, 2]),
            "some seed changes the order"
        );
    }

    #[test]
    fn undo_takes_back_a_grade() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let cards = cards();
        let mut reviews = Reviews::default();
        let mut drill = Drill::new(vec![0, 1], false);
        drill.grade(&cards, &mut reviews, Grade::Good, now);
        let after_first = reviews.clone();
        drill.grade(&cards, &mut reviews, Grade::Again, now);
        assert_eq!(drill.current(), Some(1));
        assert_eq!(drill.undo(&cards, &mut reviews), Some(true));
        assert_eq!(
            (drill.current(), drill.left(), drill.revealed),
            (Some(1), 1, true)
        );
        assert_eq!(reviews, after_first);
        assert_eq!(drill.undo(&cards, &mut reviews), Some(true));
        assert!(reviews.cards.is_empty());
        assert_eq!(drill.tally, Tally::default());
        assert_eq!(drill.undo(&cards, &mut reviews), None);
    }

    #[test]
    fn cramming_writes_nothing() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let cards = cards();
        let mut reviews = Reviews::default();
        let mut drill = Drill::new(vec![0, 1], true);
        assert!(!drill.grade(&cards, &mut reviews, Grade::Good, now));
        assert!(reviews.cards.is_empty());
        assert_eq!(drill.tally.line(), "reviewed 1 card: 1 good");
    }
}
