//! Fonts. egui's defaults cover Latin and Cyrillic letters but not every symbol clients type:
//! "₽", "№", "≈", arrows. DejaVu Sans (free licence, `assets/fonts/`) is added after the defaults
//! as a fallback, so the look stays egui's and no glyph of a client's message shows as a box.

use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};
use egui::{Context, FontFamily};

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

pub fn install_fallback_fonts(ctx: &Context) {
    ctx.add_font(FontInsert {
        name: "DejaVuSans".to_owned(),
        data: FontData::from_static(DEJAVU_SANS),
        families: [FontFamily::Proportional, FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect(),
    });
}
