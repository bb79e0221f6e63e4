//! Payment link -> QR matrix; terminal (half-block) layout, ANSI, PNG and SVG output.
//! Always black on white with a quiet zone, whatever the theme.
