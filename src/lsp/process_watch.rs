//! Stopping when the editor dies. `initialize` may name the client's process
//! (`processId`); if that process exits without closing our stdin (a crash,
//! or a client that leaks its children), the server would live on as an
//! orphan. A thread checks the process every second and wakes
//! [`client_gone`], which the stdio transport waits on.
//!
//! Linux only, through `/proc` (no new dependency, no `unsafe`): a process
//! is alive while `/proc/<pid>` exists and is not a zombie. On other systems,
//! or when the pid is not visible to us at all (a client in another PID
//! namespace, such as an editor outside the container the server runs in),
//! nothing is watched and the end of stdin still stops the server.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::Notify;

const POLL: Duration = Duration::from_secs(1);

static GONE: Notify = Notify::const_new();

/// Starts watching `pid` if it is given and can be watched here.
pub fn watch(pid: Option<u32>) {
    let Some(pid) = pid else { return };
    if !alive(pid) {
        tracing::info!("client process {pid} is not visible from here; not watching it");
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("notes-ls client watch".to_string())
        .spawn(move || {
            while alive(pid) {
                std::thread::sleep(POLL);
            }
            tracing::warn!("client process {pid} exited");
            GONE.notify_one();
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot watch client process {pid}: {e}");
    }
}

/// Completes once the watched client process has died (never if none is).
pub async fn client_gone() {
    GONE.notified().await;
}

/// True while `/proc/<pid>` exists and its state is not `Z` (zombie) or `X`
/// (dead). False where there is no `/proc`.
fn alive(pid: u32) -> bool {
    let stat = PathBuf::from(format!("/proc/{pid}/stat"));
    match std::fs::read_to_string(stat) {
        // The state follows the command name, which is in parentheses and
        // may itself hold spaces or parentheses.
        Ok(s) => match s
            .rfind(')')
            .and_then(|i| s[i + 1..].split_whitespace().next())
        {
            Some(state) => state != "Z" && state != "X",
            None => true,
        },
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::alive;

    #[test]
    fn this_process_is_alive_and_dead_children_are_not() {
        if !std::path::Path::new("/proc/self/stat").exists() {
            return; // Not Linux: the watch is off, nothing to check.
        }
        assert!(alive(std::process::id()));
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let pid = child.id();
        child.wait().expect("wait");
        assert!(!alive(pid));
        // Killed but not yet reaped: a zombie is dead too.
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("spawn sleep");
        child.kill().expect("kill");
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!alive(child.id()));
        child.wait().expect("wait");
    }
}
