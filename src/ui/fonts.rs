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

/// The widest glyph atlas the app asks for, in pixels.
///
/// egui makes its font atlas as wide as the graphics driver allows (16 384 pixels with Mesa's
/// software renderer) and grows it in height, so the first frame's few hundred glyphs sit in a
/// 16 384-pixel-wide strip that is copied and uploaded whole each time it grows. 4 096 holds
/// every glyph the app's sizes need (Latin, Cyrillic, symbols) many times over, in a texture a
/// quarter as wide (docs/PERFORMANCE.md, "The glyph atlas").
pub const ATLAS_SIDE: usize = 4096;

/// Caps the texture side egui learns from the driver (sent once, on the first frame) at
/// [`ATLAS_SIDE`]. Call from `eframe::App::raw_input_hook`.
pub fn cap_atlas_side(raw_input: &mut egui::RawInput) {
    if let Some(side) = raw_input.max_texture_side.as_mut() {
        *side = (*side).min(ATLAS_SIDE);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A pass as eframe's first one: the driver's texture limit arrives in the raw input.
    fn atlas_width_after_first_pass(driver_side: usize, capped: bool) -> usize {
        let ctx = Context::default();
        let mut raw_input = egui::RawInput {
            max_texture_side: Some(driver_side),
            ..egui::RawInput::default()
        };
        if capped {
            cap_atlas_side(&mut raw_input);
        }
        let mut output = ctx.run_ui(raw_input, |ui| {
            ui.label("Счёт № 12 — invoice");
        });
        output.textures_delta.clear();
        ctx.fonts(|fonts| fonts.font_image_size()[0])
    }

    #[test]
    fn the_glyph_atlas_is_no_wider_than_the_cap_whatever_the_driver_allows() {
        assert_eq!(atlas_width_after_first_pass(16_384, true), ATLAS_SIDE);
        // Without the cap egui would take all of it: the cap is what makes the difference.
        assert_eq!(atlas_width_after_first_pass(16_384, false), 16_384);
        // A driver that allows less keeps its own limit.
        assert_eq!(atlas_width_after_first_pass(2_048, true), 2_048);
    }

    #[test]
    fn later_frames_which_carry_no_limit_are_left_alone() {
        let mut raw_input = egui::RawInput::default();
        cap_atlas_side(&mut raw_input);
        assert_eq!(raw_input.max_texture_side, None);
    }
}
