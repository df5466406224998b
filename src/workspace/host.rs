//! The workspace index shared by the server's tasks, as rust-analyzer's
//! `AnalysisHost` shares its database: read as a snapshot (an `Arc`), changed
//! by one writer at a time.
//!
//! A request that takes a second over 5,000 files holds no lock, so an
//! index update does not wait for it and no other request waits behind that
//! update. A writer changes the index in place when no reader holds a
//! snapshot, else a copy (files' texts and summaries are shared, not
//! copied) that replaces it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockWriteGuard};

use super::WorkspaceIndex;

/// The index in force, its writers' turn and its generation.
pub struct IndexHost {
    index: RwLock<Arc<WorkspaceIndex>>,
    /// Held by the one writer of the index at a time.
    writer: Mutex<()>,
    /// Moves on at every write access to the index.
    generation: AtomicU64,
}

impl IndexHost {
    pub fn new(index: WorkspaceIndex) -> Self {
        IndexHost {
            index: RwLock::new(Arc::new(index)),
            writer: Mutex::new(()),
            generation: AtomicU64::new(0),
        }
    }

    /// The index as it is now: a snapshot that later changes do not touch,
    /// held without any lock.
    pub fn snapshot(&self) -> Arc<WorkspaceIndex> {
        Arc::clone(&self.index.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The index to change; the change is seen by readers when the guard
    /// is dropped. Writers take turns. The generation moves on before the
    /// change and again once it is in place, so a reader that saw the
    /// newer generation also sees the changed index, never an id for
    /// findings it did not compute.
    pub fn write(&self) -> IndexWrite<'_> {
        let turn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        IndexWrite {
            host: self,
            target: Target::Reading(self.snapshot()),
            _turn: turn,
        }
    }

    /// See [`IndexHost::write`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// A change to the index in progress ([`IndexHost::write`]).
pub struct IndexWrite<'s> {
    host: &'s IndexHost,
    target: Target<'s>,
    _turn: MutexGuard<'s, ()>,
}

enum Target<'s> {
    /// Not changed yet: the index as it is.
    Reading(Arc<WorkspaceIndex>),
    /// Nobody held a snapshot, and nobody can take one while the lock is
    /// held: changed in place, readers wait for the change.
    InPlace(RwLockWriteGuard<'s, Arc<WorkspaceIndex>>),
    /// A request was reading: it keeps the old index, the change goes to a
    /// copy (or a new index, [`IndexWrite::replace`]) swapped in on drop.
    Copy(Box<WorkspaceIndex>),
    /// Dropped.
    Done,
}

impl IndexWrite<'_> {
    /// Puts `index` in place of the current one, which is not copied.
    pub fn replace(&mut self, index: WorkspaceIndex) {
        self.target = Target::Copy(Box::new(index));
    }
}

impl std::ops::Deref for IndexWrite<'_> {
    type Target = WorkspaceIndex;
    fn deref(&self) -> &WorkspaceIndex {
        match &self.target {
            Target::Reading(index) => index,
            Target::InPlace(guard) => guard,
            Target::Copy(copy) => copy,
            Target::Done => unreachable!("read after drop"),
        }
    }
}

impl std::ops::DerefMut for IndexWrite<'_> {
    fn deref_mut(&mut self) -> &mut WorkspaceIndex {
        if let Target::Reading(_) = self.target {
            // Our own snapshot must go first, or the index is never unique.
            self.target = Target::Done;
            let mut current = self.host.index.write().unwrap_or_else(|e| e.into_inner());
            self.target = if Arc::get_mut(&mut current).is_some() {
                Target::InPlace(current)
            } else {
                // Copied outside the lock (long for a large workspace):
                // readers go on meanwhile, and writers take turns, so nothing
                // changes the index under the copy.
                let shared = Arc::clone(&current);
                drop(current);
                Target::Copy(Box::new(WorkspaceIndex::clone(&shared)))
            };
        }
        match &mut self.target {
            // Unique while the write lock is held: `make_mut` does not copy.
            Target::InPlace(guard) => Arc::make_mut(guard),
            Target::Copy(copy) => copy,
            Target::Reading(_) | Target::Done => unreachable!("set just above"),
        }
    }
}

impl Drop for IndexWrite<'_> {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.target, Target::Done) {
            Target::Reading(_) | Target::Done => {}
            Target::InPlace(guard) => drop(guard),
            Target::Copy(copy) => {
                let changed = Arc::new(*copy);
                let mut current = self.host.index.write().unwrap_or_else(|e| e.into_inner());
                let old = std::mem::replace(&mut *current, changed);
                drop(current);
                // Freed (when no request holds it any more) outside the lock.
                drop(old);
            }
        }
        self.host.generation.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::Config;

    fn open_one(index: &mut WorkspaceIndex, name: &str) {
        let text = "*What is CSRF?\n-> An attack.\n";
        index.set_open(PathBuf::from(name), text, &crate::syntax::parse(text));
    }

    #[test]
    fn a_write_nobody_reads_changes_the_index_in_place() {
        let host = IndexHost::new(WorkspaceIndex::new(Vec::new(), Config::default()));
        let before = Arc::as_ptr(&host.snapshot());
        open_one(&mut host.write(), "/a.notes");
        let after = host.snapshot();
        assert_eq!(Arc::as_ptr(&after), before);
        assert_eq!(after.files().count(), 1);
    }

    #[test]
    fn a_snapshot_held_during_a_write_keeps_what_it_saw() {
        let host = IndexHost::new(WorkspaceIndex::new(Vec::new(), Config::default()));
        let held = host.snapshot();
        let generation = host.generation();
        {
            let mut write = host.write();
            // Read through the guard before any change: the index as it is.
            assert_eq!(write.files().count(), 0);
            open_one(&mut write, "/a.notes");
            // Not seen before the guard is dropped.
            assert_eq!(host.snapshot().files().count(), 0);
        }
        assert_eq!(held.files().count(), 0);
        assert_eq!(host.snapshot().files().count(), 1);
        assert!(!Arc::ptr_eq(&held, &host.snapshot()));
        // Once before the change and once after it.
        assert_eq!(host.generation(), generation + 2);
    }

    #[test]
    fn replace_puts_a_new_index_in_force() {
        let host = IndexHost::new(WorkspaceIndex::new(Vec::new(), Config::default()));
        let mut fresh = WorkspaceIndex::new(Vec::new(), Config::default());
        open_one(&mut fresh, "/b.notes");
        host.write().replace(fresh);
        let now = host.snapshot();
        let files: Vec<_> = now.files().map(|(p, _)| p.to_path_buf()).collect();
        assert_eq!(files, [PathBuf::from("/b.notes")]);
    }
}
