//! The references for `benches/startup.sh`: an eframe window built as calmdesk's is (the same
//! eframe features, the Glow renderer, the same window options, release profile) and wrapped in
//! the same start-up probe (`calmdesk::probe`). It draws nothing, or with
//! `CALMDESK_REFERENCE_LABEL` set one short label: the least an egui window that shows anything
//! pays (its first glyphs rasterised, the renderer's first draw). Without `CALMDESK_FIRST_FRAME`
//! it does nothing, so `cargo bench` passes over it.

/// Draws nothing, or one label.
struct Reference {
    label: bool,
}

impl eframe::App for Reference {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if self.label {
            ui.label("calmdesk");
        }
    }
}

fn main() -> Result<(), eframe::Error> {
    let started = std::time::Instant::now();
    let Ok(launched) = std::env::var(calmdesk::probe::VARIABLE) else {
        println!("empty_window: run through benches/startup.sh");
        return Ok(());
    };
    let label = std::env::var_os("CALMDESK_REFERENCE_LABEL").is_some();
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("empty")
            .with_app_id("calmdesk-empty")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([760.0, 480.0]),
        ..Default::default()
    };
    eframe::run_native(
        "calmdesk-empty",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(calmdesk::probe::FirstFrame::new(
                Reference { label },
                started,
                &launched,
            )))
        }),
    )
}
