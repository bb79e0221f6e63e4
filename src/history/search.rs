//! Substring search without scanning the orders.
//!
//! Each order's searchable values (order id, customer name, phone, email) are folded to
//! lower case and cut into every piece of one, two and three characters ("grams"). The
//! grams go into a contentless FTS5 index (`orders_grams`, no positions kept) as tokens, and
//! the folded text itself into the small `orders_text` table. A search term then becomes:
//! - up to three characters: its own gram, an exact answer from the index;
//! - longer: its two rarest three-character grams, which every match must contain,
//!   confirmed with `instr` on the folded text.
//!
//! Grams are written as tokens of hex code points joined by `x` (`ab` → `61x62`), so any
//! script and any punctuation (`@`, `.`, `+`) becomes a plain ASCII token.

use std::collections::BTreeSet;

/// Grams are at most this many characters.
const GRAM: usize = 3;

/// The folded words of the values: lower case, split on whitespace. Search terms never hold
/// whitespace, so no term matches across two words.
fn words<'a>(values: &'a [&'a str]) -> impl Iterator<Item = String> + 'a {
    values
        .iter()
        .flat_map(|v| v.split_whitespace())
        .map(str::to_lowercase)
}

/// The searchable text of one order: the folded words, one space apart.
pub fn fold(values: &[&str]) -> String {
    words(values).collect::<Vec<_>>().join(" ")
}

/// One gram as an index token.
fn token(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("{:x}", u32::from(*c)))
        .collect::<Vec<_>>()
        .join("x")
}

/// The index document of one order: every distinct gram of every word, as tokens.
pub fn gram_document(values: &[&str]) -> String {
    let mut grams = BTreeSet::new();
    for word in words(values) {
        let chars: Vec<char> = word.chars().collect();
        for n in 1..=GRAM {
            for window in chars.windows(n) {
                grams.insert(token(window));
            }
        }
    }
    grams.into_iter().collect::<Vec<_>>().join(" ")
}

/// Of a long term, at most this many grams are weighed for rarity.
const MAX_CANDIDATES: usize = 8;

/// How one folded search term is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermPlan {
    /// For a short term, its own gram (exact). For a long term, candidate grams that every
    /// match holds, most promising first: the caller keeps only the rarest (see
    /// `query::search_plan`), as asking the index for a gram nearly every order holds
    /// (`ord` of `ORD2026…`) costs more than it narrows.
    pub tokens: Vec<String>,
    /// True when the tokens only narrow the candidates and `instr` must confirm the term.
    pub verify: bool,
}

/// The plan for one term (already folded, without whitespace). A long term offers its
/// three-character grams from both ends inwards, a step of three apart: ids tend to differ
/// at the end (`…0054321`), emails at the start (`meera.rao@…`).
pub fn plan(term: &str) -> TermPlan {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() <= GRAM {
        return TermPlan {
            tokens: vec![token(&chars)],
            verify: false,
        };
    }
    let last = chars.len() - GRAM;
    let from_end = (0..=last).rev().step_by(GRAM);
    let from_start = (0..=last).step_by(GRAM);
    let starts = from_end.zip(from_start).flat_map(|(e, s)| [e, s]);
    let mut tokens: Vec<String> = Vec::new();
    for s in starts {
        if let Some(window) = chars.get(s..s + GRAM) {
            let t = token(window);
            if !tokens.contains(&t) {
                tokens.push(t);
            }
        }
        if tokens.len() == MAX_CANDIDATES {
            break;
        }
    }
    TermPlan {
        tokens,
        verify: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_lowercases_and_keeps_words_apart() {
        assert_eq!(
            fold(&["ORD1", "Meera  Iyer", "", "M@X.in"]),
            "ord1 meera iyer m@x.in"
        );
        assert_eq!(fold(&["Ünal"]), "ünal");
    }

    #[test]
    fn grams_cover_every_piece_up_to_three_characters() {
        let doc = gram_document(&["Ab@"]);
        let tokens: Vec<&str> = doc.split(' ').collect();
        for expected in ["61", "62", "40", "61x62", "62x40", "61x62x40"] {
            assert!(tokens.contains(&expected), "{expected} in {doc}");
        }
        assert_eq!(tokens.len(), 6);
        // No gram spans two words.
        assert!(!gram_document(&["a b"]).contains("61x20"));
    }

    #[test]
    fn short_terms_are_exact_and_long_ones_are_verified() {
        assert_eq!(
            plan("ra"),
            TermPlan {
                tokens: vec!["72x61".into()],
                verify: false
            }
        );
        let long = plan("abcdefghij");
        assert!(long.verify);
        // hij, abc, efg, def, bcd, ghi: from both ends inwards.
        assert_eq!(
            long.tokens,
            [
                "68x69x6a", "61x62x63", "65x66x67", "64x65x66", "62x63x64", "67x68x69"
            ]
        );
        assert_eq!(plan("abcd").tokens, ["62x63x64", "61x62x63"]);
        assert!(plan(&"x".repeat(100)).tokens.len() == 1);
        let many = plan("abcdefghijklmnopqrstuvwxyz0123456789");
        assert_eq!(many.tokens.len(), MAX_CANDIDATES);
    }
}
