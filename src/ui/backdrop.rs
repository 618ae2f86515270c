//! The window's background. egui fills every panel with the theme's panel colour on top of a
//! window cleared to a near-black; with a software renderer (a virtual machine, a remote desktop,
//! Mesa's llvmpipe) that fill is paid per pixel, per panel, every frame, and nested panels pay it
//! again. Here the window itself is cleared to the panel colour and panels draw no fill, so the
//! screen looks the same and a frame costs about half (docs/PERFORMANCE.md, "Panels without a
//! fill").

use egui::{Color32, Context, Visuals};

/// Makes panels see-through, for both themes. Call once, with [`colour`] as the clear colour.
pub fn install_see_through_panels(ctx: &Context) {
    ctx.all_styles_mut(|style| style.visuals.panel_fill = Color32::TRANSPARENT);
}

/// What the window is cleared to: the panel colour of the theme `visuals` belong to.
pub fn colour(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Visuals::dark().panel_fill
    } else {
        Visuals::light().panel_fill
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_shows_each_themes_panel_colour_where_panels_no_longer_paint_it() {
        let ctx = Context::default();
        install_see_through_panels(&ctx);
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let visuals = ctx.style_of(theme).visuals.clone();
            assert_eq!(visuals.panel_fill, Color32::TRANSPARENT, "{theme:?}");
            assert_eq!(
                colour(&visuals),
                theme.default_visuals().panel_fill,
                "{theme:?}"
            );
        }
        assert_ne!(
            colour(&Visuals::dark()),
            colour(&Visuals::light()),
            "each theme keeps its own background"
        );
    }
}
