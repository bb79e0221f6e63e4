//! The one single-line text input of the desk: form fields, the member editor and the
//! history search all use it, so the same editing keys work everywhere (`keymap::edit`
//! turns a key into an [`Edit`]).
//!
//! The caret moves by grapheme (a base and its combining marks, an emoji) and is placed in
//! terminal cells through `crate::text`, so after `陈伟😀abc` it sits 9 cells in and after
//! `Zoe` + U+0308 3 cells in: right after the last character.

use unicode_segmentation::UnicodeSegmentation;

use crate::text;

/// Undo steps kept per input; older ones are dropped.
const UNDO_DEPTH: usize = 100;

/// One editing move or change, as the keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Type one character at the caret.
    Insert(char),
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    /// Delete the grapheme before the caret.
    Backspace,
    /// Delete the grapheme after the caret.
    Delete,
    /// Delete the word before the caret.
    DeleteWord,
    /// Delete from the caret to the end.
    DeleteToEnd,
    /// Delete everything.
    Clear,
    Undo,
    Redo,
}

/// A single line of text and a caret (a byte offset on a grapheme boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    caret: usize,
    undo: Vec<(String, usize)>,
    redo: Vec<(String, usize)>,
}

/// What an input shows in a box of a given width: the visible text, padded to the width,
/// and the caret's column (cells from the box's left edge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub caret_x: usize,
}

impl LineInput {
    /// An input holding `text` (newlines become spaces), caret at the end.
    pub fn new(text: &str) -> LineInput {
        let text = text.replace(['\n', '\r'], " ");
        LineInput {
            caret: text.len(),
            text,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The caret as a byte offset into `text()`.
    pub fn caret(&self) -> usize {
        self.caret
    }

    /// Cells between the start of the text and the caret.
    pub fn caret_cells(&self) -> usize {
        text::width_before(&self.text, self.caret)
    }

    /// Inserts pasted text at the caret (newlines become spaces), as one undo step.
    pub fn insert_str(&mut self, s: &str) {
        let clean = s.replace("\r\n", " ").replace(['\n', '\r'], " ");
        if clean.is_empty() {
            return;
        }
        self.remember();
        self.text.insert_str(self.caret, &clean);
        self.caret += clean.len();
    }

    /// Applies one edit. Returns whether the text or the caret changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let before = (self.text.len(), self.caret);
        match edit {
            Edit::Insert(c) => {
                if c == '\n' || c == '\r' {
                    return false;
                }
                self.remember();
                self.text.insert(self.caret, c);
                self.caret += c.len_utf8();
                return true;
            }
            Edit::Left => self.caret = self.prev_boundary(),
            Edit::Right => self.caret = self.next_boundary(),
            Edit::WordLeft => self.caret = self.word_start(),
            Edit::WordRight => self.caret = self.word_end(),
            Edit::Home => self.caret = 0,
            Edit::End => self.caret = self.text.len(),
            Edit::Backspace => self.delete(self.prev_boundary()..self.caret),
            Edit::Delete => self.delete(self.caret..self.next_boundary()),
            Edit::DeleteWord => self.delete(self.word_start()..self.caret),
            Edit::DeleteToEnd => self.delete(self.caret..self.text.len()),
            Edit::Clear => self.delete(0..self.text.len()),
            Edit::Undo => return self.step(true),
            Edit::Redo => return self.step(false),
        }
        before != (self.text.len(), self.caret)
    }

    /// The text as it shows in `cells` columns: scrolled by whole graphemes so the caret is
    /// visible (one cell is kept for the caret after the last character), padded to `cells`.
    pub fn shown(&self, cells: usize) -> Shown {
        let cells = cells.max(1);
        let mut start = 0;
        // Drop graphemes from the left until the caret fits in the box.
        while text::width(&self.text[start..self.caret]) > cells - 1 {
            match self.text[start..].graphemes(true).next() {
                Some(g) => start += g.len(),
                None => break,
            }
        }
        let mut visible = String::new();
        let mut used = 0;
        for g in self.text[start..].graphemes(true) {
            let w = text::width(g);
            if used + w > cells {
                break;
            }
            visible.push_str(g);
            used += w;
        }
        Shown {
            caret_x: text::width(&self.text[start..self.caret]).min(cells - 1),
            text: text::pad_right(&visible, cells),
        }
    }

    fn remember(&mut self) {
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push((self.text.clone(), self.caret));
        self.redo.clear();
    }

    fn delete(&mut self, range: std::ops::Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.remember();
        self.text.replace_range(range.clone(), "");
        self.caret = range.start;
    }

    /// Undo (or redo) one change; false when there is none.
    fn step(&mut self, undo: bool) -> bool {
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some((text, caret)) = from.pop() else {
            return false;
        };
        to.push((std::mem::replace(&mut self.text, text), self.caret));
        self.caret = caret;
        true
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.caret]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.caret..]
            .graphemes(true)
            .next()
            .map_or(self.caret, |g| self.caret + g.len())
    }

    /// Start of the word before the caret (spaces before it skipped).
    fn word_start(&self) -> usize {
        let head = &self.text[..self.caret];
        let trimmed = head.trim_end();
        trimmed
            .split_word_bound_indices()
            .rev()
            .find(|(_, w)| !w.trim().is_empty())
            .map_or(0, |(i, _)| i)
    }

    /// End of the word after the caret (spaces before it skipped).
    fn word_end(&self) -> usize {
        let tail = &self.text[self.caret..];
        let lead = tail.len() - tail.trim_start().len();
        tail[lead..]
            .split_word_bound_indices()
            .next()
            .map_or(self.text.len(), |(i, w)| self.caret + lead + i + w.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> LineInput {
        let mut input = LineInput::default();
        for c in s.chars() {
            input.apply(Edit::Insert(c));
        }
        input
    }

    #[test]
    fn caret_after_wide_and_emoji_sits_right_after_the_last_character() {
        let input = typed("陈伟😀abc");
        assert_eq!(input.caret_cells(), 9);
        let shown = input.shown(20);
        assert_eq!(shown.caret_x, 9);
        assert!(shown.text.starts_with("陈伟😀abc "));
    }

    #[test]
    fn caret_after_a_combining_mark_counts_no_cell_for_it() {
        let input = typed("Zoe\u{308}");
        assert_eq!(input.caret_cells(), 3);
        assert_eq!(input.shown(10).caret_x, 3);
    }

    #[test]
    fn left_and_backspace_move_over_whole_graphemes() {
        let mut input = typed("Zoe\u{308}");
        input.apply(Edit::Left);
        assert_eq!(input.caret_cells(), 2);
        input.apply(Edit::End);
        input.apply(Edit::Backspace);
        assert_eq!(input.text(), "Zo");
    }

    #[test]
    fn scrolling_keeps_the_caret_in_the_box_without_splitting_a_wide_character() {
        let input = typed("陈伟陈伟陈伟");
        let shown = input.shown(6);
        assert_eq!(text::width(&shown.text), 6);
        assert!(shown.caret_x <= 5);
        assert_eq!(shown.text.trim_end(), "陈伟");
    }

    #[test]
    fn word_moves_undo_and_redo() {
        let mut input = typed("Ramesh Kumar");
        input.apply(Edit::DeleteWord);
        assert_eq!(input.text(), "Ramesh ");
        input.apply(Edit::Undo);
        assert_eq!(input.text(), "Ramesh Kumar");
        input.apply(Edit::Redo);
        assert_eq!(input.text(), "Ramesh ");
        input.apply(Edit::WordLeft);
        assert_eq!(input.caret(), 0);
        input.apply(Edit::WordRight);
        assert_eq!(input.caret(), 6);
        input.apply(Edit::DeleteToEnd);
        assert_eq!(input.text(), "Ramesh");
    }
}
