//! What a first-time user sees instead of an empty pane, and the screen shown when the database
//! could not be opened — for a damaged file with its backups to restore in its place — and the
//! one shown while a file from an older calmdesk is upgraded.

use std::path::{Path, PathBuf};

use egui::{Id, Modal, RichText, Ui};

use super::action::Command;
use super::strings::fill;
use super::{Action, Strings, format};
use crate::domain::backup::BackupInfo;

/// A file from an older calmdesk being upgraded, as the screen says it.
pub struct Upgrading<'a> {
    /// The file's name.
    pub file: &'a str,
    /// The name of the copy kept as the file was.
    pub copy: &'a str,
    /// How long it has been working, in seconds.
    pub seconds: u64,
    /// The step under way and how far it is, 0 to 1 (`None` while the file is checked).
    pub step: Option<(UpgradeStep, f32)>,
    /// The user asked to close: the window closes when the upgrade is done.
    pub is_closing: bool,
}

/// The steps of an upgrade that take long enough to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeStep {
    /// The copy of the file as it was.
    Copy,
    /// The search index rebuilt.
    SearchIndex,
}

/// The upgrade at work: what is happening, why, and that it is still going.
pub fn upgrading_ui(ui: &mut Ui, tr: &Strings, upgrading: &Upgrading<'_>) {
    ui.add_space(ui.available_height() * 0.2);
    ui.vertical_centered(|ui| {
        ui.set_max_width(620.0);
        ui.label(RichText::new(tr.upgrade_title).size(22.0).strong());
        ui.add_space(8.0);
        ui.label(fill(
            tr.upgrade_body,
            &[("file", upgrading.file), ("copy", upgrading.copy)],
        ));
        ui.add_space(12.0);
        // Each on its own centred line (a row of them would sit at the left).
        ui.spinner();
        let time = format!("{}:{:02}", upgrading.seconds / 60, upgrading.seconds % 60);
        ui.label(fill(tr.upgrade_elapsed, &[("time", &time)]));
        if let Some((step, done)) = upgrading.step {
            let what = match step {
                UpgradeStep::Copy => tr.upgrade_step_copy,
                UpgradeStep::SearchIndex => tr.upgrade_step_index,
            };
            ui.add_space(8.0);
            ui.add(
                egui::ProgressBar::new(done)
                    .desired_width(420.0)
                    .text(format!("{what} · {:.0} %", done * 100.0)),
            );
        }
        if upgrading.is_closing {
            ui.add_space(8.0);
            ui.label(RichText::new(tr.upgrade_closing).strong());
        }
    });
}

/// No clients yet: say what the app is for and offer the two ways in.
pub fn welcome_ui(ui: &mut Ui, tr: &Strings, is_demo: bool) -> Option<Action> {
    let mut action = None;
    ui.add_space(ui.available_height() * 0.15);
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0);
        ui.label(RichText::new(tr.welcome_title).size(26.0).strong());
        ui.add_space(8.0);
        ui.label(tr.welcome_body);
        ui.add_space(16.0);
        if ui
            .button(RichText::new(tr.welcome_add_client).size(16.0).strong())
            .clicked()
        {
            action = Some(Action::NewClient);
        }
        ui.add_space(6.0);
        if !is_demo
            && ui
                .button(tr.welcome_open_demo)
                .on_hover_text(tr.welcome_open_demo_hint)
                .clicked()
        {
            action = Some(Action::OpenDemo);
        }
        ui.add_space(16.0);
        ui.label(RichText::new(tr.welcome_privacy).small().weak());
    });
    action
}

/// A client list exists but none is selected.
pub fn pick_client_ui(ui: &mut Ui, tr: &Strings) {
    ui.centered_and_justified(|ui| {
        ui.label(RichText::new(tr.pick_client).weak());
    });
}

/// Why no database is open, as the screen tells it.
#[derive(Clone, Copy, Debug)]
pub struct OpenFailure<'a> {
    pub message: &'a str,
    /// The file was found damaged (not refused at the door).
    pub is_damage: bool,
    /// The file is open in another calmdesk window.
    pub is_locked: bool,
    /// It can be opened read-only, to look or to copy things out.
    pub offers_read_only: bool,
    /// The damaged file's backups, newest first, and where they are.
    pub backups: &'a [BackupInfo],
    pub backups_folder: Option<&'a Path>,
}

/// Where restoring a backup over a damaged file stands. The screen is a function, so this
/// lives in egui's memory for the frames between the clicks.
#[derive(Clone, Debug, Default)]
enum RestoreStep {
    #[default]
    Closed,
    Choosing,
    Confirming {
        backup: PathBuf,
        when: String,
    },
}

fn restore_step_id() -> Id {
    Id::unique("damaged_file_restore")
}

/// The database could not be opened: say why, say what was (not) changed, offer a way on.
pub fn open_failed_ui(ui: &mut Ui, tr: &Strings, failure: &OpenFailure<'_>) -> Option<Action> {
    let mut action = None;
    let (title, body) = if failure.is_damage {
        (tr.damaged_title, tr.damaged_body)
    } else if failure.is_locked {
        (tr.locked_title, tr.locked_body)
    } else {
        (tr.open_failed_title, tr.open_failed_body)
    };
    ui.add_space(ui.available_height() * 0.15);
    ui.vertical_centered(|ui| {
        ui.set_max_width(620.0);
        ui.label(RichText::new(title).size(22.0).strong());
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(RichText::new(failure.message).color(ui.visuals().error_fg_color))
                .wrap()
                .selectable(true),
        );
        ui.add_space(8.0);
        ui.label(body);
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if failure.offers_read_only && ui.button(tr.open_read_only_button).clicked() {
                action = Some(Action::OpenReadOnly);
            }
            if failure.is_damage && ui.button(tr.damaged_restore_button).clicked() {
                set_step(ui.ctx(), RestoreStep::Choosing);
            }
            if !failure.is_damage && ui.button(tr.welcome_open_demo).clicked() {
                action = Some(Action::OpenDemo);
            }
            if ui.button(tr.quit_button).clicked() {
                action = Some(Action::Quit);
            }
        });
    });
    if failure.is_damage {
        action = restore_ui(ui.ctx(), tr, failure).or(action);
    }
    action
}

fn set_step(ctx: &egui::Context, step: RestoreStep) {
    ctx.data_mut(|data| data.insert_temp(restore_step_id(), step));
}

/// Picking a backup to put in the damaged file's place, then confirming it. The answer is
/// `Command::RestoreBackup`: with no file open, the app restores in the damaged file's place.
fn restore_ui(ctx: &egui::Context, tr: &Strings, failure: &OpenFailure<'_>) -> Option<Action> {
    let step: RestoreStep = ctx.data(|data| data.get_temp(restore_step_id()).unwrap_or_default());
    let mut next = step.clone();
    let mut action = None;
    let folder = failure
        .backups_folder
        .map(|folder| folder.display().to_string())
        .unwrap_or_default();
    match &step {
        RestoreStep::Closed => return None,
        RestoreStep::Choosing => {
            let modal = Modal::new(Id::unique("damaged_restore_choose")).show(ctx, |ui| {
                ui.set_width(520.0);
                super::widgets::dialog_heading_ui(ui, tr.damaged_restore_title);
                if failure.backups.is_empty() {
                    ui.label(fill(tr.damaged_restore_none, &[("folder", &folder)]));
                } else {
                    ui.label(fill(tr.damaged_restore_body, &[("folder", &folder)]));
                }
                for backup in failure.backups {
                    ui.horizontal(|ui| {
                        let when = format::date_time(tr, backup.taken_at);
                        let size = format::size(tr, backup.bytes);
                        ui.label(fill(tr.backup_entry, &[("when", &when), ("size", &size)]));
                        if ui.button(tr.backup_restore_button).clicked() {
                            next = RestoreStep::Confirming {
                                backup: backup.path.clone(),
                                when,
                            };
                        }
                    });
                }
                ui.separator();
                if ui.button(tr.close_button).clicked() {
                    next = RestoreStep::Closed;
                }
            });
            if modal.should_close() && matches!(next, RestoreStep::Choosing) {
                next = RestoreStep::Closed;
            }
        }
        RestoreStep::Confirming { backup, when } => {
            let modal = Modal::new(Id::unique("damaged_restore_confirm")).show(ctx, |ui| {
                ui.set_width(420.0);
                super::widgets::dialog_heading_ui(ui, tr.backup_restore_title);
                ui.label(fill(tr.damaged_restore_confirm_body, &[("when", when)]));
                ui.horizontal(|ui| {
                    if ui.button(tr.backup_restore_confirm).clicked() {
                        action = Some(Action::Do(Command::RestoreBackup(backup.clone())));
                        next = RestoreStep::Closed;
                    }
                    if ui.button(tr.cancel_button).clicked() {
                        next = RestoreStep::Choosing;
                    }
                });
            });
            if modal.should_close() && action.is_none() {
                next = RestoreStep::Choosing;
            }
        }
    }
    set_step(ctx, next);
    action
}
