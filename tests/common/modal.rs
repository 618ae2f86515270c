//! Seeing a modal of work done off the UI thread, in the UI tests that share it.

use calmdesk::app::CalmdeskApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};

/// Steps frame by frame until a line containing `result` is on screen (at most six frames):
/// whether the dialog `modal` was shown before it, with a progress bar. The job's worker is done
/// before the first of these frames in the tests that call this, so a modal that waited for
/// nothing would never be seen.
pub fn modal_seen_before_result(
    harness: &mut Harness<'_, CalmdeskApp>,
    modal: &str,
    result: &str,
) -> bool {
    let mut seen = false;
    for _ in 0..6 {
        harness.step();
        if harness
            .query_all(By::new().label_contains(result))
            .next()
            .is_some()
        {
            break;
        }
        seen |= harness
            .query(By::new().role(Role::Dialog).label(modal))
            .is_some()
            && harness
                .query(By::new().role(Role::ProgressIndicator))
                .is_some();
    }
    seen
}
