//! `notes-ls drill`: a spaced-repetition review of the notes. Picks the
//! session's cards (`study::session`), then runs it in the terminal UI
//! (`drill_tui`) or, with `--plain`, as lines on stdin and stdout, which
//! scripts and tests can drive. The review state is saved after every
//! grade, so quitting or a crash loses at most the card on screen.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

pub use super::drill_session::Session;
use super::study_files::{self, StudyNotes};
use crate::study::session::{self, Drill, Plan};
use crate::study::{schedule, store, Card, Grade, Reviews};

#[derive(Debug, Clone)]
pub struct DrillOptions {
    pub paths: Vec<PathBuf>,
    pub topic: Option<String>,
    pub new: usize,
    pub limit: usize,
    pub cram: bool,
    pub shuffle: bool,
    pub plain: bool,
}

pub fn run(options: &DrillOptions) -> ExitCode {
    let terminal = io::stdin().is_terminal() && io::stdout().is_terminal();
    if !options.plain && !terminal {
        eprintln!("error: `notes-ls drill` needs a terminal; use `--plain` to drive it line by line from stdin");
        return ExitCode::from(super::EXIT_TROUBLE);
    }
    let notes = match StudyNotes::load_or_exit(&options.paths) {
        Ok(notes) => notes,
        Err(code) => return code,
    };
    let reviews_path = notes.reviews_path();
    let (Some(reviews), Some(now)) = (study_files::load_reviews(&reviews_path), study_files::now())
    else {
        return ExitCode::from(super::EXIT_TROUBLE);
    };
    let set = notes.cards(false);
    let plan = Plan {
        topic: options.topic.clone(),
        new: options.new,
        limit: options.limit,
        cram: options.cram,
        shuffle: options
            .shuffle
            .then(|| now.timestamp_nanos_opt().unwrap_or_default() as u64),
    };
    let order = session::plan(&set.cards, &reviews, now, &plan);
    if order.is_empty() {
        println!("{}", nothing_to_do(&set.cards, &reviews, now, options));
        return ExitCode::SUCCESS;
    }
    let mut session = Session {
        cards: &set.cards,
        reviews,
        drill: Drill::new(order, options.cram),
        reviews_path: &reviews_path,
    };
    let result = if options.plain {
        plain(
            &mut session,
            &mut io::stdin().lock(),
            &mut io::stdout().lock(),
        )
        .map_err(|e| e.to_string())
        .and_then(|r| r)
    } else {
        super::drill_tui::run(&mut session)
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        return ExitCode::from(super::EXIT_TROUBLE);
    }
    println!("{}", closing(&session, now));
    ExitCode::SUCCESS
}

/// Why the session is empty, and when there will be something to do.
fn nothing_to_do(
    cards: &[Card],
    reviews: &Reviews,
    now: DateTime<Utc>,
    o: &DrillOptions,
) -> String {
    if cards.is_empty() {
        return "no answered questions to drill".to_string();
    }
    let next = cards
        .iter()
        .filter_map(|c| reviews.cards.get(&c.id))
        .map(|s| s.due)
        .min();
    let mut line = "nothing due".to_string();
    if o.topic.is_some() {
        line.push_str(" in that topic");
    }
    if let Some(next) = next.filter(|n| *n > now) {
        line.push_str(&format!(
            "; the next card is due in {}",
            schedule::human(next - now)
        ));
    }
    line.push_str(" (--cram reviews anyway)");
    line
}

fn closing(session: &Session<'_>, now: DateTime<Utc>) -> String {
    let mut line = session.drill.tally.line();
    if session.drill.cram {
        line.push_str(" (cram: no schedule changed)");
        return line;
    }
    let due_tomorrow = session
        .cards
        .iter()
        .filter_map(|c| session.reviews.cards.get(&c.id))
        .filter(|s| s.due <= now + chrono::Duration::days(1))
        .count();
    line.push_str(&format!("; {due_tomorrow} due within a day"));
    line
}

/// The line mode: a question, then Enter (or anything but a grade) shows
/// the answer, 1-4 grades it, `u` takes the last grade back, `q` quits;
/// the end of input quits too.
pub fn plain(
    session: &mut Session<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<Result<(), String>> {
    let mut line = String::new();
    while let Some(card) = session.card() {
        if !session.drill.revealed {
            let left = session.drill.left();
            writeln!(out, "[{left} left] {}:{}", card.file, card.line)?;
            writeln!(out, "Q: {}", card.question)?;
            writeln!(out, "(Enter: show the answer · q: quit)")?;
        }
        out.flush()?;
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        let typed = line.trim();
        if typed == "q" {
            break;
        }
        if typed == "u" {
            match session.undo() {
                Ok(true) => {
                    let back = session.card().map_or("", |c| c.question.as_str());
                    writeln!(out, "undone; back to: {back} (1-4 grades it again)")?;
                }
                Ok(false) => writeln!(out, "nothing to undo")?,
                Err(e) => return Ok(Err(e)),
            }
            continue;
        }
        let mut keys = typed.chars();
        match (keys.next().and_then(Grade::from_key), keys.next()) {
            (Some(grade), None) => {
                if let Err(e) = session.grade(grade) {
                    return Ok(Err(e));
                }
                writeln!(out, "graded {}\n", grade.name())?;
            }
            _ if !session.drill.revealed => {
                session.drill.reveal();
                writeln!(out, "A:")?;
                for l in card.answer.lines() {
                    writeln!(out, "  {l}")?;
                }
                let now = store::now().unwrap_or_else(|_| Utc::now());
                writeln!(
                    out,
                    "grade: {} · u: undo · q: quit",
                    session.grade_keys(now)
                )?;
            }
            _ => writeln!(
                out,
                "type 1 (again), 2 (hard), 3 (good) or 4 (easy); q quits"
            )?,
        }
    }
    out.flush()?;
    Ok(Ok(()))
}
