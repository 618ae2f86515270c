//! The start-up probe behind `benches/startup.sh`: with `CALMDESK_FIRST_FRAME` set, a window
//! reports how long it took to its first painted frame and how much memory it held then, and
//! closes. The app (`main.rs`) and the empty reference window (`benches/empty_window.rs`) are
//! wrapped the same way, so the two are measured alike.

use std::time::Instant;

use crate::clock::{Clock as _, SystemClock};

/// The variable that turns the probe on. Its value is the launcher's clock just before it
/// started the program, in nanoseconds since the Unix epoch (`date +%s%N`), or empty.
pub const VARIABLE: &str = "CALMDESK_FIRST_FRAME";

/// Wraps `app`: on the second frame (the first one has been painted by then) prints one line
/// to standard output and asks the window to close.
pub struct FirstFrame<A> {
    app: A,
    started: Instant,
    launched_ns: Option<i64>,
    reported: bool,
}

impl<A: eframe::App> FirstFrame<A> {
    /// `started`: the first thing `main` did.
    pub fn new(app: A, started: Instant, launched: &str) -> Self {
        Self {
            app,
            started,
            launched_ns: launched.trim().parse().ok(),
            reported: false,
        }
    }

    fn report(&self) {
        let since_main = self.started.elapsed().as_secs_f64() * 1000.0;
        let since_launch = self
            .launched_ns
            .zip(SystemClock.now().timestamp_nanos_opt())
            .map_or_else(
                || "-".into(),
                |(launched, now)| format!("{:.1}", (now - launched) as f64 / 1e6),
            );
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map_or_else(
                    || "-".into(),
                    |rest| rest.trim().trim_end_matches(" kB").to_owned(),
                )
        };
        println!(
            "first_frame launch_ms={since_launch} main_ms={since_main:.1} vm_hwm_kb={} vm_rss_kb={}",
            field("VmHWM:"),
            field("VmRSS:"),
        );
    }
}

impl<A: eframe::App> eframe::App for FirstFrame<A> {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if ctx.cumulative_frame_nr() == 0 {
            // The app may not ask for another frame by itself.
            ctx.request_repaint();
        } else if !self.reported {
            self.reported = true;
            self.report();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.app.ui(ui, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.save(storage);
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.app.on_exit(gl);
    }

    fn persist_egui_memory(&self) -> bool {
        self.app.persist_egui_memory()
    }
}
