//! The drill in a full-screen terminal UI (ratatui over crossterm): the
//! question, the answer after space or Enter, grades on 1-4 with the
//! interval each would give, u to take the last grade back, the arrows
//! (or j/k, page up/down) to scroll a long answer, q or Esc to quit. The terminal is restored on
//! every way out, a panic included (`ratatui::init` installs that hook).

use chrono::Utc;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};
use ratatui::Frame;

use super::drill_session::Session;
use crate::study::{store, Grade};

pub fn run(session: &mut Session<'_>) -> Result<(), String> {
    let mut terminal =
        ratatui::try_init().map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let result = event_loop(&mut terminal, session);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    session: &mut Session<'_>,
) -> Result<(), String> {
    let mut message = String::new();
    // Lines the answer is scrolled by, for answers taller than the screen.
    let mut scroll: u16 = 0;
    while session.card().is_some() {
        terminal
            .draw(|f| draw(f, session, &message, scroll))
            .map_err(|e| e.to_string())?;
        let Event::Key(key) = event::read().map_err(|e| e.to_string())? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        message.clear();
        let on_screen = session.drill.current();
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => break,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => break,
            KeyCode::Char(' ') | KeyCode::Enter => session.drill.reveal(),
            KeyCode::Down | KeyCode::Char('j') => scroll = scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => scroll = scroll.saturating_sub(1),
            KeyCode::PageDown => scroll = scroll.saturating_add(10),
            KeyCode::PageUp => scroll = scroll.saturating_sub(10),
            KeyCode::Char('u') => {
                message = if session.undo()? {
                    "undone".to_string()
                } else {
                    "nothing to undo".to_string()
                };
            }
            KeyCode::Char(c) => match Grade::from_key(c) {
                Some(grade) if session.drill.revealed => {
                    session.grade(grade)?;
                    message = format!("graded {}", grade.name());
                }
                Some(_) => message = "show the answer first (space)".to_string(),
                None => {}
            },
            _ => {}
        }
        if session.drill.current() != on_screen {
            scroll = 0;
        }
    }
    Ok(())
}

fn draw(frame: &mut Frame<'_>, session: &Session<'_>, message: &str, scroll: u16) {
    let Some(card) = session.card() else {
        return;
    };
    let drill = &session.drill;
    // The question box as tall as the question, wrapped, up to six lines.
    let width = usize::from(frame.area().width.saturating_sub(4)).max(1);
    let lines = card.question.chars().count().div_ceil(width).clamp(1, 6);
    let [top, question, answer, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(lines as u16 + 2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let mode = if drill.cram { " · cram" } else { "" };
    let status = format!(
        " notes-ls drill{mode} · {} left · {} reviewed · {}:{}   {}",
        drill.left(),
        drill.tally.reviewed(),
        card.file,
        card.line,
        message
    );
    frame.render_widget(Paragraph::new(status).style(Style::new().reversed()), top);
    frame.render_widget(
        Paragraph::new(Text::from(card.question.as_str()).bold())
            .wrap(Wrap { trim: false })
            .block(box_titled(" Question ")),
        question,
    );
    let body = if drill.revealed {
        Text::from(card.answer.as_str())
    } else {
        Text::from(Line::from("press space to show the answer").fg(Color::DarkGray))
    };
    frame.render_widget(
        Paragraph::new(body)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(box_titled(" Answer ")),
        answer,
    );
    let now = store::now().unwrap_or_else(|_| Utc::now());
    let help = if drill.revealed {
        format!(" {} · u undo · ↑↓ scroll · q quit", session.grade_keys(now))
    } else {
        " space show answer · q quit".to_string()
    };
    frame.render_widget(
        Paragraph::new(help).style(Style::new().add_modifier(Modifier::DIM)),
        keys,
    );
}

fn box_titled(title: &str) -> Block<'_> {
    Block::new()
        .borders(Borders::ALL)
        .padding(Padding::horizontal(1))
        .title(title)
}
