//! The sign-off form (`S`): what a final report still lacks, and the
//! report's name, the signer, the key and its password. Packing starts once
//! the run loop has said whether the report's name is taken
//! ([`Effect::CheckReportName`]); the packer itself runs on a worker
//! ([`crate::tui::signoff::PackJob`]).

use std::path::Path;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::Input;

use super::form::{self, TextField};
use super::{ConcludeForm, MetaForm, Next, Outcome, Packing, Popup, ReportForm};
use crate::audit::status::unsupported_verdicts;
use crate::report::pack::{self, Missing, Progress};
use crate::tui::action::Action;
use crate::tui::keymap::{self, Mode};
use crate::tui::model::{Item, Model};
use crate::tui::signoff::{PackJob, Surroundings, expand_home};
use crate::tui::theme::Theme;
use crate::tui::update::Effect;

/// A row of the sign-off form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignField {
    /// Final (signed) or draft, chosen with ←/→.
    Kind,
    Out,
    Signer,
    Key,
    Password,
}

pub struct SignOffForm {
    pub draft: bool,
    pub out: TextField,
    pub signer: TextField,
    pub key: TextField,
    /// Shown masked; cleared once handed to the packer.
    pub password: TextField,
    pub focus: SignField,
    /// What a final report lacks, as of when the form opened.
    pub missing: Vec<Missing>,
    /// How many verdicts rest on no note, evidence or finding (a warning,
    /// not a refusal), as of when the form opened.
    pub unsupported: usize,
    /// Why the last attempt was refused or failed.
    pub error: Option<String>,
    /// The default report names (final, draft), to follow a change of kind.
    pub defaults: (String, String),
    /// The home folder `~/` stands for in the file names.
    pub home: Option<std::path::PathBuf>,
}

impl SignOffForm {
    /// The rows in screen order.
    pub const ORDER: [SignField; 5] = [
        SignField::Kind,
        SignField::Out,
        SignField::Signer,
        SignField::Key,
        SignField::Password,
    ];

    /// The form, filled in as far as fieldaudit can guess from what the run
    /// loop found around the record.
    pub fn open(model: &Model, around: Surroundings) -> SignOffForm {
        let missing = pack::missing_for_final(&model.record, &model.catalog);
        // A complete, open record is signed; otherwise a draft is what can be made.
        let draft = !missing.is_empty() || model.record.sign_off.is_some();
        let defaults = (around.final_name, around.draft_name);
        let signer = model
            .record
            .meta
            .lead_auditor()
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| model.author.clone());
        let out = if draft { &defaults.1 } else { &defaults.0 };
        SignOffForm {
            draft,
            out: TextField::new("Save as", out, false),
            signer: TextField::new("Signer", &signer, false),
            key: TextField::new(
                "Key (.key)",
                around.key.as_deref().unwrap_or_default(),
                false,
            ),
            password: TextField::masked("Key password"),
            focus: if draft {
                SignField::Kind
            } else {
                SignField::Password
            },
            missing,
            unsupported: unsupported_verdicts(&model.record, &model.catalog).len(),
            error: None,
            defaults,
            home: around.home,
        }
    }

    pub fn mode(&self) -> Mode {
        if self.focus == SignField::Kind {
            Mode::SignOffChoice
        } else if self.on_last() {
            Mode::SignOffLast
        } else {
            Mode::SignOff
        }
    }

    /// The rows that matter for the chosen kind (a draft needs no key).
    pub fn active(&self) -> &'static [SignField] {
        if self.draft {
            &Self::ORDER[..2]
        } else {
            &Self::ORDER
        }
    }

    pub fn field(&self, row: SignField) -> Option<&TextField> {
        match row {
            SignField::Kind => None,
            SignField::Out => Some(&self.out),
            SignField::Signer => Some(&self.signer),
            SignField::Key => Some(&self.key),
            SignField::Password => Some(&self.password),
        }
    }

    pub fn field_mut(&mut self, row: SignField) -> Option<&mut TextField> {
        match row {
            SignField::Kind => None,
            SignField::Out => Some(&mut self.out),
            SignField::Signer => Some(&mut self.signer),
            SignField::Key => Some(&mut self.key),
            SignField::Password => Some(&mut self.password),
        }
    }

    /// Move the focus one row among the active ones, wrapping.
    pub fn move_focus(&mut self, forward: bool) {
        self.focus = form::cycle(self.active(), self.focus, forward);
    }

    /// Whether the focus is on the last row that matters.
    pub fn on_last(&self) -> bool {
        self.active().last() == Some(&self.focus)
    }

    /// ←/→ on the kind row: final or draft, and the default name follows.
    fn toggle_kind(&mut self) {
        self.draft = !self.draft;
        let (final_name, draft_name) = &self.defaults;
        let (from, to) = if self.draft {
            (final_name, draft_name)
        } else {
            (draft_name, final_name)
        };
        if self.out.text() == *from {
            self.out = TextField::new("Save as", to, false);
        }
        self.error = None;
    }

    /// Where the report is to be written, `~/` expanded.
    fn out_path(&self) -> std::path::PathBuf {
        expand_home(&self.out.text(), self.home.as_deref())
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => return Outcome::next(Next::Close),
            // First ask the run loop whether the report's name is taken;
            // the answer goes to `name_checked`.
            Action::Submit => {
                return Outcome::stay().with(vec![Effect::CheckReportName(self.out_path())]);
            }
            Action::NextField | Action::PrevField => {
                self.move_focus(action == Action::NextField);
            }
            Action::ChoicePrev | Action::ChoiceNext => self.toggle_kind(),
            Action::GoToMissing => return self.go_to_missing(model),
            _ => {}
        }
        Outcome::stay()
    }

    pub fn typed(&mut self, input: Input) {
        let focus = self.focus;
        if let Some(field) = self.field_mut(focus) {
            field.area.input(input);
            self.error = None;
        }
    }

    /// The report name `path` was checked (`taken`: a file is there): check
    /// the rest of the form and start the packer.
    pub fn name_checked(&mut self, model: &mut Model, path: &Path, taken: bool) -> Outcome {
        if self.out_path() != path {
            // The name was changed meanwhile: this answer is about another.
            return Outcome::stay();
        }
        if let Some(reason) = self.refusal(model, taken) {
            self.error = Some(reason);
            return Outcome::stay();
        }
        let progress = Arc::new(Progress::default());
        let job = PackJob {
            record: model.path.clone(),
            out: self.out_path(),
            evidence: None,
            draft: self.draft,
            signer: self.signer.text(),
            key: expand_home(&self.key.text(), self.home.as_deref()),
            password: self.password.area.lines().join(""),
            progress: Arc::clone(&progress),
        };
        // The password leaves the form; a failed attempt asks for it again.
        self.password = TextField::masked("Key password");
        self.error = None;
        let packing = Popup::Packing(Packing {
            progress,
            out: job.out.clone(),
            draft: job.draft,
        });
        Outcome::next(Next::Open(packing)).with(vec![Effect::Pack(job)])
    }

    /// Why the form cannot be packed as it stands, if it cannot (`taken`: a
    /// file has the report's name).
    fn refusal(&self, model: &Model, taken: bool) -> Option<String> {
        if !model.pending.is_empty() {
            return Some(format!(
                "{} change(s) are still being saved; try again in a moment",
                model.pending.len()
            ));
        }
        if !model.failed.is_empty() {
            return Some(format!(
                "{} change(s) could not be saved; Esc, then Ctrl-R to retry, before packing",
                model.failed.len()
            ));
        }
        let out = self.out.text();
        if out.is_empty() {
            return Some("give the report a file name (Save as)".into());
        }
        if taken {
            return Some(format!(
                "{out} already exists; fieldaudit never overwrites a report — choose another name"
            ));
        }
        if self.draft {
            return None;
        }
        if let Some(s) = &model.record.sign_off {
            return Some(format!(
                "already signed off by {} at {}; run `fieldaudit reopen` to change the record, or pack a draft",
                s.signer,
                s.at.format("%Y-%m-%d %H:%M")
            ));
        }
        let missing = pack::missing_for_final(&model.record, &model.catalog);
        if !missing.is_empty() {
            return Some(format!(
                "{} item(s) missing for a final report: Ctrl-G goes to the first, or choose draft",
                missing.len()
            ));
        }
        if self.signer.text().is_empty() {
            return Some("a final report needs the signer's name".into());
        }
        if self.key.text().is_empty() {
            return Some(
                "give your secret key file (KEYBASE.key; `fieldaudit keygen` makes one)".into(),
            );
        }
        None
    }

    /// Ctrl-G: close the form and go to the first missing item.
    fn go_to_missing(&mut self, model: &mut Model) -> Outcome {
        let Some(first) = self.missing.first().cloned() else {
            self.error = Some("nothing is missing".into());
            return Outcome::stay();
        };
        model.message = Some(format!("missing: {first}"));
        match &first {
            Missing::Meta(_) => {
                let details = MetaForm::new(&model.record.meta);
                return Outcome::next(Next::Replace(Popup::Meta(Box::new(details))));
            }
            Missing::Conclusion | Missing::Recommendation(_) => {
                let form = ConcludeForm::new(&model.record);
                return Outcome::next(Next::Replace(Popup::Conclude(Box::new(form))));
            }
            Missing::Report(_) => {
                let report = ReportForm::new(&model.record.meta);
                return Outcome::next(Next::Replace(Popup::Report(Box::new(report))));
            }
            Missing::Verdict(r)
            | Missing::Justification(r)
            | Missing::Contradiction { req: r, .. } => model.jump_to(r),
            Missing::Statement(id) | Missing::ObjectiveEvidence(id) => {
                if let Some(r) = model
                    .record
                    .findings
                    .iter()
                    .find(|f| f.id == *id)
                    .and_then(|f| f.requirements.first().cloned())
                {
                    model.jump_to(&r);
                    model.item = Some(Item::Finding(*id));
                }
            }
            // The follow-up screen, where `v` gives the verdict.
            Missing::FollowUpVerdict(id) => crate::tui::screen::follow_up::show(model, *id),
            Missing::Conflict(_) => {}
        }
        Outcome::next(Next::Close)
    }

    /// The sign-off form: kind, name, signer, key and password, then what a
    /// final report still lacks (or what signing confirms).
    pub fn draw(&self, model: &Model, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let f = self;
        // The list of what is missing takes all the room there is.
        let short = f.missing.is_empty() || model.record.sign_off.is_some();
        let rect = form::form_rect(area, if short { 17 } else { area.height });
        let [rows, body, error, help] = form::frame_form(
            frame,
            rect,
            " Sign off: pack the report for the certification body ",
            [
                Constraint::Length(SignOffForm::ORDER.len() as u16 + 1),
                Constraint::Min(1),
                Constraint::Length(if f.error.is_some() { 2 } else { 0 }),
                Constraint::Length(1),
            ],
        );
        let label_width = 16.min(rows.width / 3);
        for (i, row) in SignOffForm::ORDER.iter().enumerate() {
            let line = Rect {
                y: rows.y + i as u16,
                height: 1,
                ..rows
            };
            let focused = top && f.focus == *row;
            match f.field(*row) {
                Some(field) if f.active().contains(row) => {
                    form::labelled_field(frame, field, focused, theme, line, label_width)
                }
                Some(field) => frame.render_widget(
                    Paragraph::new(Span::styled(
                        format!(
                            "{:<w$}(not needed for a draft)",
                            field.label,
                            w = label_width as usize
                        ),
                        theme.dim(),
                    )),
                    line,
                ),
                None => {
                    let words = [("final, signed", !f.draft), ("draft", f.draft)];
                    form::labelled_choice(
                        frame,
                        "Report ←/→",
                        words.into_iter(),
                        focused,
                        theme,
                        line,
                        label_width,
                    );
                }
            }
        }
        let mut lines = Vec::new();
        if f.draft && model.record.sign_off.is_none() {
            lines.push(Line::styled(
                "A draft is unsigned and marked DRAFT on every page; the record stays open.",
                theme.dim(),
            ));
        }
        if f.unsupported > 0 {
            lines.push(Line::styled(
                format!(
                    "Warning: {} verdict(s) rest on no note, no cited evidence and no finding; the report states it.",
                    f.unsupported
                ),
                theme.error(),
            ));
        }
        match (&model.record.sign_off, f.missing.is_empty()) {
            (Some(s), _) => {
                lines.push(Line::styled(
                    format!(
                        "Signed off by {} at {}: the record is locked. A draft can still be packed; `fieldaudit reopen` unlocks it.",
                        s.signer,
                        s.at.format("%Y-%m-%d %H:%M")
                    ),
                    theme.heading(),
                ));
            }
            (None, true) => {
                lines.push(Line::styled(
                    "Complete: every requirement has a verdict, every nonconformity is written up, the audit details are filled in.",
                    theme.ok(),
                ));
                if !f.draft {
                    lines.push(Line::raw(format!(
                        "Signing confirms: {}",
                        crate::report::signoff::statement(&f.signer.text())
                    )));
                    lines.push(Line::styled(
                        "Afterwards the record is locked until `fieldaudit reopen`.",
                        theme.dim(),
                    ));
                }
            }
            (None, false) => {
                lines.push(Line::styled(
                    format!(
                        "Missing for a final report: {} item(s) — Ctrl-G goes to the first",
                        f.missing.len()
                    ),
                    theme.heading(),
                ));
                // One row per line from here on; keep the last for "… more".
                let width = usize::from(body.width.max(1));
                let used: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
                let room = usize::from(body.height).saturating_sub(used).max(1);
                let shown = if f.missing.len() > room {
                    room - 1
                } else {
                    room
                };
                lines.extend(
                    f.missing
                        .iter()
                        .take(shown)
                        .map(|m| Line::raw(format!("  • {m}"))),
                );
                if f.missing.len() > shown {
                    lines.push(Line::styled(
                        format!(
                            "  … and {} more (the dashboard, d, lists what is unassessed)",
                            f.missing.len() - shown
                        ),
                        theme.dim(),
                    ));
                }
            }
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        if let Some(e) = &f.error {
            frame.render_widget(
                Paragraph::new(Span::styled(e.clone(), theme.error())).wrap(Wrap { trim: true }),
                error,
            );
        }
        frame.render_widget(
            Paragraph::new(Span::styled(
                keymap::hint_within(keymap::Mode::SignOff, usize::from(help.width)),
                theme.dim(),
            )),
            help,
        );
    }
}

/// The run loop's answer about the report's name, for the form on top.
pub fn name_checked(model: &mut Model, path: &Path, taken: bool) -> Vec<Effect> {
    super::with_top(model, |top, model| match top {
        Popup::SignOff(form) => form.name_checked(model, path, taken),
        _ => Outcome::stay(),
    })
}
