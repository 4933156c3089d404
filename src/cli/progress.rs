//! A progress bar on stderr for long commands, shown only when stderr is a
//! terminal (scripts and tests get clean output).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Run `work` while a bar labelled `what` follows `done` out of `total`
/// bytes (a total of 0 means not known yet; the bar waits for it).
pub fn with_bar<T>(what: &str, done: &AtomicU64, total: &AtomicU64, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let bar = indicatif::ProgressBar::new(0);
            let template = format!(
                "{what} {{bar:40}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} eta {{eta}}"
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            while !finished.load(Ordering::Relaxed) {
                bar.set_length(total.load(Ordering::Relaxed));
                bar.set_position(done.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        let result = work();
        finished.store(true, Ordering::Relaxed);
        result
    })
}
