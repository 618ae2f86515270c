//! The Data dialog: the trash (restore an entry, or empty it after a confirmation), the backups
//! (back up now, restore one after a confirmation, how many are kept), and the whole-database
//! export and import. It draws from a read-only [`DataModel`] and returns actions; the file
//! dialogs and the import's progress are the app's.

use std::path::{Path, PathBuf};

use egui::{Id, Modal, RichText, Ui};

use super::action::{Action, Command};
use super::strings::fill;
use super::{Strings, format};
use crate::domain::backup::BackupInfo;
use crate::domain::history::TrashedEntry;

/// What the dialog shows.
#[derive(Clone, Copy)]
pub struct DataModel<'a> {
    pub trash: &'a [TrashedEntry],
    pub backups: &'a [BackupInfo],
    pub backups_kept: u32,
    pub backups_folder: Option<&'a Path>,
}

#[derive(Debug, Default)]
pub struct DataDialog {
    pub is_open: bool,
    asking_to_empty: bool,
    asking_to_restore: Option<(PathBuf, String)>,
    keep: Option<u32>,
}

impl DataDialog {
    pub fn open(&mut self) {
        *self = Self {
            is_open: true,
            ..Self::default()
        };
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        tr: &Strings,
        model: &DataModel<'_>,
    ) -> Option<Action> {
        if !self.is_open {
            return None;
        }
        let mut action = None;
        let modal = Modal::new(Id::unique("data_dialog")).show(ctx, |ui| {
            ui.set_width(640.0);
            super::widgets::dialog_heading_ui(ui, tr.data_title);
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.75)
                .show(ui, |ui| {
                    action = self.trash_ui(ui, tr, model.trash);
                    ui.separator();
                    action = self.backups_ui(ui, tr, model).or(action.take());
                    ui.separator();
                    action = archive_ui(ui, tr).or(action.take());
                });
            ui.separator();
            if ui.button(tr.close_button).clicked() {
                self.is_open = false;
            }
        });
        if modal.should_close() && !self.asking_to_empty && self.asking_to_restore.is_none() {
            self.is_open = false;
        }
        action = self.confirm_empty_ui(ctx, tr, model.trash.len()).or(action);
        action = self.confirm_restore_ui(ctx, tr).or(action);
        action
    }

    fn trash_ui(&mut self, ui: &mut Ui, tr: &Strings, trash: &[TrashedEntry]) -> Option<Action> {
        let mut action = None;
        ui.label(RichText::new(tr.trash_heading).strong());
        ui.label(tr.trash_body);
        if trash.is_empty() {
            ui.label(RichText::new(tr.trash_nothing).weak());
            return None;
        }
        for trashed in trash {
            ui.horizontal(|ui| {
                let exchange = &trashed.exchange;
                let line = fill(
                    tr.trash_entry,
                    &[
                        ("client", &trashed.client_name),
                        ("when", &format::date_time(tr, exchange.occurred_at)),
                        ("deleted", &format::date_time(tr, trashed.trashed_at)),
                    ],
                );
                let preview = crate::domain::exchange::preview_of(&exchange.body, 80);
                ui.label(format!("{line}: {preview}"));
                if ui.button(tr.trash_restore_button).clicked() {
                    action = Some(Action::Do(Command::RestoreFromTrash(exchange.exchange_id)));
                }
            });
        }
        if ui.button(tr.trash_empty_button).clicked() {
            self.asking_to_empty = true;
        }
        action
    }

    fn backups_ui(&mut self, ui: &mut Ui, tr: &Strings, model: &DataModel<'_>) -> Option<Action> {
        let mut action = None;
        ui.label(RichText::new(tr.backups_heading).strong());
        let folder = model
            .backups_folder
            .map(|folder| folder.display().to_string())
            .unwrap_or_default();
        ui.label(fill(tr.backups_body, &[("folder", &folder)]));
        ui.horizontal(|ui| {
            if ui.button(tr.backup_now_button).clicked() {
                action = Some(Action::Do(Command::BackupNow));
            }
            let keep = self.keep.get_or_insert(model.backups_kept);
            let label = ui.label(tr.backups_keep_label);
            ui.add(egui::DragValue::new(keep).range(1..=1000))
                .labelled_by(label.id);
            if *keep != model.backups_kept && ui.button(tr.backups_keep_save).clicked() {
                action = Some(Action::Do(Command::SetBackupsKept(*keep)));
            }
        });
        if model.backups.is_empty() {
            ui.label(RichText::new(tr.backups_none).weak());
        }
        for backup in model.backups {
            ui.horizontal(|ui| {
                let when = format::date_time(tr, backup.taken_at);
                let size = format::size(tr, backup.bytes);
                ui.label(fill(tr.backup_entry, &[("when", &when), ("size", &size)]));
                if ui.button(tr.backup_restore_button).clicked() {
                    self.asking_to_restore = Some((backup.path.clone(), when));
                }
            });
        }
        action
    }

    fn confirm_empty_ui(
        &mut self,
        ctx: &egui::Context,
        tr: &Strings,
        count: usize,
    ) -> Option<Action> {
        if !self.asking_to_empty {
            return None;
        }
        let mut action = None;
        let modal = Modal::new(Id::unique("confirm_empty_trash")).show(ctx, |ui| {
            ui.set_width(420.0);
            super::widgets::dialog_heading_ui(ui, tr.trash_empty_title);
            ui.label(fill(tr.trash_empty_body, &[("n", &count.to_string())]));
            ui.horizontal(|ui| {
                let erase =
                    RichText::new(tr.trash_empty_confirm).color(ui.visuals().error_fg_color);
                if ui.button(erase).clicked() {
                    action = Some(Action::Do(Command::EmptyTrash));
                    self.asking_to_empty = false;
                }
                if ui.button(tr.cancel_button).clicked() {
                    self.asking_to_empty = false;
                }
            });
        });
        if modal.should_close() {
            self.asking_to_empty = false;
        }
        action
    }

    fn confirm_restore_ui(&mut self, ctx: &egui::Context, tr: &Strings) -> Option<Action> {
        let (path, when) = self.asking_to_restore.clone()?;
        let mut action = None;
        let modal = Modal::new(Id::unique("confirm_restore_backup")).show(ctx, |ui| {
            ui.set_width(420.0);
            super::widgets::dialog_heading_ui(ui, tr.backup_restore_title);
            ui.label(fill(tr.backup_restore_body, &[("when", &when)]));
            ui.horizontal(|ui| {
                if ui.button(tr.backup_restore_confirm).clicked() {
                    action = Some(Action::Do(Command::RestoreBackup(path.clone())));
                    self.asking_to_restore = None;
                    self.is_open = false;
                }
                if ui.button(tr.cancel_button).clicked() {
                    self.asking_to_restore = None;
                }
            });
        });
        if modal.should_close() {
            self.asking_to_restore = None;
        }
        action
    }
}

fn archive_ui(ui: &mut Ui, tr: &Strings) -> Option<Action> {
    let mut action = None;
    ui.label(RichText::new(tr.archive_heading).strong());
    ui.label(tr.archive_body);
    ui.horizontal(|ui| {
        if ui.button(tr.archive_export_button).clicked() {
            action = Some(Action::ChooseArchiveFile);
        }
        if ui.button(tr.archive_import_button).clicked() {
            action = Some(Action::ChooseImportFile);
        }
    });
    action
}

/// The import's progress while it runs off the UI thread: the entries taken in, and how much of
/// the file is read (`None` before the first entries).
pub fn import_progress_ui(ctx: &egui::Context, tr: &Strings, entries: usize, share: Option<f32>) {
    let title = tr.archive_import_button.trim_end_matches('…');
    let bar = share.map(|share| {
        let text = fill(tr.import_progress, &[("done", &entries.to_string())]);
        (share, text)
    });
    let _is_visible = progress_ui(
        ctx,
        Id::unique("import_progress"),
        (title, tr.import_reading),
        bar,
    );
}

/// The whole-database export's progress, while it runs off the UI thread; whether this frame
/// put it on screen.
#[must_use]
pub fn export_progress_ui(ctx: &egui::Context, tr: &Strings, done: usize, total: usize) -> bool {
    let bar = (total > 0).then(|| {
        let text = fill(
            tr.export_progress,
            &[("done", &done.to_string()), ("total", &total.to_string())],
        );
        (done as f32 / total as f32, text)
    });
    progress_ui(
        ctx,
        Id::unique("export_progress"),
        (tr.archive_export_progress_title, tr.export_reading),
        bar,
    )
}

/// A client's record being made and written off the UI thread; whether this frame put it on
/// screen.
#[must_use]
pub fn record_export_progress_ui(ctx: &egui::Context, tr: &Strings) -> bool {
    progress_ui(
        ctx,
        Id::unique("record_export_progress"),
        (tr.record_export_progress_title, tr.export_reading),
        None,
    )
}

/// A backup being restored off the UI thread (the current contents copied aside, then the
/// backup's copied in; or the backup copied into a damaged file's place), saying `what`;
/// whether this frame put it on screen.
#[must_use]
pub fn restore_progress_ui(ctx: &egui::Context, tr: &Strings, what: &str) -> bool {
    progress_ui(
        ctx,
        Id::unique("restore_progress"),
        (tr.restore_progress_title, what),
        None,
    )
}

/// A backup the user asked for, being copied off the UI thread; whether this frame put it on
/// screen.
#[must_use]
pub fn backup_progress_ui(ctx: &egui::Context, tr: &Strings) -> bool {
    progress_ui(
        ctx,
        Id::unique("backup_progress"),
        (tr.backup_progress_title, tr.backup_copying),
        None,
    )
}

/// A modal with a title and a bar: `(title, what it says before the bar moves)`, and the bar's
/// share and text once it does. Returns whether the modal was on screen this frame: on its
/// first frame egui lays a new window out unseen (a sizing pass), so a quick job gone by the
/// next frame was never shown.
#[must_use]
fn progress_ui(
    ctx: &egui::Context,
    id: Id,
    (title, waiting): (&str, &str),
    bar: Option<(f32, String)>,
) -> bool {
    let shown = Modal::new(id).show(ctx, |ui| {
        let is_visible = !ui.is_sizing_pass();
        ui.set_width(380.0);
        super::widgets::dialog_heading_ui(ui, title);
        match bar {
            None => {
                ui.label(waiting);
                ui.add(egui::ProgressBar::new(0.0).animate(true));
            }
            Some((share, text)) => {
                // Said in a label, not inside the bar: a screen reader hears only the bar's
                // value.
                ui.label(text);
                ui.add(egui::ProgressBar::new(share).show_percentage());
            }
        }
        is_visible
    });
    shown.inner
}
