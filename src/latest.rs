//! A mailbox that keeps only the newest request, for the workers that only
//! ever want the latest one: the preview worker (scrolling past fifty files
//! asks for fifty previews, but only the one running and the newest waiting
//! are ever read) and the finder's matcher (each keystroke supersedes the
//! query before it).

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

struct Slot<T> {
    newest: Option<T>,
    closed: bool,
}

/// Cloning gives another handle on the same mailbox.
pub struct Latest<T> {
    shared: Arc<(Mutex<Slot<T>>, Condvar)>,
}

impl<T> Clone for Latest<T> {
    fn clone(&self) -> Self {
        Latest {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Latest {
            shared: Arc::new((
                Mutex::new(Slot {
                    newest: None,
                    closed: false,
                }),
                Condvar::new(),
            )),
        }
    }
}

impl<T> Latest<T> {
    fn slot(&self) -> MutexGuard<'_, Slot<T>> {
        // A panic elsewhere cannot leave the slot half-written: take it as is.
        self.shared.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Leave `job`, replacing a waiting one that nobody has taken yet.
    pub fn put(&self, job: T) {
        self.slot().newest = Some(job);
        self.shared.1.notify_one();
    }

    /// Wait for the newest job; None once the mailbox is closed.
    pub fn take(&self) -> Option<T> {
        let mut slot = self.slot();
        loop {
            if slot.closed {
                return None;
            }
            if let Some(job) = slot.newest.take() {
                return Some(job);
            }
            slot = self
                .shared
                .1
                .wait(slot)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The newest job, if one is waiting; never waits.
    pub fn try_take(&self) -> Option<T> {
        self.slot().newest.take()
    }

    /// Wake the reader and make it stop.
    pub fn close(&self) {
        self.slot().closed = true;
        self.shared.1.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn only_the_newest_waiting_job_is_taken() {
        let mailbox = Latest::default();
        for n in 1..=50 {
            mailbox.put(n);
        }
        assert_eq!(mailbox.take(), Some(50));
    }

    #[test]
    fn a_busy_reader_gets_the_newest_and_close_stops_it() {
        let mailbox = Latest::default();
        let (started, wait_started) = mpsc::channel();
        let (release, hold) = mpsc::channel::<()>();
        let (done, taken) = mpsc::channel();
        let reader = {
            let mailbox = mailbox.clone();
            std::thread::spawn(move || {
                while let Some(job) = mailbox.take() {
                    let _ = started.send(job);
                    let _ = hold.recv();
                    let _ = done.send(job);
                }
            })
        };
        mailbox.put(1);
        assert_eq!(wait_started.recv_timeout(Duration::from_secs(5)), Ok(1));
        // While job 1 is being read, 2..=9 arrive; only 9 is read next.
        for n in 2..=9 {
            mailbox.put(n);
        }
        release.send(()).unwrap();
        assert_eq!(taken.recv_timeout(Duration::from_secs(5)), Ok(1));
        assert_eq!(wait_started.recv_timeout(Duration::from_secs(5)), Ok(9));
        release.send(()).unwrap();
        assert_eq!(taken.recv_timeout(Duration::from_secs(5)), Ok(9));
        mailbox.close();
        reader.join().unwrap();
        assert!(wait_started.try_recv().is_err(), "nothing else was read");
    }
}
