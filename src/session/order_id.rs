//! Generated order ids: short, unique per desk, within the profile's pattern; and the tiny
//! pattern language profiles use to say what an order id may look like.
//!
//! A generated id is `PREFIX` (letters, digits, `_` and `-`, at most 10, all kept) +
//! `yyMMdd` + the time of day in seconds as 4 base-36 digits + 3 base-36 digits from
//! `salt`, upper case: `PD` + `261125` + `0ABC` + `K2Q` = `PD2611250ABCK2Q`. At most 20
//! characters, so it fits the default pattern `[A-Za-z0-9_-]{1,20}`: a prefix longer than
//! 7 shortens the generated part from the left (the year goes first), never the prefix,
//! so searching the history by the prefix finds every id. Two ids from one desk differ unless they are
//! made in the same second with the same salt: pass a random number or a per-run counter
//! as `salt`, and let the history reject a duplicate.

use time::OffsetDateTime;

/// The pattern used when a profile does not set one (Juspay: alphanumeric, under 21
/// characters; the published samples also use `_` and `-`).
pub const DEFAULT_PATTERN: &str = "[A-Za-z0-9_-]{1,20}";

/// Longest prefix kept in a generated id (the config allows no longer one).
pub const MAX_PREFIX: usize = 10;

/// Longest generated id.
const MAX_ID: usize = 20;

const BASE36: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A fresh order id such as `PD2611250ABCK2Q` from a prefix, the time and some randomness.
pub fn generate(prefix: &str, now: OffsetDateTime, salt: u64) -> String {
    let prefix: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .map(|c| c.to_ascii_uppercase())
        .take(MAX_PREFIX)
        .collect();
    let date = format!(
        "{:02}{:02}{:02}",
        now.year().rem_euclid(100),
        u8::from(now.month()),
        now.day()
    );
    let (h, m, s) = now.to_hms();
    let seconds = u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s);
    let tail = format!("{date}{}{}", base36(seconds, 4), base36(salt, 3));
    // All ASCII, so a byte offset is a character offset; the right end changes fastest.
    let keep = MAX_ID.saturating_sub(prefix.len()).min(tail.len());
    format!("{prefix}{}", &tail[tail.len() - keep..])
}

/// Like [`generate`], but guaranteed to match `pattern`: tries the normal id, then without
/// the prefix, lower case, digits only, and finally cut to the pattern's maximum length.
/// `None` when no variant fits (e.g. a pattern that allows only `x`).
pub fn generate_matching(
    pattern: &Pattern,
    prefix: &str,
    now: OffsetDateTime,
    salt: u64,
) -> Option<String> {
    let full = generate(prefix, now, salt);
    let bare = generate("", now, salt);
    let (h, m, s) = now.to_hms();
    let seconds = u32::from(h) * 3600 + u32::from(m) * 60 + u32::from(s);
    let date: String = bare.chars().take(6).collect();
    let digits = format!("{date}{seconds:05}{:03}", salt % 1000);
    let mut candidates = vec![
        full.clone(),
        bare.clone(),
        full.to_ascii_lowercase(),
        bare.to_ascii_lowercase(),
        digits.clone(),
    ];
    // Keep the most changing (rightmost) characters when the pattern is short.
    for c in [&bare, &digits] {
        let chars: Vec<char> = c.chars().collect();
        let keep = pattern.max.min(chars.len());
        candidates.push(chars[chars.len() - keep..].iter().collect());
    }
    candidates.into_iter().find(|c| pattern.matches(c))
}

fn base36(mut n: u64, width: u32) -> String {
    n %= 36u64.pow(width);
    let mut out = vec![b'0'; width as usize];
    for slot in out.iter_mut().rev() {
        // n % 36 < 36, so the lookup cannot fail; fall back to '0' to stay panic-free.
        *slot = BASE36.get((n % 36) as usize).copied().unwrap_or(b'0');
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// One character class followed by a length, e.g. `[A-Za-z0-9_-]{1,20}` or `[0-9]{12}`.
/// That is the whole language: enough to say which characters and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Inclusive character ranges; a single character is a range of one.
    pub ranges: Vec<(char, char)>,
    pub min: usize,
    pub max: usize,
    pub source: String,
}

impl Default for Pattern {
    fn default() -> Self {
        // The default pattern is a constant known to parse; build it by hand to avoid a
        // fallible call.
        Pattern {
            ranges: vec![('A', 'Z'), ('a', 'z'), ('0', '9'), ('_', '_'), ('-', '-')],
            min: 1,
            max: 20,
            source: DEFAULT_PATTERN.to_string(),
        }
    }
}

/// Longest length a pattern may allow; order ids are short.
const MAX_LEN: usize = 128;

impl Pattern {
    /// Parses `[class]{min,max}` or `[class]{n}`. The error says what is wrong, for a
    /// profile error message.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let example = "write it like [A-Za-z0-9_-]{1,20}";
        let chars: Vec<char> = text.trim().chars().collect();
        let mut it = chars.iter().copied().peekable();
        if it.next() != Some('[') {
            return Err(format!("the order_id pattern must start with [; {example}"));
        }
        if it.peek() == Some(&'^') {
            return Err("negated character classes ([^...]) are not supported".to_string());
        }
        // Read the class body as a list of literal characters (escapes resolved), remembering
        // which '-' are range dashes.
        let mut items: Vec<(char, bool)> = Vec::new(); // (char, is_range_dash)
        let mut closed = false;
        while let Some(c) = it.next() {
            match c {
                ']' => {
                    closed = true;
                    break;
                }
                '\\' => match it.next() {
                    Some(e) => items.push((e, false)),
                    None => return Err("the pattern ends after a \\".to_string()),
                },
                '-' => items.push(('-', true)),
                other => items.push((other, false)),
            }
        }
        if !closed {
            return Err(format!("the character class has no closing ]; {example}"));
        }
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let (c, _) = items[i];
            let is_range = matches!(items.get(i + 1), Some((_, true))) && i + 2 < items.len();
            if is_range {
                let (end, _) = items[i + 2];
                if end < c {
                    return Err(format!(
                        "the range {c}-{end} runs backwards; write {end}-{c}"
                    ));
                }
                ranges.push((c, end));
                i += 3;
            } else {
                ranges.push((c, c));
                i += 1;
            }
        }
        if ranges.is_empty() {
            return Err(format!("the character class is empty; {example}"));
        }
        let rest: String = it.collect();
        let (min, max) = parse_length(&rest).ok_or_else(|| {
            format!("after the ] comes the length, like {{1,20}} or {{12}}; found {rest:?}")
        })?;
        if min == 0 || min > max {
            return Err(format!(
                "the length {{{min},{max}}} must have 1 <= min <= max; {example}"
            ));
        }
        if max > MAX_LEN {
            return Err(format!(
                "the longest allowed length is {MAX_LEN}, not {max}"
            ));
        }
        Ok(Pattern {
            ranges,
            min,
            max,
            source: text.trim().to_string(),
        })
    }

    /// Whether a character is in the class.
    pub fn allows(&self, c: char) -> bool {
        self.ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi)
    }

    pub fn matches(&self, id: &str) -> bool {
        let n = id.chars().count();
        n >= self.min && n <= self.max && id.chars().all(|c| self.allows(c))
    }

    /// Plain words for the class, e.g. "letters, digits, _ and -".
    pub fn describe_chars(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let has = |lo: char, hi: char| self.ranges.contains(&(lo, hi));
        let (upper, lower, digits) = (has('A', 'Z'), has('a', 'z'), has('0', '9'));
        match (upper, lower) {
            (true, true) => parts.push("letters".into()),
            (true, false) => parts.push("capital letters".into()),
            (false, true) => parts.push("small letters".into()),
            _ => {}
        }
        if digits {
            parts.push("digits".into());
        }
        for (lo, hi) in &self.ranges {
            let named = (upper && (*lo, *hi) == ('A', 'Z'))
                || (lower && (*lo, *hi) == ('a', 'z'))
                || (digits && (*lo, *hi) == ('0', '9'));
            if named {
                continue;
            }
            if lo == hi {
                parts.push(lo.to_string());
            } else {
                parts.push(format!("{lo}-{hi}"));
            }
        }
        match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        }
    }

    /// Plain words for the length, e.g. "at most 20 characters".
    pub fn describe_length(&self) -> String {
        match (self.min, self.max) {
            (a, b) if a == b => format!("exactly {a} characters"),
            (1, b) => format!("at most {b} characters"),
            (a, b) => format!("{a} to {b} characters"),
        }
    }
}

fn parse_length(text: &str) -> Option<(usize, usize)> {
    let inner = text.strip_prefix('{')?.strip_suffix('}')?;
    match inner.split_once(',') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let n = inner.trim().parse().ok()?;
            Some((n, n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn generated_ids_fit_the_default_pattern_and_are_short() {
        let p = Pattern::default();
        let now = datetime!(2026-11-25 23:59:59 UTC);
        for prefix in ["", "PD", "desk-7!", "AVERYLONGPREFIXINDEED", "₹€🙂"] {
            for salt in [0, 1, 35, 46_655, u64::MAX] {
                let id = generate(prefix, now, salt);
                assert!(p.matches(&id), "{id}");
                assert!(id.chars().count() <= 20, "{id}");
            }
        }
        assert_eq!(
            generate("pd", datetime!(2026-11-25 00:00:00 UTC), 0),
            "PD2611250000000"
        );
    }

    #[test]
    fn a_ten_character_prefix_is_kept_whole() {
        let now = datetime!(2026-11-25 10:00:00 UTC);
        let id = generate("ACME_DESK1", now, 46_655);
        assert_eq!(id, "ACME_DESK1".to_string() + "1250RS0ZZZ");
        assert!(Pattern::default().matches(&id));
        assert_eq!(generate("desk-7", now, 0), "DESK-72611250RS0000");
        let other = generate("ACME_DESK1", datetime!(2026-11-25 10:00:01 UTC), 46_655);
        assert_ne!(id, other);
    }

    #[test]
    fn different_seconds_or_salts_give_different_ids() {
        let a = generate("PD", datetime!(2026-11-25 10:00:00 UTC), 7);
        let b = generate("PD", datetime!(2026-11-25 10:00:01 UTC), 7);
        let c = generate("PD", datetime!(2026-11-25 10:00:00 UTC), 8);
        assert_ne!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn default_pattern_parses_to_default() {
        assert_eq!(Pattern::parse(DEFAULT_PATTERN), Ok(Pattern::default()));
    }

    #[test]
    fn patterns_parse_and_match() {
        let p = Pattern::parse("[0-9]{12}").unwrap_or_default();
        assert!(p.matches("123456789012"));
        assert!(!p.matches("12345678901"));
        assert!(!p.matches("12345678901a"));
        let p = Pattern::parse(r"[A-Z\-]{2,4}").unwrap_or_default();
        assert!(p.matches("AB-"));
        assert!(!p.matches("ab"));
        assert_eq!(
            Pattern::default().describe_chars(),
            "letters, digits, _ and -"
        );
        assert_eq!(
            Pattern::default().describe_length(),
            "at most 20 characters"
        );
    }

    #[test]
    fn bad_patterns_are_errors() {
        for bad in [
            "",
            "A-Z{1,2}",
            "[A-Z",
            "[A-Z]",
            "[A-Z]{0,3}",
            "[A-Z]{5,3}",
            "[z-a]{1,2}",
            "[]{1,2}",
            "[^a]{1,2}",
            "[a]{1,2000}",
            "[a]{x}",
            "[a]{1,2}x",
            "[a\\",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn generate_matching_adapts_to_strict_patterns() {
        let now = datetime!(2026-11-25 10:11:12 UTC);
        let digits = Pattern::parse("[0-9]{1,14}").unwrap_or_default();
        let id = generate_matching(&digits, "PD", now, 123).unwrap_or_default();
        assert!(digits.matches(&id), "{id}");
        let short = Pattern::parse("[A-Z0-9]{1,8}").unwrap_or_default();
        let id = generate_matching(&short, "PD", now, 5).unwrap_or_default();
        assert!(short.matches(&id), "{id}");
        let only_x = Pattern::parse("[x]{1,3}").unwrap_or_default();
        assert_eq!(generate_matching(&only_x, "PD", now, 5), None);
    }
}
