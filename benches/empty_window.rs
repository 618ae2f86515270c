//! The reference for `benches/startup.sh`: an empty eframe window built as calmdesk's is (the
//! same eframe features, the Glow renderer, the same window options, release profile) and
//! wrapped in the same start-up probe (`calmdesk::probe`). Without `CALMDESK_FIRST_FRAME` it
//! does nothing, so `cargo bench` passes over it.

/// Draws nothing.
struct Empty;

impl eframe::App for Empty {
    fn ui(&mut self, _ui: &mut egui::Ui, _frame: &mut eframe::Frame) {}
}

fn main() -> Result<(), eframe::Error> {
    let started = std::time::Instant::now();
    let Ok(launched) = std::env::var(calmdesk::probe::VARIABLE) else {
        println!("empty_window: run through benches/startup.sh");
        return Ok(());
    };
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
                Empty, started, &launched,
            )))
        }),
    )
}
