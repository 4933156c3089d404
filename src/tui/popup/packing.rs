//! The report being packed (and signed) on a worker: a progress bar, Esc
//! cancels; when the packer is done, a notice says what was made (or the
//! sign-off form says why not).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Clear, Gauge, Paragraph};

use super::{Notice, Outcome, Popup};
use crate::audit::AuditRecord;
use crate::evidence::human_size;
use crate::report::pack::Progress;
use crate::report::signoff::Outcome as Packed;
use crate::tui::action::Action;
use crate::tui::keymap;
use crate::tui::model::Model;
use crate::tui::signoff::PackFailure;
use crate::tui::theme::Theme;
use crate::tui::view::centered;

pub struct Packing {
    pub progress: Arc<Progress>,
    pub out: PathBuf,
    pub draft: bool,
}

impl Packing {
    /// Esc asks the packer to stop; the popup stays until it has.
    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        if action == Action::Close {
            self.progress.cancel.store(true, Ordering::Relaxed);
            model.message = Some("cancelling…".into());
        }
        Outcome::stay()
    }

    pub fn draw(&self, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = centered(area, area.width.saturating_sub(8).min(70), 6);
        frame.render_widget(Clear, rect);
        let title = if self.draft {
            " Packing the DRAFT report "
        } else {
            " Packing and signing the report "
        };
        let block = Block::bordered().title(title);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [name, gauge, help] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(self.out.display().to_string()).style(theme.heading()),
            name,
        );
        let done = self.progress.done.load(Ordering::Relaxed);
        let total = self.progress.total.load(Ordering::Relaxed);
        let label = if total == 0 {
            "checking the record, unlocking the key…".to_string()
        } else {
            format!(
                "{:.0}% — {} of {}",
                self.progress.fraction() * 100.0,
                human_size(done),
                human_size(total)
            )
        };
        frame.render_widget(
            Gauge::default()
                .ratio(self.progress.fraction())
                .label(label)
                .gauge_style(theme.heading()),
            Rect { height: 1, ..gauge },
        );
        frame.render_widget(
            Paragraph::new(Span::styled(keymap::hint(keymap::Mode::Busy), theme.dim())),
            help,
        );
    }
}

/// The packer finished: show what was made, or why not. Returns the record
/// as the packer left it on disk (signed off and locked, or unchanged).
pub fn finished(
    model: &mut Model,
    result: Result<Box<Packed>, PackFailure>,
) -> Option<AuditRecord> {
    let out = match model.popups.last() {
        Some(Popup::Packing(p)) => {
            let out = p.out.display().to_string();
            model.popups.pop();
            out
        }
        _ => String::new(),
    };
    model.message = None;
    let outcome = match result {
        Ok(outcome) => *outcome,
        Err(reason) => {
            match model.popups.last_mut() {
                Some(Popup::SignOff(form)) => form.error = Some(reason.to_string()),
                _ => model.message = Some(reason.to_string()),
            }
            return None;
        }
    };
    if matches!(model.popups.last(), Some(Popup::SignOff(_))) {
        model.popups.pop();
    }
    let Packed {
        packed,
        sign_off,
        record,
    } = outcome;
    let mut lines = vec![format!(
        "{out}: {} files ({} evidence), {}.",
        packed.files,
        packed.evidence_files,
        human_size(packed.zip_bytes)
    )];
    let title = match &sign_off {
        Some(s) => {
            lines.push(format!(
                "Signed off by {} at {} with key {}.",
                s.signer,
                s.at.format("%Y-%m-%d %H:%M %:z"),
                s.key_id
            ));
            lines.push(
                "The record is now locked; `fieldaudit reopen` unlocks it and records that this sign-off no longer holds."
                    .into(),
            );
            lines.push(
                "Give the certification body the zip and your public key (.pub). They check it with `fieldaudit verify REPORT.zip --pubkey KEY.pub`, or `minisign -Vm MANIFEST.sha256 -p KEY.pub` and `sha256sum -c MANIFEST.sha256` on the unzipped files."
                    .into(),
            );
            " Report signed "
        }
        None => {
            lines.push("Unsigned and marked DRAFT on every page; the record stays open.".into());
            " DRAFT packed "
        }
    };
    model.popups.push(Popup::Notice(Notice {
        title: title.to_string(),
        lines,
    }));
    Some(record)
}
