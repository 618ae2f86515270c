//! How the UI tests search as a user does: focus the field, type, let one frame send the query,
//! wait for the search worker's answer (a synchronisation, not a sleep), then let the window
//! settle on the results.

use calmdesk::app::CalmdeskApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// Types `text` into the field labelled `label` (the search field's label in the window's
/// language) and returns once the results are on screen.
pub fn search_for(harness: &mut Harness<'_, CalmdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.step();
    harness.state_mut().wait_for_search();
    harness.run();
}
