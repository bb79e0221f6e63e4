//! Text for a terminal: one sanitiser for everything paydesk prints (CLI and desk), and one
//! width measure in terminal cells for every truncation and caret.
//!
//! Why one place: server answers, stored rows and typed names reach the terminal through many
//! paths; a raw `ESC ] 0;…` retitles the window, a U+202E reorders every column after it.
//! `--json` and CSV output keep data exact (their own escaping) and do not use this.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Shown in place of a character that must not reach a terminal.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Bidirectional formatting controls (embeddings, overrides, isolates, marks). They reorder
/// the text that follows them on screen, so a name holding one can disguise a row.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Invisible characters with no place in a name or an id: zero-width space, word joiner,
/// byte-order mark. (ZWJ and ZWNJ are kept: Indic scripts and emoji sequences need them.)
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// A character that must never be written to a terminal as it is: C0 controls other than
/// newline and tab, DEL, C1 controls, bidi controls and the invisible characters above.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) || is_invisible(c)
}

/// Text safe for a terminal, keeping newlines and tabs: every unsafe character becomes
/// U+FFFD. Borrows when nothing had to change (the common case).
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { REPLACEMENT } else { c })
            .collect(),
    )
}

/// Like [`sanitize`], for one line of a table or a field: newlines and tabs become spaces.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => ' ',
                c if is_unsafe(c) => REPLACEMENT,
                c => c,
            })
            .collect(),
    )
}

/// Width of `s` in terminal cells (wide CJK and emoji count 2, combining marks 0).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cells taken by the first `byte_index` bytes of `s`: where a caret after them sits.
/// A `byte_index` inside a character or past the end is clamped to the nearest boundary
/// before it.
pub fn width_before(s: &str, byte_index: usize) -> usize {
    let mut end = byte_index.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    width(&s[..end])
}

/// `s` cut to at most `max` cells on a grapheme boundary, with `…` at the end when anything
/// was cut. Never splits a wide character or a base from its combining marks.
pub fn fit(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` split where `cells` cells end, on a grapheme boundary (a wide character that would
/// straddle the split goes to the second part).
pub fn split_at_width(s: &str, cells: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = width(g);
        if used + w > cells {
            return s.split_at(i);
        }
        used += w;
    }
    (s, "")
}

/// `text` broken at spaces into lines of at most `cells` terminal cells, for messages that
/// must be read whole (notices, toasts, errors). Leading spaces of `text` are kept;
/// continuation lines start with `indent` (dropped when it leaves no room); a word wider
/// than a line is cut on grapheme boundaries. Empty for `cells == 0`.
pub fn wrap(text: &str, cells: usize, indent: &str) -> Vec<String> {
    if cells == 0 {
        return Vec::new();
    }
    let room_for = |s: &str| {
        if width(s) < cells {
            s.to_string()
        } else {
            String::new()
        }
    };
    let lead: String = text.chars().take_while(|c| *c == ' ').collect();
    let indent = room_for(indent);
    let mut lines = Vec::new();
    let mut line = room_for(&lead);
    let mut fresh = true;
    for mut word in text.split_whitespace() {
        loop {
            let used = width(&line);
            if used + usize::from(!fresh) + width(word) <= cells {
                if !fresh {
                    line.push(' ');
                }
                line.push_str(word);
                fresh = false;
                break;
            }
            if fresh {
                // Too wide for a whole line: cut it.
                let (mut head, mut tail) = split_at_width(word, cells - used);
                if head.is_empty() {
                    if used > 0 {
                        // Not even one character fits after the indent: drop the indent.
                        line.clear();
                        continue;
                    }
                    // A two-cell character on a one-cell line goes alone, so the loop
                    // always moves on.
                    let first = word.graphemes(true).next().unwrap_or(word);
                    (head, tail) = word.split_at(first.len());
                }
                line.push_str(head);
                word = tail;
            }
            lines.push(std::mem::replace(&mut line, indent.clone()));
            fresh = true;
            if word.is_empty() {
                break;
            }
        }
    }
    if !fresh || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` fitted to `cells` and padded with spaces on the right to exactly `cells`.
pub fn pad_right(s: &str, cells: usize) -> String {
    let fitted = fit(s, cells);
    let pad = cells.saturating_sub(width(&fitted));
    format!("{fitted}{}", " ".repeat(pad))
}

/// `s` padded with spaces on the left to `cells`. Never cut: amounts and counts are
/// right-aligned with this and must stay whole, so a value wider than `cells` is returned
/// as it is.
pub fn pad_left(s: &str, cells: usize) -> String {
    let pad = cells.saturating_sub(width(s));
    format!("{}{s}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_indents_and_cuts_long_words() {
        assert_eq!(
            wrap("  check its status before sending", 16, "  "),
            ["  check its", "  status before", "  sending"]
        );
        assert_eq!(wrap("abcdefghij", 4, ""), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("short", 40, ""), ["short"]);
        assert_eq!(wrap("", 10, ""), [""]);
        assert!(wrap("anything", 0, "").is_empty());
        // Measured in cells: two-cell characters are never split or overflow a line.
        assert_eq!(wrap("陈伟陈伟 ok", 5, ""), ["陈伟", "陈伟", "ok"]);
        assert_eq!(wrap("陈伟", 1, ""), ["陈", "伟"]);
        for cells in 1..12 {
            for text in [
                "  a notice with a verylongwordindeed in it",
                "陈伟 陈伟陈伟陈伟 ok",
            ] {
                let lines = wrap(text, cells, "  ");
                let words: String = lines.concat().split_whitespace().collect();
                assert_eq!(
                    words,
                    text.split_whitespace().collect::<String>(),
                    "{text:?} at {cells}"
                );
                for l in lines {
                    assert!(width(&l) <= cells.max(2), "{l:?} at {cells}");
                }
            }
        }
    }

    #[test]
    fn escapes_and_bidi_become_replacement() {
        let hostile = "E1\u{1b}]0;X\u{7}\u{1b}[2J";
        let out = sanitize(hostile);
        assert!(!out.chars().any(|c| c.is_control()));
        assert_eq!(out, "E1\u{FFFD}]0;X\u{FFFD}\u{FFFD}[2J");
        assert_eq!(sanitize("Ram\u{202E}esh\u{2066}"), "Ram\u{FFFD}esh\u{FFFD}");
        assert_eq!(sanitize("a\u{9b}b\u{7f}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(sanitize("two\nlines\tok"), "two\nlines\tok");
        assert_eq!(sanitize_line("two\nlines\tok"), "two lines ok");
        assert!(matches!(sanitize("plain ₹1,200 陈伟"), Cow::Borrowed(_)));
        // Joiners that scripts need are kept.
        assert_eq!(sanitize("क्\u{200D}ष"), "क्\u{200D}ष");
    }

    #[test]
    fn widths_are_cells() {
        assert_eq!(width("陈伟😀abc"), 9);
        assert_eq!(width("Zoe\u{308}"), 3);
        assert_eq!(width_before("陈伟😀abc", "陈伟😀abc".len()), 9);
        assert_eq!(width_before("陈伟", 4), 2);
    }

    #[test]
    fn fit_cuts_on_graphemes_and_pad_left_never_cuts() {
        assert_eq!(fit("陈伟陈伟", 5), "陈伟…");
        assert_eq!(fit("Zoe\u{308}y", 4), "Zoe\u{308}y");
        assert_eq!(fit("Zoe\u{308}yy", 4), "Zoe\u{308}…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad_right("陈伟", 6), "陈伟  ");
        assert_eq!(pad_left("₹12,500.00", 4), "₹12,500.00");
        assert_eq!(pad_left("₹1", 4), "  ₹1");
    }
}
