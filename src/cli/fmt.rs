//! `notes-ls fmt`: formats notes files in place (`ide::format`), or with
//! `--check` lists the files formatting would change, for CI.
//!
//! It finds files exactly as `check` does (`workspace::discover`), reads
//! each in its dialect, and writes a changed file atomically: a temporary
//! file in the same folder with the original's permissions, flushed, then
//! renamed over it, so a crash leaves the old file or the new one. A
//! symbolic link is never written through: the walk does not follow them,
//! and one named on the command line is refused.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::Config;
use crate::ide;
use crate::workspace::{self, Loaded};

#[derive(Debug, Clone)]
pub struct FmtOptions {
    /// Files and folders; folders are walked.
    pub paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted, exit 1 if any.
    pub check: bool,
}

pub fn run(options: &FmtOptions) -> ExitCode {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match fmt(options, &mut out, &mut io::stderr()) {
        Ok(code) => code,
        Err(err) => super::output_failed(err),
    }
}

fn fmt(options: &FmtOptions, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = match workspace::find_config(&cwd) {
        None => Config::default(),
        Some(path) => match workspace::read_config(&path) {
            Ok(config) => config,
            Err(e) => {
                writeln!(err, "error: bad configuration: {e}")?;
                return Ok(ExitCode::from(super::EXIT_TROUBLE));
            }
        },
    };
    let found = workspace::discover(&options.paths, &config.file_matcher());
    let mut trouble = !found.errors.is_empty();
    for e in &found.errors {
        writeln!(err, "error: {e}")?;
    }
    let (mut changed, mut files) = (0, 0);
    for candidate in &found.files {
        let path = candidate.path.display().to_string();
        let text = match workspace::load(&candidate.path, candidate.sniff, config.max_file_size) {
            Ok(Loaded::Text(text)) => text,
            Ok(Loaded::NotNotes) => continue,
            Ok(Loaded::Skipped(skip)) => {
                writeln!(err, "warning: skipping {path}: {}", skip.reason())?;
                trouble |= candidate.explicit;
                continue;
            }
            Err(e) => {
                writeln!(err, "error: cannot read {path}: {}", super::describe(&e))?;
                trouble = true;
                continue;
            }
        };
        files += 1;
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let notes = crate::syntax::parse_as(&text, config.dialect.for_text(body));
        let formatted = ide::format(&text, &notes, &config.format);
        if formatted == text {
            continue;
        }
        changed += 1;
        if options.check {
            writeln!(out, "{path}")?;
        } else if let Err(e) = write_in_place(&candidate.path, formatted.as_bytes()) {
            writeln!(err, "error: cannot write {path}: {}", super::describe(&e))?;
            trouble = true;
        }
    }
    if options.check && changed > 0 {
        writeln!(
            err,
            "{changed} of {files} files not formatted; run `notes-ls fmt` to format them"
        )?;
    }
    Ok(if trouble {
        ExitCode::from(super::EXIT_TROUBLE)
    } else if options.check && changed > 0 {
        ExitCode::from(super::EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Replaces the file at `path` with `bytes`, keeping its permissions.
fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a symbolic link or not a regular file; not written",
        ));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".notes-ls-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().set_permissions(meta.permissions())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
