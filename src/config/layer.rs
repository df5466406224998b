//! One configuration layer applied on top of another: `notes-ls.toml`
//! (unknown keys are typos, errors quoted safely) or the editor's settings
//! (unknown keys handed back), each checked whole before any of it is taken.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Config, ConfigError, DialectSetting, DEFAULT_SHORT_ANSWER_WORDS, MAX_FILE_SIZE_LIMIT};
use crate::ide::{ArrowStyle, DiagnosticKind, Severity};
use crate::syntax::Dialect;

/// The most characters of an error about `notes-ls.toml` shown: keys and
/// values quoted from the file are cut short.
const ERROR_CHARS: usize = 240;

impl Config {
    /// This configuration with a `notes-ls.toml` applied on top. Unknown
    /// keys and diagnostic codes are errors. The file is a workspace's, not
    /// the user's: an error quotes its text only escaped and cut short, and
    /// glossary paths it names are read only inside the workspace.
    pub fn with_toml(&self, text: &str) -> Result<Config, ConfigError> {
        self.with_toml_unchecked(text)
            .map_err(|e| ConfigError(crate::ide::printable(&e.0, ERROR_CHARS)))
    }

    fn with_toml_unchecked(&self, text: &str) -> Result<Config, ConfigError> {
        let mut unknown = Vec::new();
        let de = toml::Deserializer::new(text);
        let layer: Layer = serde_ignored::deserialize(de, |path| unknown.push(dotted(&path)))
            .map_err(|e| ConfigError(crate::ide::toml_error(text, &e)))?;
        if let Some(key) = unknown.first() {
            return Err(ConfigError(format!("unknown key `{key}`")));
        }
        let names_glossaries = layer.glossary.as_ref().is_some_and(|g| g.paths.is_some());
        let (mut config, codes) = self.with_layer(layer)?;
        if names_glossaries {
            config.glossary_from_editor = false;
        }
        match codes.first() {
            Some(code) => Err(ConfigError(format!(
                "unknown diagnostic code `{code}` (known: {})",
                DiagnosticKind::CODES.join(", ")
            ))),
            None => Ok(config),
        }
    }

    /// This configuration with the editor's `notesLs` settings applied on
    /// top, and the keys it did not know (dotted paths), which it ignored.
    /// Accepts the section itself or an object that holds it under `notesLs`.
    pub fn with_json(
        &self,
        value: &serde_json::Value,
    ) -> Result<(Config, Vec<String>), ConfigError> {
        let section = value.get("notesLs").unwrap_or(value);
        if section.is_null() {
            return Ok((self.clone(), Vec::new()));
        }
        let mut unknown = Vec::new();
        let layer: Layer = serde_ignored::deserialize(section, |path| unknown.push(dotted(&path)))
            .map_err(|e| ConfigError(e.to_string()))?;
        let names_glossaries = layer
            .glossary
            .as_ref()
            .and_then(|g| g.paths.as_ref())
            .is_some_and(|p| !p.is_empty());
        let (mut config, codes) = self.with_layer(layer)?;
        if names_glossaries {
            config.glossary_from_editor = true;
        }
        unknown.extend(codes.into_iter().map(|c| format!("diagnostics.{c}")));
        Ok((config, unknown))
    }

    /// The layer applied, and the diagnostic codes it named that do not exist.
    fn with_layer(&self, layer: Layer) -> Result<(Config, Vec<String>), ConfigError> {
        let mut c = self.clone();
        if let Some(f) = layer.files {
            if let Some(v) = f.include.filter(|v| !v.is_empty()) {
                check_globs(&v)?;
                c.include = v;
            }
            if let Some(v) = f.exclude {
                check_globs(&v)?;
                c.exclude = v;
            }
            if let Some(v) = f.max_size {
                if v > MAX_FILE_SIZE_LIMIT {
                    return Err(ConfigError(format!(
                        "files.max-size: {v} is over the limit of {MAX_FILE_SIZE_LIMIT} bytes (1 GiB)"
                    )));
                }
                c.max_file_size = v;
            }
        }
        if let Some(g) = layer.glossary {
            if let Some(v) = g.builtin {
                c.builtin_glossary = v;
            }
            if let Some(v) = g.paths.filter(|v| !v.is_empty()) {
                c.glossary_paths = v;
            }
        }
        if let Some(v) = layer.workspace.and_then(|w| w.diagnostics) {
            c.workspace_diagnostics = v;
        }
        if let Some(v) = layer.code_lens.or(layer.editor.and_then(|e| e.code_lens)) {
            c.code_lens = v;
        }
        let mut unknown_codes = Vec::new();
        if let Some(f) = layer.format {
            if let Some(name) = &f.dialect {
                c.dialect = DialectSetting::parse(name).ok_or_else(|| {
                    ConfigError(format!(
                        "[format] dialect = \"{name}\": use arrow, qa, headings or auto"
                    ))
                })?;
            }
            if let Some(name) = &f.arrow {
                c.format.arrow = ArrowStyle::from_name(name).ok_or_else(|| {
                    ConfigError(format!(
                        "[format] arrow = \"{name}\": use own-line or same-line"
                    ))
                })?;
            }
            let question = f.question.unwrap_or_default();
            let answer = f.answer.unwrap_or_default();
            if !question.is_empty() || !answer.is_empty() {
                if f.dialect.as_deref().is_some_and(|d| d != "arrow") {
                    return Err(ConfigError(
                        "[format] question/answer markers make a dialect of their own: \
                         leave `dialect` out (or \"arrow\")"
                            .to_string(),
                    ));
                }
                for m in question.iter().chain(&answer) {
                    check_marker(m)?;
                }
                c.dialect = DialectSetting::Fixed(Dialect::custom(&question, &answer));
            }
        }
        for (code, level) in layer.diagnostics.unwrap_or_default() {
            if code == "short-answer-words" {
                c.short_answer_words = match level {
                    None => DEFAULT_SHORT_ANSWER_WORDS,
                    Some(DiagnosticSetting::Number(n)) if n >= 1 => n as usize,
                    Some(_) => {
                        return Err(ConfigError(
                            "`short-answer-words`: use a number of words, 1 or more".to_string(),
                        ))
                    }
                };
                continue;
            }
            if !DiagnosticKind::CODES.contains(&code.as_str()) {
                unknown_codes.push(code);
                continue;
            }
            // `null`: back to the code's default severity.
            let Some(level) = level else {
                c.severities.remove(&code);
                continue;
            };
            let DiagnosticSetting::Level(level) = level else {
                return Err(ConfigError(format!(
                    "`{code}`: use error, warning, info, hint or off"
                )));
            };
            let level = if level == "off" {
                None
            } else {
                Some(Severity::parse(&level).ok_or_else(|| {
                    ConfigError(format!(
                        "`{code}` = \"{level}\": use error, warning, info, hint or off"
                    ))
                })?)
            };
            c.severities.insert(code, level);
        }
        Ok((c, unknown_codes))
    }
}

/// `files.associations` for a key ignored in the `files` table (the path
/// `serde_ignored` prints also marks each `Option` it went through).
fn dotted(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    let (parent, own) = match path {
        Path::Root => return String::new(),
        Path::Map { parent, key } => (parent, key.clone()),
        Path::Seq { parent, index } => (parent, index.to_string()),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => return dotted(parent),
    };
    let parent = dotted(parent);
    if parent.is_empty() {
        own
    } else {
        format!("{parent}.{own}")
    }
}

/// A marker starts a line and is followed by white space: it cannot be empty,
/// start with white space, hold a line break, or be long.
fn check_marker(m: &str) -> Result<(), ConfigError> {
    if m.is_empty()
        || m.starts_with(char::is_whitespace)
        || m.contains(['\n', '\r'])
        || m.len() > 32
    {
        return Err(ConfigError(format!(
            "[format] marker {m:?}: use 1 to 32 bytes, not starting with white space, on one line"
        )));
    }
    Ok(())
}

fn check_globs(globs: &[String]) -> Result<(), ConfigError> {
    for g in globs {
        globset::Glob::new(g).map_err(|e| ConfigError(format!("bad glob `{g}`: {e}")))?;
    }
    Ok(())
}

/// One layer as written by the user; every key optional, `null` as absent.
/// Unknown keys are found by `serde_ignored`, not refused here: whether
/// they are errors depends on the layer.
#[derive(Debug, Default, Deserialize)]
struct Layer {
    files: Option<FilesLayer>,
    glossary: Option<GlossaryLayer>,
    diagnostics: Option<BTreeMap<String, Option<DiagnosticSetting>>>,
    workspace: Option<WorkspaceLayer>,
    format: Option<FormatLayer>,
    editor: Option<EditorLayer>,
    /// The editor's flat `notesLs.codeLens` setting.
    #[serde(rename = "codeLens")]
    code_lens: Option<bool>,
}

/// A `[diagnostics]` value: a code's severity, or a number
/// (`short-answer-words`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DiagnosticSetting {
    Level(String),
    Number(u64),
}

#[derive(Debug, Default, Deserialize)]
struct FormatLayer {
    dialect: Option<String>,
    arrow: Option<String>,
    question: Option<Vec<String>>,
    answer: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct WorkspaceLayer {
    diagnostics: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct EditorLayer {
    code_lens: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct FilesLayer {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    #[serde(alias = "maxSize")]
    max_size: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
struct GlossaryLayer {
    builtin: Option<bool>,
    paths: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::Unanswered;

    #[test]
    fn toml_then_json_layers_override() {
        let c = Config::default()
            .with_toml(
                r#"
                [files]
                include = ["**/*.notes", "notes/**/*.txt"]
                [glossary]
                builtin = false
                [diagnostics]
                missing-question-marker = "off"
                unanswered-question = "error"
                "#,
            )
            .expect("valid toml");
        assert!(!c.builtin_glossary);
        assert!(!c.workspace_diagnostics);
        assert!(
            c.with_toml("[workspace]\ndiagnostics = true\n")
                .expect("valid")
                .workspace_diagnostics
        );
        assert_eq!(c.severity(&DiagnosticKind::MissingQuestionMarker), None);
        let kind = DiagnosticKind::UnansweredQuestion(Unanswered::NoArrow);
        assert_eq!(c.severity(&kind), Some(Severity::Error));
        let c = c
            .with_json(
                &serde_json::json!({"notesLs": {"diagnostics": {"unanswered-question": "hint"}}}),
            )
            .expect("valid json")
            .0;
        assert_eq!(c.severity(&kind), Some(Severity::Hint));
        let m = c.file_matcher();
        assert!(m.is_notes_file(std::path::Path::new("notes/a/b.txt")));
        assert!(!m.is_notes_file(std::path::Path::new("other/b.txt")));
    }

    #[test]
    fn format_dialect() {
        assert_eq!(
            Config::default()
                .dialect
                .for_text("Q: a\nA: b\nQ: c\nA: d\n"),
            Dialect::Arrow
        );
        let c = Config::default()
            .with_toml("[format]\ndialect = \"qa\"")
            .expect("valid toml");
        assert_eq!(c.dialect, DialectSetting::Fixed(Dialect::Qa));
        let c = c
            .with_json(&serde_json::json!({"format": {"dialect": "auto"}}))
            .expect("valid json")
            .0;
        assert_eq!(c.dialect.for_text("Q: a\nA: b\nQ: c\nA: d\n"), Dialect::Qa);
        assert_eq!(c.dialect.for_text("*a\n-> b\n"), Dialect::Arrow);
        let c = Config::default()
            .with_toml("[format]\nquestion = [\"Problem:\"]\nanswer = [\"Solution:\"]")
            .expect("valid toml");
        let Dialect::Custom(m) = c.dialect.for_text("") else {
            panic!("not custom: {:?}", c.dialect);
        };
        assert_eq!(
            (&m.question[..], &m.answer[..]),
            (
                &["Problem:".to_string()][..],
                &["Solution:".to_string()][..]
            )
        );
    }

    #[test]
    fn format_arrow() {
        assert_eq!(Config::default().format.arrow, ArrowStyle::OwnLine);
        let c = Config::default()
            .with_toml("[format]\narrow = \"same-line\"")
            .expect("valid toml");
        assert_eq!(c.format.arrow, ArrowStyle::SameLine);
        let (c, unknown) = c
            .with_json(&serde_json::json!({"notesLs": {"format": {"arrow": "own-line"}}}))
            .expect("valid json");
        assert_eq!((c.format.arrow, unknown.len()), (ArrowStyle::OwnLine, 0));
    }

    #[test]
    fn bad_values_are_errors_for_the_whole_layer() {
        let base = Config::default();
        for bad in [
            "[diagnostics]\nno-such-code = \"warning\"",
            "[diagnostics]\nunanswered-question = \"loud\"",
            "[files]\ninclude = [\"a/**[\"]",
            "[format]\ndialect = \"yaml\"",
            "[format]\narrow = \"sideways\"",
            "[format]\nquestion = [\"\"]",
            "[format]\ndialect = \"qa\"\nquestion = [\"Problem:\"]",
            "[nonsense]\nx = 1",
            "[files]\nmax-size = 4294967296",
            "not toml at all ===",
        ] {
            assert!(base.with_toml(bad).is_err(), "{bad}");
        }
        assert!(base
            .with_json(&serde_json::json!({"glossary": {"builtin": "yes"}}))
            .is_err());
        assert!(base
            .with_json(&serde_json::json!({"diagnostics": {"unanswered-question": "loud"}}))
            .is_err());
    }

    #[test]
    fn code_lenses_can_be_turned_off_in_either_layer() {
        assert!(Config::default().code_lens);
        let c = Config::default()
            .with_toml("[editor]\ncode-lens = false\n")
            .expect("valid toml");
        assert!(!c.code_lens);
        let (c, _) = c
            .with_json(&serde_json::json!({"notesLs": {"codeLens": true}}))
            .expect("valid json");
        assert!(c.code_lens);
    }

    /// What VS Code sends for `notesLs` when the user changed one setting:
    /// the extension's own keys, every contributed default, `null`s.
    #[test]
    fn editor_settings_ignore_unknown_keys_and_take_empty_as_default() {
        let sent = serde_json::json!({"notesLs": {
            "server": {"path": "", "extraArgs": []},
            "trace": {"server": "off"},
            "files": {"associations": [], "include": [], "exclude": null},
            "diagnostics": {"missing-question-marker": "off", "no-such-code": "error",
                            "unanswered-question": null},
            "glossary": {"builtin": true, "paths": []},
            "somethingNew": 1
        }});
        let (c, unknown) = Config::default().with_json(&sent).expect("accepted");
        assert_eq!(
            unknown,
            [
                "files.associations",
                "server",
                "somethingNew",
                "trace",
                "diagnostics.no-such-code"
            ]
        );
        assert_eq!(c.include, Config::default().include);
        assert_eq!(c.glossary_paths, ["glossary.toml"]);
        assert!(c.code_lens);
        assert_eq!(c.severity(&DiagnosticKind::MissingQuestionMarker), None);
        let kind = DiagnosticKind::UnansweredQuestion(Unanswered::NoArrow);
        assert_eq!(c.severity(&kind), Some(Severity::Warning));
        // The same keys in notes-ls.toml are typos, reported.
        let err = Config::default()
            .with_toml("[files]\nassociations = []\n")
            .expect_err("unknown key");
        assert_eq!(err.0, "unknown key `files.associations`");
    }
}
