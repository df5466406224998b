//! The user's glossary files: which the configuration names, where each
//! may be read from (inside the workspace unless the user's own editor
//! settings name it), loading them into the term index, and the file "add
//! to glossary" edits. Each is read as untrusted input.

use std::path::{Path, PathBuf};

use super::WorkspaceIndex;
use crate::ide::DocKey;
use crate::workspace::own_file::{self, read_own_file, Refused, Scope, GLOSSARY_MAX_SIZE};

/// A configured glossary file left out.
#[derive(Debug)]
pub enum GlossaryProblem {
    /// Not read at all: outside the workspace, a link, not a regular file,
    /// too large, not UTF-8, or unreadable.
    Refused(Refused),
    /// Read, but not a glossary (the TOML error, quoted safely).
    Invalid { path: PathBuf, error: String },
}

impl std::fmt::Display for GlossaryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlossaryProblem::Refused(refused) => write!(f, "ignoring glossary {refused}"),
            GlossaryProblem::Invalid { path, error } => {
                let path = crate::ide::printable(&path.display().to_string(), 300);
                write!(f, "ignoring glossary {path}: {error}")
            }
        }
    }
}

impl WorkspaceIndex {
    /// The user glossary files the configuration names, under each of
    /// `bases` (the workspace roots; for the CLI, the folder of its
    /// configuration or the current one). A missing file is not an error: the
    /// default `glossary.toml` is only a place where one may be.
    pub fn glossary_files(&self, bases: &[PathBuf]) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for base in bases {
            for rel in &self.config.glossary_paths {
                let p = base.join(rel);
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Loads (or reloads) the configured user glossaries; a bad one is
    /// reported through `log` and left out.
    pub fn load_glossaries(&mut self, bases: &[PathBuf], log: &mut dyn FnMut(String)) {
        self.load_glossaries_with(bases, &mut |problem| log(problem.to_string()));
    }

    /// [`load_glossaries`](Self::load_glossaries), telling a file refused as
    /// unsafe from one that is not a glossary. Each file is read as
    /// untrusted input ([`read_own_file`]): inside `bases` unless the user's
    /// editor settings named it, a regular file, no link, at most
    /// [`GLOSSARY_MAX_SIZE`].
    pub fn load_glossaries_with(
        &mut self,
        bases: &[PathBuf],
        report: &mut dyn FnMut(GlossaryProblem),
    ) {
        for old in std::mem::take(&mut self.glossaries) {
            self.terms.remove_user_glossary(&DocKey::of(&old));
        }
        for path in self.glossary_files(bases) {
            let text =
                match read_own_file(&path, self.glossary_scope(&path, bases), GLOSSARY_MAX_SIZE) {
                    Ok(Some(text)) => text,
                    // The default `glossary.toml` is only a place where one may be.
                    Ok(None) => continue,
                    Err(refused) => {
                        report(GlossaryProblem::Refused(refused));
                        continue;
                    }
                };
            match self.terms.set_user_glossary(&DocKey::of(&path), &text) {
                Ok(_) => self.glossaries.push(path),
                Err(error) => report(GlossaryProblem::Invalid { path, error }),
            }
        }
    }

    /// Where the glossary file at `path` may be read from: anywhere when
    /// the user's own editor settings name it by an absolute path; else
    /// inside `bases`. A relative path from the settings still resolves in
    /// the workspace, whose contents (links included) are not the user's.
    fn glossary_scope<'a>(&self, path: &Path, bases: &'a [PathBuf]) -> Scope<'a> {
        let named = self
            .config
            .glossary_paths
            .iter()
            .any(|p| Path::new(p).is_absolute() && Path::new(p) == path);
        if self.config.glossary_from_editor && named {
            Scope::Anywhere
        } else {
            Scope::Inside(bases)
        }
    }

    /// The file "add to glossary" edits under `root` (the first configured
    /// glossary) and its text, `None` for a file to create; checked as
    /// glossaries are read, so the edit never goes through a link, outside
    /// the workspace or into a FIFO. A refusal is logged and gives no target.
    pub fn glossary_edit_target(&self, root: &Path) -> Option<(PathBuf, Option<String>)> {
        let path = root.join(self.config.glossary_paths.first()?);
        let roots = [root.to_path_buf()];
        let scope = self.glossary_scope(&path, &roots);
        match own_file::edit_target(&path, scope, GLOSSARY_MAX_SIZE) {
            Ok(text) => Some((path, text)),
            Err(refused) => {
                tracing::warn!("not offering to add to glossary {refused}");
                None
            }
        }
    }

    /// A user glossary file's text, read again as when loading it (same
    /// checks): for edits of it, such as a rename.
    pub fn read_glossary(&self, path: &Path) -> Result<Option<String>, Refused> {
        read_own_file(
            path,
            self.glossary_scope(path, &self.roots),
            GLOSSARY_MAX_SIZE,
        )
    }

    /// Whether `path` is one of the glossary files the configuration names.
    pub fn is_glossary_file(&self, path: &Path) -> bool {
        self.glossary_files(&self.roots).iter().any(|p| p == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The same absolute path outside the workspace: refused when the
    /// workspace's `notes-ls.toml` names it, read when the user's editor
    /// settings do; a relative path from the settings stays inside.
    #[test]
    fn only_the_users_own_settings_reach_outside_the_workspace() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        std::fs::create_dir_all(&root).expect("root");
        let outside = tmp.path().join("team.toml");
        std::fs::write(&outside, "words = [\"gunicon\"]\n").expect("write");
        let named = format!(
            "[glossary]\npaths = [{:?}]\n",
            outside.display().to_string()
        );
        let load = |config: Config| {
            let mut index = WorkspaceIndex::new(vec![root.clone()], config);
            let mut problems = Vec::new();
            index.load_glossaries_with(std::slice::from_ref(&root), &mut |p| {
                problems.push(p.to_string())
            });
            (index.glossaries.len(), problems)
        };
        let from_file = Config::default().with_toml(&named).expect("valid");
        let (loaded, problems) = load(from_file.clone());
        assert_eq!(loaded, 0);
        assert!(
            problems[0].ends_with("team.toml: outside the workspace"),
            "{problems:?}"
        );
        let settings = serde_json::json!({"glossary": {"paths": [outside]}});
        let (from_editor, _) = from_file.with_json(&settings).expect("valid");
        assert_eq!(load(from_editor.clone()), (1, Vec::new()));
        // The file layer applied again over the editor's takes trust away.
        assert_eq!(load(from_editor.with_toml(&named).expect("valid")).0, 0);
        let relative = serde_json::json!({"glossary": {"paths": ["../team.toml"]}});
        let (relative, _) = Config::default().with_json(&relative).expect("valid");
        assert_eq!(load(relative).0, 0);
    }

    #[test]
    fn the_glossary_edit_target_is_refused_through_a_link() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        std::fs::create_dir_all(&root).expect("root");
        let index = WorkspaceIndex::new(vec![root.clone()], Config::default());
        assert_eq!(
            index.glossary_edit_target(&root),
            Some((root.join("glossary.toml"), None))
        );
        #[cfg(unix)]
        {
            std::fs::write(tmp.path().join("x.toml"), "words = []\n").expect("write");
            std::os::unix::fs::symlink(tmp.path().join("x.toml"), root.join("glossary.toml"))
                .expect("link");
            assert_eq!(index.glossary_edit_target(&root), None);
        }
    }
}
