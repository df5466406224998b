//! Which files are notes under a configuration: its `include` globs minus
//! its `exclude` globs, on paths relative to a workspace root.

use super::Config;

impl Config {
    /// A matcher for `include` minus `exclude`, on paths relative to a root.
    pub fn file_matcher(&self) -> FileMatcher {
        FileMatcher {
            include: build_set(&self.include),
            exclude: build_set(&self.exclude),
        }
    }
}

/// Decides whether a relative path is a notes file under the configuration.
#[derive(Debug, Clone)]
pub struct FileMatcher {
    include: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl FileMatcher {
    pub fn is_notes_file(&self, relative: &std::path::Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }

    pub fn is_excluded(&self, relative: &std::path::Path) -> bool {
        self.exclude.is_match(relative)
    }
}

fn build_set(globs: &[String]) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        // Checked when the configuration was read.
        if let Ok(glob) = globset::Glob::new(g) {
            b.add(glob);
        }
    }
    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
}
