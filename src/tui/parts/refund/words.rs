//! Amounts in words for the refund confirmation, Indian style (thousand, lakh, crore):
//! `125050` paise → "one thousand two hundred fifty rupees and fifty paise".

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// 0..=99 in words ("forty-two").
fn below_hundred(n: u64) -> String {
    match n {
        0..=19 => ONES[n as usize].to_string(),
        _ => match n % 10 {
            0 => TENS[(n / 10) as usize].to_string(),
            one => format!("{}-{}", TENS[(n / 10) as usize], ONES[one as usize]),
        },
    }
}

/// 0..=999 in words, empty for 0.
fn below_thousand(n: u64) -> Vec<String> {
    let mut out = Vec::new();
    if n >= 100 {
        out.push(format!("{} hundred", ONES[(n / 100) as usize]));
    }
    if !n.is_multiple_of(100) {
        out.push(below_hundred(n % 100));
    }
    out
}

/// A whole number in words with Indian grouping; crores repeat for larger numbers
/// ("ten thousand crore").
pub fn number(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let crore = n / 10_000_000;
    if crore > 0 {
        parts.push(format!("{} crore", number(crore)));
    }
    let rest = n % 10_000_000;
    for (unit, size, name) in [(100_000, 100, "lakh"), (1_000, 100, "thousand")] {
        let count = (rest / unit) % size;
        if count > 0 {
            parts.push(format!("{} {name}", below_hundred(count)));
        }
    }
    parts.extend(below_thousand(rest % 1_000));
    parts.join(" ")
}

/// Paise as rupees and paise in words: "one rupee", "fifty paise", "two rupees and five
/// paise".
pub fn rupees_in_words(paise: u64) -> String {
    let (rupees, paise) = (paise / 100, paise % 100);
    let rupee_words = match rupees {
        1 => "one rupee".to_string(),
        n => format!("{} rupees", number(n)),
    };
    let paise_words = match paise {
        1 => "one paisa".to_string(),
        n => format!("{} paise", below_hundred(n)),
    };
    match (rupees, paise) {
        (0, 0) => "zero rupees".into(),
        (0, _) => paise_words,
        (_, 0) => rupee_words,
        _ => format!("{rupee_words} and {paise_words}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_in_indian_words() {
        assert_eq!(
            rupees_in_words(125_050),
            "one thousand two hundred fifty rupees and fifty paise"
        );
        assert_eq!(rupees_in_words(100), "one rupee");
        assert_eq!(rupees_in_words(5), "five paise");
        assert_eq!(
            rupees_in_words(4_299),
            "forty-two rupees and ninety-nine paise"
        );
        assert_eq!(
            number(1_234_567),
            "twelve lakh thirty-four thousand five hundred sixty-seven"
        );
        assert_eq!(number(20_000_000), "two crore");
        assert_eq!(number(1_000_000_000_000), "one lakh crore");
        assert_eq!(number(100_010), "one lakh ten");
    }
}
