//! A site's look: brand colour, corner radius, font and light or dark, applied by the widget as CSS
//! custom properties inside its shadow root.

use serde::{Deserialize, Serialize};

/// How the survey looks on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// The brand colour, `#rrggbb`: selected answers and the main button.
    pub brand: String,
    /// Corner radius of the card, in CSS pixels (0 to 24).
    pub radius: u8,
    /// The store's own font, or the system's.
    pub font: Font,
    /// Light, dark, or as the shopper's system prefers.
    pub mode: Mode,
    /// Which bottom corner the popover sits in (phones get a bottom sheet either way).
    pub corner: Corner,
    /// A CSS selector of an element of the store's page to show the survey in, inline, instead of
    /// the popover (empty: the popover). Where no element matches, the popover is used.
    pub container: String,
}

/// The popover's corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Corner {
    /// Bottom right.
    #[default]
    Right,
    /// Bottom left (e.g. where the store's chat button takes the right).
    Left,
}

/// Which font the survey uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Font {
    /// The font of the store's page.
    #[default]
    Inherit,
    /// The operating system's interface font.
    System,
}

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Dark text on light.
    #[default]
    Light,
    /// Light text on dark.
    Dark,
    /// As `prefers-color-scheme` says.
    Auto,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            brand: "#1d5d8f".into(),
            radius: 12,
            font: Font::Inherit,
            mode: Mode::Light,
            corner: Corner::Right,
            container: String::new(),
        }
    }
}

impl Theme {
    /// Checks the theme; the error names the field and what is allowed.
    pub fn check(&self) -> Result<(), String> {
        if parse_hex(&self.brand).is_none() {
            return Err(format!(
                "theme.brand must be a colour written #rrggbb, got {:?}",
                self.brand
            ));
        }
        if self.container.len() > 200 {
            return Err("theme.container must be a CSS selector of at most 200 characters".into());
        }
        if self.radius > 24 {
            return Err(format!(
                "theme.radius must be 0 to 24 (pixels), got {}",
                self.radius
            ));
        }
        Ok(())
    }

    /// Black or white, whichever reads better on the brand colour (WCAG contrast).
    pub fn on_brand(&self) -> &'static str {
        let brand = parse_hex(&self.brand).map_or(0.0, luminance);
        if contrast(brand, 0.0) >= contrast(brand, 1.0) {
            "#000000"
        } else {
            "#ffffff"
        }
    }
}

/// `#rrggbb` as three channels.
fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG contrast ratio of two luminances.
fn contrast(a: f64, b: f64) -> f64 {
    let (light, dark) = if a > b { (a, b) } else { (b, a) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(brand: &str) -> Theme {
        Theme {
            brand: brand.into(),
            ..Theme::default()
        }
    }

    #[test]
    fn text_on_the_brand_colour_is_whichever_of_black_and_white_reads_better() {
        assert_eq!(theme("#1d5d8f").on_brand(), "#ffffff");
        assert_eq!(theme("#ffcc00").on_brand(), "#000000");
        assert_eq!(theme("#ff6600").on_brand(), "#000000");
        assert_eq!(theme("#000000").on_brand(), "#ffffff");
    }

    #[test]
    fn the_chosen_text_colour_meets_aa_on_common_brand_colours() {
        for brand in [
            "#1d5d8f", "#ffcc00", "#ff6600", "#e91e63", "#4caf50", "#8a4b1f", "#ffffff",
        ] {
            let t = theme(brand);
            let on = if t.on_brand() == "#000000" { 0.0 } else { 1.0 };
            let ratio = contrast(parse_hex(brand).map_or(0.0, luminance), on);
            assert!(ratio >= 4.5, "{brand}: {ratio:.2}");
        }
    }

    #[test]
    fn bad_themes_name_the_field() {
        assert!(theme("orange").check().unwrap_err().contains("theme.brand"));
        assert!(theme("#ff66").check().is_err());
        let round = Theme {
            radius: 40,
            ..Theme::default()
        };
        assert!(round.check().unwrap_err().contains("theme.radius"));
        assert_eq!(Theme::default().check(), Ok(()));
    }
}
