//! Choosing from a list by typed letters, as the desk's choice fields do: `g` jumps to
//! Graduate, `g` again to the next option starting with g, `po` to Post Graduate.

/// The option `typed` picks: the next one after `current` starting with `typed` (case
/// ignored), wrapping round, so pressing the same letter again cycles; failing that, the
/// first whose later word starts with it (`grad` → "Post Graduate" when nothing starts
/// with "grad"). `None` when nothing matches or `typed` is empty.
pub fn choice_by_letters<S: AsRef<str>>(
    options: &[S],
    typed: &str,
    current: Option<usize>,
) -> Option<usize> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() || options.is_empty() {
        return None;
    }
    let n = options.len();
    let start = current.map_or(0, |c| (c + 1) % n);
    let order = (0..n).map(|i| (start + i) % n);
    let lower = |i: usize| options.get(i).map(|o| o.as_ref().to_lowercase());
    order
        .clone()
        .find(|&i| lower(i).is_some_and(|o| o.starts_with(&typed)))
        .or_else(|| {
            order.clone().find(|&i| {
                lower(i).is_some_and(|o| {
                    o.split([' ', '-', '_', '/'])
                        .skip(1)
                        .any(|word| word.starts_with(&typed))
                })
            })
        })
}

/// How many of `options` start with `typed`, case ignored (`s`: SALARIED and
/// SELF_EMPLOYED, 2): one means the letters settle the choice.
pub fn starting_with<S: AsRef<str>>(options: &[S], typed: &str) -> usize {
    let typed = typed.to_lowercase();
    options
        .iter()
        .filter(|o| o.as_ref().to_lowercase().starts_with(&typed))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDUCATION: [&str; 5] = [
        "Under Graduate",
        "Graduate",
        "Post Graduate",
        "Diploma",
        "GRADUATE_PLUS",
    ];

    #[test]
    fn letters_pick_and_cycle() {
        assert_eq!(choice_by_letters(&EDUCATION, "g", None), Some(1));
        assert_eq!(choice_by_letters(&EDUCATION, "G", Some(1)), Some(4));
        assert_eq!(choice_by_letters(&EDUCATION, "g", Some(4)), Some(1));
        assert_eq!(choice_by_letters(&EDUCATION, "po", None), Some(2));
        assert_eq!(choice_by_letters(&EDUCATION, "d", Some(3)), Some(3));
        assert_eq!(choice_by_letters(&EDUCATION, "x", None), None);
        assert_eq!(choice_by_letters(&EDUCATION, "", None), None);
        assert_eq!(choice_by_letters::<&str>(&[], "g", None), None);
        // A later word when no option starts with the letters.
        let travel = ["Visa", "One-way", "Return"];
        assert_eq!(choice_by_letters(&travel, "way", None), Some(1));
        assert_eq!(choice_by_letters(&travel, "r", None), Some(2));
    }
}
