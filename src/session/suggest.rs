//! "Did you mean …?" for misspelt keys, tab names, kinds and profile names.

/// The candidate closest to `word`, when it is close enough to be a likely typo.
/// Case is ignored; ties go to the earlier candidate.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lc: Vec<char> = word.to_lowercase().chars().collect();
    // Allow about one typo per four characters, at least one, at most three.
    let limit = (word_lc.len() / 4).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    for cand in candidates {
        let cand_lc: Vec<char> = cand.to_lowercase().chars().collect();
        let d = distance(&word_lc, &cand_lc);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// `; did you mean "x"?` or an empty string, for appending to a message.
pub fn hint<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates)
        .map(|c| format!("; did you mean {c:?}?"))
        .unwrap_or_default()
}

/// Edit distance over characters (not bytes), counting a swap of two neighbours as one
/// edit (optimal string alignment), since "emial" is one slip from "email".
fn distance(a: &[char], b: &[char]) -> usize {
    // Very long inputs are never typos of a short key; bail out early to stay cheap.
    if a.len().abs_diff(b.len()) > 3 || a.len() > 200 || b.len() > 200 {
        return usize::MAX;
    }
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let idx = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        d[idx(i, 0)] = i;
    }
    for j in 0..=b.len() {
        d[idx(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[idx(i - 1, j)] + 1)
                .min(d[idx(i, j - 1)] + 1)
                .min(d[idx(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[idx(i - 2, j - 2)] + 1);
            }
            d[idx(i, j)] = best;
        }
    }
    d[idx(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_words_are_suggested() {
        let keys = ["customer_email", "customer_phone", "metadata.origin"];
        assert_eq!(did_you_mean("custmer_email", keys), Some("customer_email"));
        assert_eq!(did_you_mean("Customer_Phone", keys), Some("customer_phone"));
        assert_eq!(
            did_you_mean("metadata.orign", keys),
            Some("metadata.origin")
        );
        assert_eq!(did_you_mean("amount", keys), None);
        assert_eq!(did_you_mean("", keys), None);
        assert_eq!(did_you_mean("emial", ["email", "text"]), Some("email"));
        assert_eq!(hint("x", keys), "");
    }
}
