//! Whether a finding fails the run. (Its severity comes from the
//! configuration, in `workspace::diagnose`, as in the editor.)

use clap::ValueEnum;

use crate::ide::Severity;

/// The least severe finding that makes `check` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Deny {
    /// Warnings and errors fail the run.
    #[default]
    Warning,
    /// Information, warnings and errors fail the run.
    Info,
    /// Findings never fail the run.
    None,
}

impl Deny {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            Deny::Warning => severity >= Severity::Warning,
            Deny::Info => severity >= Severity::Information,
            Deny::None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_levels() {
        assert!(Deny::Warning.fails(Severity::Error));
        assert!(Deny::Warning.fails(Severity::Warning));
        assert!(!Deny::Warning.fails(Severity::Information));
        assert!(Deny::Info.fails(Severity::Information));
        assert!(!Deny::Info.fails(Severity::Hint));
        assert!(!Deny::None.fails(Severity::Error));
    }
}
