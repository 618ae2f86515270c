//! The start-up probe behind `benches/startup.sh`: with `CALMDESK_FIRST_FRAME` set, a window
//! reports how long it took to its first painted frame and how much memory it held then, and
//! closes. With `CALMDESK_STEADY_FRAMES` also set it first draws that many more frames, nothing
//! changing, and reports what one of them took (laying out, painting and presenting the whole
//! window, as every frame does while the user types or a timer runs). The app (`main.rs`) and
//! the reference windows (`benches/empty_window.rs`) are wrapped the same way, so they are
//! measured alike.

use std::time::Instant;

use crate::clock::{Clock as _, SystemClock};

/// The variable that turns the probe on. Its value is the launcher's clock just before it
/// started the program, in nanoseconds since the Unix epoch (`date +%s%N`), or empty.
pub const VARIABLE: &str = "CALMDESK_FIRST_FRAME";

/// How many frames to draw after the first painted one before closing (default none).
pub const STEADY_VARIABLE: &str = "CALMDESK_STEADY_FRAMES";

/// Wraps `app`: on the second frame (the first one has been painted by then) prints one line
/// to standard output; after the steady frames, if any, another; then asks the window to close.
pub struct FirstFrame<A> {
    app: A,
    started: Instant,
    launched_ns: Option<i64>,
    steady_frames: u64,
    /// When the second frame began (the first one painted).
    first_painted: Option<Instant>,
    closing: bool,
}

impl<A: eframe::App> FirstFrame<A> {
    /// `started`: the first thing `main` did.
    pub fn new(app: A, started: Instant, launched: &str) -> Self {
        Self {
            app,
            started,
            launched_ns: launched.trim().parse().ok(),
            steady_frames: std::env::var(STEADY_VARIABLE)
                .ok()
                .and_then(|frames| frames.trim().parse().ok())
                .unwrap_or(0),
            first_painted: None,
            closing: false,
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
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        self.app.clear_color(visuals)
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        self.app.raw_input_hook(ctx, raw_input);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let frame_nr = ctx.cumulative_frame_nr();
        if frame_nr == 1 && self.first_painted.is_none() {
            self.first_painted = Some(Instant::now());
            self.report();
        }
        match self.first_painted {
            _ if self.closing => {}
            Some(first) if frame_nr > self.steady_frames => {
                self.closing = true;
                if self.steady_frames > 0 {
                    // `frame_nr - 1` frames were laid out, painted and presented since `first`.
                    let each = first.elapsed().as_secs_f64() * 1000.0 / (frame_nr - 1) as f64;
                    println!("steady_frames frames={} frame_ms={each:.2}", frame_nr - 1);
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            // The app may not ask for another frame by itself.
            _ => ctx.request_repaint(),
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
