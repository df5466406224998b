//! Reading or checking thousands of files at once (a scan of the workspace,
//! `notes-ls check`, a workspace's pulled or pushed report): in batches,
//! each batch's files split over every core, each worker keeping what it
//! learnt (verdicts on words) for its share of the next batch, the results
//! handed on in the files' order.

/// Files in a batch (a scan, `check`, a workspace's report): what is held
/// at once (texts, parses, findings) stays a few megabytes however large
/// the folder, an index update waits for one batch at most, and a batch
/// still splits into shares for every worker.
pub const FILES: usize = 250;

/// At most this many workers: each keeps verdicts of its own on the same
/// words, memory that grows with every worker.
const MAX_WORKERS: usize = 8;

/// A batch is split into shares of at least this many items: fewer are not
/// worth a thread of their own.
const MIN_SHARE: usize = 8;

/// Runs `work` over `items`, `batch` at a time, and hands each item's
/// result to `each`, in order, until `each` says to stop (false).
///
/// `context` is called once per batch, before its work: what it gives (an
/// index snapshot) is what that batch reads, so an update between batches
/// goes ahead. Within a batch the items are split over every core, and
/// `work` gets one worker's share with its state `S` (empty at first, then
/// the one it gave back for the batch before: the files share most of
/// their words). A worker that panics loses its share (logged), not the
/// run.
pub fn in_batches<T, C, S, R>(
    items: &[T],
    batch: usize,
    context: impl FnMut() -> C,
    work: impl Fn(&C, &[T], S) -> (Vec<R>, S) + Sync,
    each: impl FnMut(&T, R) -> bool,
) where
    T: Sync,
    C: Sync,
    S: Default + Send,
    R: Send,
{
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS));
    on_workers(workers, items, batch, context, work, each);
}

/// [`in_batches`] on `workers` workers.
fn on_workers<T, C, S, R>(
    workers: usize,
    items: &[T],
    batch: usize,
    mut context: impl FnMut() -> C,
    work: impl Fn(&C, &[T], S) -> (Vec<R>, S) + Sync,
    mut each: impl FnMut(&T, R) -> bool,
) where
    T: Sync,
    C: Sync,
    S: Default + Send,
    R: Send,
{
    let mut kept: Vec<S> = (0..workers.max(1)).map(|_| S::default()).collect();
    for chunk in items.chunks(batch.max(1)) {
        let context = context();
        let (context, work) = (&context, &work);
        let shares = chunk.len().div_ceil(MIN_SHARE).clamp(1, kept.len());
        let per = chunk.len().div_ceil(shares);
        let found: Vec<Option<R>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (chunk.chunks(per).zip(kept.iter_mut()))
                .map(|(share, slot)| {
                    let state = std::mem::take(slot);
                    let handle = scope.spawn(move || work(context, share, state));
                    (share.len(), slot, handle)
                })
                .collect();
            let joined = handles
                .into_iter()
                .map(|(n, slot, handle)| match handle.join() {
                    Ok((found, state)) => {
                        *slot = state;
                        found.into_iter().map(Some).collect()
                    }
                    Err(_) => {
                        tracing::error!("checking {n} files failed");
                        (0..n).map(|_| None).collect::<Vec<_>>()
                    }
                });
            joined.flatten().collect()
        });
        for (item, result) in chunk.iter().zip(found) {
            if let Some(result) = result {
                if !each(item, result) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs 1,000 items in batches of 100 on `workers`: each item once, in
    /// order, read in its batch's context, with the state each worker
    /// gave back (the items it has seen) kept from batch to batch.
    fn run(workers: usize) {
        let items: Vec<u32> = (0..1000).collect();
        let (mut batches, mut seen) = (0, Vec::new());
        on_workers(
            workers,
            &items,
            100,
            || {
                batches += 1;
                batches
            },
            |batch, share, mut earlier: Vec<u32>| {
                earlier.extend_from_slice(share);
                let out = share.iter().map(|i| (*batch, *i, earlier.len())).collect();
                (out, earlier)
            },
            |item, (batch, i, kept)| {
                assert_eq!(*item, i);
                assert_eq!(batch as u32, i / 100 + 1, "read in its batch's context");
                // Started afresh each batch, a worker would have seen one
                // share (100 / workers items), not one per batch so far.
                assert_eq!(kept % (100 / workers), 0);
                assert!(kept >= batch * (100 / workers), "a worker's state is kept");
                seen.push(i);
                true
            },
        );
        assert_eq!(seen, items);
        assert_eq!(batches, 10);
    }

    #[test]
    fn every_item_once_in_order_with_each_workers_state_kept() {
        for workers in [1, 2, 4] {
            run(workers);
        }
    }

    /// What `items` 0..len in batches of `batch` on `workers` hand on when
    /// the share holding item 0 panics.
    fn survivors(workers: usize, len: u32, batch: usize) -> Vec<u32> {
        let items: Vec<u32> = (0..len).collect();
        let mut seen = Vec::new();
        let work = |(): &(), share: &[u32], ()| {
            assert!(!share.contains(&0), "the share of item 0 fails");
            (share.to_vec(), ())
        };
        on_workers(
            workers,
            &items,
            batch,
            || (),
            work,
            |_, i| {
                seen.push(i);
                true
            },
        );
        seen
    }

    #[test]
    fn a_share_that_panics_is_lost_alone() {
        assert_eq!(survivors(2, 64, 64), (32..64).collect::<Vec<_>>());
        // On one worker too: the first batch is lost, not the run.
        assert_eq!(survivors(1, 20, 10), (10..20).collect::<Vec<_>>());
    }

    #[test]
    fn each_can_stop_the_run() {
        let items: Vec<u32> = (0..1000).collect();
        let (mut batches, mut seen) = (0, 0);
        on_workers(
            2,
            &items,
            100,
            || batches += 1,
            |(), share, ()| (share.to_vec(), ()),
            |_, i| {
                seen += 1;
                i < 150
            },
        );
        assert_eq!((seen, batches), (151, 2), "no batch after the stop");
    }
}
