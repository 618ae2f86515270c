//! How the UI tests start the window: a `Launch` on a given store, clock, data folder and
//! language, not a demo, deaf to signals. A test that needs the demo sets `is_demo` on the result.

use std::path::Path;
use std::sync::Arc;

use calmdesk::app::{Launch, Opening};
use calmdesk::clock::Clock;
use calmdesk::signals::Termination;
use calmdesk::ui::UiLanguage;

pub fn launch(
    store: impl Into<Opening>,
    clock: Arc<dyn Clock>,
    data_dir: &Path,
    language: UiLanguage,
) -> Launch {
    Launch {
        store: store.into(),
        clock,
        data_dir: Some(data_dir.to_path_buf()),
        is_demo: false,
        language: Some(language),
        termination: Termination::unheard(),
    }
}
