//! Terminal colours: whether to use them, and the rustc-like palette.

use std::fmt;
use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

use crate::ide::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether output to stdout gets colour.
    pub fn for_stdout(self) -> bool {
        self.enabled(std::io::stdout().is_terminal())
    }

    /// Whether the warnings and errors on stderr get colour.
    pub fn for_stderr(self) -> bool {
        self.enabled(std::io::stderr().is_terminal())
    }

    /// `NO_COLOR` counts only when set to something (see no-color.org);
    /// `TERM=dumb` terminals cannot show colour.
    fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                terminal && !no_color && !dumb
            }
        }
    }
}

/// The styles of each part of a report; all plain when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    pub hint: Style,
    /// Line numbers, `-->`, `|` and `=`.
    pub gutter: Style,
    /// The message on a diagnostic's first line.
    pub message: Style,
    pub help: Style,
    pub note: Style,
}

impl Styles {
    pub fn new(color: bool) -> Styles {
        if !color {
            return Styles::plain();
        }
        let bold = |c: AnsiColor| Style::new().bold().fg_color(Some(c.into()));
        Styles {
            error: bold(AnsiColor::BrightRed),
            warning: bold(AnsiColor::BrightYellow),
            info: bold(AnsiColor::BrightBlue),
            hint: bold(AnsiColor::BrightCyan),
            gutter: bold(AnsiColor::BrightBlue),
            message: Style::new().bold(),
            help: bold(AnsiColor::BrightCyan),
            note: bold(AnsiColor::BrightGreen),
        }
    }

    pub fn plain() -> Styles {
        let p = Style::new();
        Styles {
            error: p,
            warning: p,
            info: p,
            hint: p,
            gutter: p,
            message: p,
            help: p,
            note: p,
        }
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Information => self.info,
            Severity::Hint => self.hint,
        }
    }
}

/// `text` wrapped in `style`; a plain style writes no escape codes at all.
pub struct Paint<'a>(pub Style, pub &'a str);

impl fmt::Display for Paint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.0.render(), self.1, self.0.render_reset())
    }
}
