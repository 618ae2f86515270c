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

/// The smallest text the app uses (captions, hints under fields) is one step below the body text,
/// not egui's default of nine points, which is hard to read on a laptop screen.
pub fn install_legible_sizes(ctx: &Context) {
    ctx.all_styles_mut(|style| {
        let body = style
            .text_styles
            .get(&egui::TextStyle::Body)
            .map_or(12.5, |font| font.size);
        style.text_styles.insert(
            egui::TextStyle::Small,
            egui::FontId::proportional(body - CAPTION_STEP),
        );
    });
}

/// How much smaller a caption is than the body text, in points.
pub const CAPTION_STEP: f32 = 1.5;
