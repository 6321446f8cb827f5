//! The checks every free-text field shares: trimmed, not empty, bounded, printable.

/// What is wrong with a piece of free text. Shown after the field's name
/// ("summary must not be empty").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("must not be empty")]
    Empty,
    #[error("has at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacters,
}

/// Whether a text may span lines: a note may, a name or a title may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    Single,
    Multi,
}

/// Trims `text` and checks it. Lengths count characters, not bytes, because LHDN's limits
/// (and a user's sense of "300 characters") are about what is written, and Malay, Chinese
/// and Tamil names are not ASCII.
pub(crate) fn check_text(text: &str, max: usize, lines: Lines) -> Result<String, TextProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TextProblem::Empty);
    }
    if text.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    let allowed = |c: char| lines == Lines::Multi && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(TextProblem::ControlCharacters);
    }
    Ok(text.to_owned())
}

/// [`check_text`] for a field that may be left out: missing or blank is `None`.
pub(crate) fn check_optional_text(
    text: Option<&str>,
    max: usize,
    lines: Lines,
) -> Result<Option<String>, TextProblem> {
    match text.map(|t| check_text(t, max, lines)) {
        None | Some(Err(TextProblem::Empty)) => Ok(None),
        Some(result) => result.map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_in_characters() {
        assert_eq!(
            check_text("  Ali  ", 3, Lines::Single),
            Ok("Ali".to_owned())
        );
        assert_eq!(
            check_text("陈大文", 3, Lines::Single),
            Ok("陈大文".to_owned())
        );
        assert_eq!(
            check_text("Ali!", 3, Lines::Single),
            Err(TextProblem::TooLong { max: 3 })
        );
        assert_eq!(
            check_text(" \t ", 3, Lines::Single),
            Err(TextProblem::Empty)
        );
    }

    #[test]
    fn only_multi_line_text_may_hold_line_breaks() {
        assert_eq!(
            check_text("a\nb", 10, Lines::Single),
            Err(TextProblem::ControlCharacters)
        );
        assert_eq!(check_text("a\nb", 10, Lines::Multi), Ok("a\nb".to_owned()));
        assert_eq!(
            check_text("a\u{7}b", 10, Lines::Multi),
            Err(TextProblem::ControlCharacters)
        );
    }

    #[test]
    fn optional_text_left_blank_is_none() {
        assert_eq!(check_optional_text(None, 3, Lines::Single), Ok(None));
        assert_eq!(check_optional_text(Some("  "), 3, Lines::Single), Ok(None));
        assert_eq!(
            check_optional_text(Some(" Ali "), 3, Lines::Single),
            Ok(Some("Ali".to_owned()))
        );
        assert_eq!(
            check_optional_text(Some("Ali!"), 3, Lines::Single),
            Err(TextProblem::TooLong { max: 3 })
        );
    }
}
