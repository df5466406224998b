//! notes-ls's own files, `notes-ls.toml` and glossary files, read as
//! untrusted input. A cloned repository chooses their contents and, through
//! `[glossary] paths`, their names: `/proc/self/environ`, `/dev/stdin`, a
//! FIFO, `/dev/zero`, a symbolic link or `../outside/x.toml`. Such a file is
//! read only when it is a regular file inside a workspace root, reached
//! without a symbolic link as its last component, and within a size cap;
//! paths the user's own editor settings name may be anywhere (links
//! followed), but must still be regular files within the cap. The file is
//! opened the way notes files are ([`open_regular`]): non-blocking, checked
//! on the handle, read through a bounded reader.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::read::{open_regular, read_rest, Links, NotOpened, Skip};

/// The largest `notes-ls.toml` read: a configuration is a few hundred bytes.
pub const CONFIG_MAX_SIZE: u64 = 1024 * 1024;

/// The largest glossary file read: the built-in glossary of 240 terms is
/// 66 KB, so 4 MiB is some 15,000 defined terms or 300,000 listed words.
pub const GLOSSARY_MAX_SIZE: u64 = 4 * 1024 * 1024;

/// Where a configured file may be.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Inside one of these folders (the workspace roots), with no symbolic
    /// link as the last component: what a workspace's own files may name.
    Inside(&'a [PathBuf]),
    /// Anywhere, links followed: an absolute path the user's own editor
    /// settings name.
    Anywhere,
}

/// Why a configured file was not read.
#[derive(Debug)]
pub enum Refusal {
    Symlink,
    NotRegular,
    Outside,
    TooLarge(u64),
    NotUtf8,
    Io(io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Symlink => f.write_str("a symbolic link"),
            Refusal::NotRegular => f.write_str("not a regular file"),
            Refusal::Outside => f.write_str("outside the workspace"),
            Refusal::TooLarge(max) => f.write_str(&Skip::TooLarge(*max).reason()),
            Refusal::NotUtf8 => f.write_str("not valid UTF-8"),
            Refusal::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<NotOpened> for Refusal {
    fn from(e: NotOpened) -> Self {
        match e {
            NotOpened::Symlink => Refusal::Symlink,
            NotOpened::NotRegular => Refusal::NotRegular,
            NotOpened::Io(e) => Refusal::Io(e),
        }
    }
}

/// A refused file and why: one line, the path escaped (a configuration may
/// put terminal escapes in a file name).
#[derive(Debug)]
pub struct Refused {
    pub path: PathBuf,
    pub reason: Refusal,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = crate::ide::printable(&self.path.display().to_string(), 300);
        write!(f, "{path}: {}", self.reason)
    }
}

/// The text of the file at `path`, or `None` when there is nothing there.
pub fn read_own_file(path: &Path, scope: Scope<'_>, max: u64) -> Result<Option<String>, Refused> {
    read_checked(path, scope, max).map_err(|reason| Refused {
        path: path.to_path_buf(),
        reason,
    })
}

/// The text of `notes-ls.toml` at `path`, checked as a workspace's own
/// file: a regular file, not a link, at most [`CONFIG_MAX_SIZE`].
pub fn read_config_text(path: &Path) -> Result<String, Refusal> {
    let folder = [path.parent().unwrap_or(Path::new(".")).to_path_buf()];
    match read_checked(path, Scope::Inside(&folder), CONFIG_MAX_SIZE)? {
        Some(text) => Ok(text),
        None => Err(Refusal::Io(io::ErrorKind::NotFound.into())),
    }
}

/// The file "add to glossary" would edit: its text when it exists (checked
/// as for reading), `None` when it does not and may be created there (its
/// nearest existing folder inside the scope, no `..` after it).
pub fn edit_target(path: &Path, scope: Scope<'_>, max: u64) -> Result<Option<String>, Refused> {
    let refused = |reason| Refused {
        path: path.to_path_buf(),
        reason,
    };
    if let Some(text) = read_checked(path, scope, max).map_err(refused)? {
        return Ok(Some(text));
    }
    let Scope::Inside(roots) = scope else {
        return Ok(None);
    };
    let existing = path.ancestors().skip(1).find(|a| a.exists());
    let Some(existing) = existing else {
        return Err(refused(Refusal::Outside));
    };
    let below = path.strip_prefix(existing).unwrap_or(path);
    let plain = below
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    match std::fs::canonicalize(existing) {
        Ok(real) if plain && inside(&real, roots) => Ok(None),
        Ok(_) => Err(refused(Refusal::Outside)),
        Err(e) => Err(refused(Refusal::Io(e))),
    }
}

fn read_checked(path: &Path, scope: Scope<'_>, max: u64) -> Result<Option<String>, Refusal> {
    let (open, links) = match scope {
        Scope::Anywhere => (path.to_path_buf(), Links::Follow),
        Scope::Inside(roots) => {
            match std::fs::symlink_metadata(path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(Refusal::Io(e)),
                Ok(m) if m.file_type().is_symlink() => return Err(Refusal::Symlink),
                Ok(_) => {}
            }
            // Folders on the way may be links; where they lead is what counts.
            let real = std::fs::canonicalize(path).map_err(Refusal::Io)?;
            if !inside(&real, roots) {
                return Err(Refusal::Outside);
            }
            (real, Links::Refuse)
        }
    };
    let (mut file, size) = match open_regular(&open, links) {
        Ok(opened) => opened,
        Err(NotOpened::Io(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if size > max {
        return Err(Refusal::TooLarge(max));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    if !read_rest(&mut file, &mut bytes, max).map_err(Refusal::Io)? {
        return Err(Refusal::TooLarge(max));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Refusal::NotUtf8)
}

/// Whether the real path `real` is inside one of `roots` (as they really are).
fn inside(real: &Path, roots: &[PathBuf]) -> bool {
    roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .any(|root| real.starts_with(root))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn refusal(path: &Path, scope: Scope<'_>) -> String {
        match read_own_file(path, scope, 1024) {
            Ok(text) => panic!("{} was read: {text:?}", path.display()),
            Err(e) => e.reason.to_string(),
        }
    }

    struct Dirs {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        outside: PathBuf,
    }

    fn dirs() -> Dirs {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&root).expect("root");
        std::fs::create_dir_all(&outside).expect("outside");
        std::fs::write(outside.join("x.toml"), "words = [\"secret\"]\n").expect("write");
        Dirs {
            _tmp: tmp,
            root,
            outside,
        }
    }

    #[test]
    fn a_regular_file_inside_is_read_and_a_missing_one_is_none() {
        let d = dirs();
        std::fs::write(d.root.join("glossary.toml"), "words = []\n").expect("write");
        let roots = [d.root.clone()];
        let read = read_own_file(&d.root.join("glossary.toml"), Scope::Inside(&roots), 1024);
        assert_eq!(read.expect("read").as_deref(), Some("words = []\n"));
        let missing = read_own_file(&d.root.join("none.toml"), Scope::Inside(&roots), 1024);
        assert!(missing.expect("no error").is_none());
    }

    #[test]
    fn files_outside_the_roots_are_refused_unless_the_user_named_them() {
        let d = dirs();
        let roots = [d.root.clone()];
        let up = d.root.join("../outside/x.toml");
        assert_eq!(refusal(&up, Scope::Inside(&roots)), "outside the workspace");
        assert_eq!(
            refusal(Path::new("/proc/self/environ"), Scope::Inside(&roots)),
            "outside the workspace"
        );
        // Through a folder that is a link: where it leads is what counts.
        std::os::unix::fs::symlink(&d.outside, d.root.join("dir")).expect("link");
        let through = d.root.join("dir/x.toml");
        assert_eq!(
            refusal(&through, Scope::Inside(&roots)),
            "outside the workspace"
        );
        let named = read_own_file(&up, Scope::Anywhere, 1024).expect("the user's own path");
        assert!(named.is_some());
    }

    #[test]
    fn a_symlink_is_refused_even_to_a_file_inside() {
        let d = dirs();
        std::fs::write(d.root.join("real.toml"), "words = []\n").expect("write");
        let roots = [d.root.clone()];
        for target in [d.outside.join("x.toml"), d.root.join("real.toml")] {
            let link = d.root.join("glossary.toml");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&target, &link).expect("link");
            assert_eq!(refusal(&link, Scope::Inside(&roots)), "a symbolic link");
        }
    }

    #[test]
    fn devices_fifos_and_stdin_are_refused_without_blocking() {
        let d = dirs();
        let fifo = d.root.join("glossary.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        let roots = [d.root.clone()];
        if made {
            assert_eq!(refusal(&fifo, Scope::Inside(&roots)), "not a regular file");
            assert_eq!(refusal(&fifo, Scope::Anywhere), "not a regular file");
        }
        assert_eq!(
            refusal(Path::new("/dev/zero"), Scope::Anywhere),
            "not a regular file"
        );
        // `/dev/stdin` is a link to this process's fd 0: refused as a link
        // inside the workspace, as whatever fd 0 is (not a file) when named.
        // (Nothing at all when this process has no fd 0.)
        match read_own_file(Path::new("/dev/stdin"), Scope::Anywhere, 1024) {
            Ok(None) => {}
            Ok(Some(text)) => panic!("stdin was read: {text:?}"),
            Err(e) => assert_eq!(e.reason.to_string(), "not a regular file"),
        }
        assert_eq!(
            refusal(Path::new("/dev/stdin"), Scope::Inside(&roots)),
            "a symbolic link"
        );
    }

    #[test]
    fn files_over_the_cap_are_refused_including_ones_whose_size_says_nothing() {
        let d = dirs();
        std::fs::write(d.root.join("big.toml"), vec![b'#'; 2000]).expect("write");
        let roots = [d.root.clone()];
        let big = read_own_file(&d.root.join("big.toml"), Scope::Inside(&roots), 1024);
        assert!(matches!(
            big,
            Err(Refused {
                reason: Refusal::TooLarge(1024),
                ..
            })
        ));
        // `/proc` files report size 0: the bounded reader still stops.
        let proc = read_own_file(Path::new("/proc/self/maps"), Scope::Anywhere, 16);
        assert!(matches!(
            proc,
            Err(Refused {
                reason: Refusal::TooLarge(16),
                ..
            })
        ));
    }

    #[test]
    fn the_edit_target_is_checked_like_a_read() {
        let d = dirs();
        let roots = [d.root.clone()];
        let scope = Scope::Inside(&roots);
        // Absent, inside: may be created.
        let target = edit_target(&d.root.join("glossary.toml"), scope, 1024);
        assert!(target.expect("allowed").is_none());
        let target = edit_target(&d.root.join("new/dir/glossary.toml"), scope, 1024);
        assert!(target.expect("allowed").is_none());
        // Absent, outside or through `..`: refused.
        for path in [
            d.root.join("../outside/new.toml"),
            d.root.join("new/../../outside/new.toml"),
        ] {
            let e = edit_target(&path, scope, 1024).expect_err("outside");
            assert_eq!(
                e.reason.to_string(),
                "outside the workspace",
                "{}",
                path.display()
            );
        }
        // A link: refused, not edited through.
        let link = d.root.join("glossary.toml");
        std::os::unix::fs::symlink(d.outside.join("x.toml"), &link).expect("link");
        let e = edit_target(&link, scope, 1024).expect_err("link");
        assert_eq!(e.reason.to_string(), "a symbolic link");
    }

    #[test]
    fn a_refusal_names_the_file_with_its_name_escaped() {
        let r = Refused {
            path: PathBuf::from("/w/\u{1b}[2Jglossary.toml"),
            reason: Refusal::NotRegular,
        };
        assert_eq!(
            r.to_string(),
            "/w/\\u{1b}[2Jglossary.toml: not a regular file"
        );
    }
}
