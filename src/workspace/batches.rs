//! Checking thousands of files at once (`notes-ls check`, a workspace's
//! pulled or pushed report): in batches, each batch's files split over
//! every core, each worker keeping what it learnt (verdicts on words) for
//! its share of the next batch, the results handed on in the files' order.

/// At most this many workers: each keeps verdicts of its own on the same
/// words, memory that grows with every worker.
const MAX_WORKERS: usize = 8;

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
    mut context: impl FnMut() -> C,
    work: impl Fn(&C, &[T], S) -> (Vec<R>, S) + Sync,
    mut each: impl FnMut(&T, R) -> bool,
) where
    T: Sync,
    C: Sync,
    S: Default + Send,
    R: Send,
{
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS));
    let mut kept: Vec<S> = (0..workers).map(|_| S::default()).collect();
    for chunk in items.chunks(batch.max(1)) {
        let context = context();
        let context = &context;
        let work = &work;
        let per = chunk.len().div_ceil(workers).max(1);
        let found: Vec<Option<R>> = if workers == 1 || chunk.len() < 2 * per.min(8) {
            let (found, state) = work(context, chunk, std::mem::take(&mut kept[0]));
            kept[0] = state;
            found.into_iter().map(Some).collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .chunks(per)
                    .zip(kept.iter_mut())
                    .map(|(share, slot)| {
                        let state = std::mem::take(slot);
                        let handle = scope.spawn(move || work(context, share, state));
                        (share.len(), slot, handle)
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|(n, slot, handle)| match handle.join() {
                        Ok((found, state)) => {
                            *slot = state;
                            found.into_iter().map(Some).collect()
                        }
                        Err(_) => {
                            tracing::error!("checking {n} files failed");
                            (0..n).map(|_| None).collect::<Vec<_>>()
                        }
                    })
                    .collect()
            })
        };
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

    #[test]
    fn every_item_once_in_order_with_each_workers_state_kept() {
        let items: Vec<u32> = (0..1000).collect();
        let mut batches = 0;
        let mut seen = Vec::new();
        in_batches(
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
                // Kept from batch to batch (a share is 13 items or more):
                // started afresh, it would stay at one share.
                assert!(kept >= batch * 12, "a worker's state is kept");
                seen.push(i);
                true
            },
        );
        assert_eq!(seen, items);
        assert_eq!(batches, 10);
    }

    #[test]
    fn a_share_that_panics_is_lost_alone() {
        let items: Vec<u32> = (0..64).collect();
        let mut seen = Vec::new();
        in_batches(
            &items,
            64,
            || (),
            |(), share, ()| {
                // With more than one core, the first of several shares fails.
                if share.contains(&0) && share.len() < 64 {
                    panic!("a share that fails");
                }
                (share.to_vec(), ())
            },
            |_, i| {
                seen.push(i);
                true
            },
        );
        assert!(seen.ends_with(&[62, 63]), "the other shares are handed on");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order");
    }
}
