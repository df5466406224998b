//! FSRS scheduling through the `rs-fsrs` crate (the algorithm Anki uses):
//! the next state of a card after a grade, the interval each grade would
//! give, and the chance of recalling a card now.
//!
//! Default parameters (90 % target retention, short-term learning steps,
//! no fuzz), so the same grades at the same times always give the same
//! schedule.

use chrono::{DateTime, Duration, Utc};
use rs_fsrs::{Card as FsrsCard, Rating, State, FSRS};

use super::cards::Card;
use super::reviews::{CardState, Grade, LogEntry, Phase};

/// The state of `card` after `grade` at `now`; `prev` is its state before,
/// `None` for a new card. The log goes on; question and file are updated.
pub fn review(
    card: &Card,
    prev: Option<&CardState>,
    grade: Grade,
    now: DateTime<Utc>,
) -> CardState {
    let next = FSRS::default()
        .next(to_fsrs(prev, now), now, rating(grade))
        .card;
    let mut log = prev.map(|p| p.log.clone()).unwrap_or_default();
    log.push(LogEntry { at: now, grade });
    CardState {
        question: card.question.clone(),
        file: card.file.clone(),
        due: next.due,
        stability: next.stability,
        difficulty: next.difficulty,
        elapsed_days: next.elapsed_days,
        scheduled_days: next.scheduled_days,
        reps: next.reps,
        lapses: next.lapses,
        phase: phase(next.state),
        last_review: next.last_review,
        log,
    }
}

/// How long until the card is due again after each grade, in the order of
/// [`Grade::ALL`].
pub fn intervals(prev: Option<&CardState>, now: DateTime<Utc>) -> [Duration; 4] {
    let preview = FSRS::default().repeat(to_fsrs(prev, now), now);
    Grade::ALL.map(|g| {
        preview
            .get(&rating(g))
            .map_or(Duration::zero(), |info| info.card.due - now)
    })
}

/// The chance, 0 to 1, of recalling the card at `now` (the FSRS forgetting
/// curve); 1 right after a review.
pub fn recall(state: &CardState, now: DateTime<Utc>) -> f64 {
    to_fsrs(Some(state), now)
        .get_retrievability(now)
        .clamp(0.0, 1.0)
}

/// `10 min`, `5 h`, `3 days`, `4 months`: an interval as a person says it.
pub fn human(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    if minutes < 60 {
        return format!("{} min", minutes.max(1));
    }
    let hours = d.num_hours();
    if hours < 24 {
        return format!("{hours} h");
    }
    let days = d.num_days();
    match days {
        1 => "1 day".to_string(),
        2..=59 => format!("{days} days"),
        60..=729 => format!("{} months", days / 30),
        _ => format!("{} years", days / 365),
    }
}

fn to_fsrs(prev: Option<&CardState>, now: DateTime<Utc>) -> FsrsCard {
    let Some(p) = prev else {
        return FsrsCard {
            due: now,
            last_review: now,
            ..FsrsCard::default()
        };
    };
    FsrsCard {
        due: p.due,
        stability: p.stability,
        difficulty: p.difficulty,
        elapsed_days: p.elapsed_days,
        scheduled_days: p.scheduled_days,
        reps: p.reps,
        lapses: p.lapses,
        state: match p.phase {
            Phase::New => State::New,
            Phase::Learning => State::Learning,
            Phase::Review => State::Review,
            Phase::Relearning => State::Relearning,
        },
        last_review: p.last_review,
    }
}

fn phase(state: State) -> Phase {
    match state {
        State::New => Phase::New,
        State::Learning => Phase::Learning,
        State::Review => Phase::Review,
        State::Relearning => Phase::Relearning,
    }
}

fn rating(grade: Grade) -> Rating {
    match grade {
        Grade::Again => Rating::Again,
        Grade::Hard => Rating::Hard,
        Grade::Good => Rating::Good,
        Grade::Easy => Rating::Easy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            id: "x".to_string(),
            question: "Q?".to_string(),
            answer: "A".to_string(),
            file: "f.notes".to_string(),
            line: 1,
            offset: 0,
            answered: true,
            tags: Vec::new(),
            deck: "d".to_string(),
        }
    }

    #[test]
    fn good_then_good_spaces_reviews_out() {
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("a date");
        let first = review(&card(), None, Grade::Good, now);
        assert_eq!(first.log.len(), 1);
        let later = first.due + Duration::days(1);
        let second = review(&card(), Some(&first), Grade::Good, later);
        assert_eq!(second.log.len(), 2);
        assert!(second.due - later > first.due - now, "the interval grows");
        let [again, hard, good, easy] = intervals(Some(&second), later);
        assert!(again < hard && hard <= good && good < easy);
        assert!(recall(&second, later) > 0.99);
        assert!(recall(&second, later + Duration::days(365)) < 0.9);
    }

    #[test]
    fn human_intervals() {
        let words: Vec<String> = [0, 10, 300, 1440, 4320, 90 * 1440, 800 * 1440]
            .into_iter()
            .map(|m| human(Duration::minutes(m)))
            .collect();
        assert_eq!(
            words,
            ["1 min", "10 min", "5 h", "1 day", "3 days", "3 months", "2 years"]
        );
    }
}
