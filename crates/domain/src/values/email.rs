//! The email address.

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// An email address, checked for shape only (one `@`, a local part, a dotted domain, no
/// spaces, at most 320 characters as LHDN allows); whether it receives mail is for the sender
/// to find out. The domain is lower-cased because it is case-insensitive; the local part is
/// kept, because strictly it is not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

string_value!(Email);

const MAX_LEN: usize = 320;

impl Email {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let email = input.trim();
        let Some((local, domain)) = email.split_once('@') else {
            return Err(ValueError::Email);
        };
        let well_formed = email.chars().count() <= MAX_LEN
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty());
        if well_formed {
            Ok(Self(format!("{local}@{}", domain.to_lowercase())))
        } else {
            Err(ValueError::Email)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_keeps_its_local_part_and_lowercases_its_domain() {
        assert_eq!(
            Email::parse("  Ahmad.Ali@Syarikat.COM.my ").map(String::from),
            Ok("Ahmad.Ali@syarikat.com.my".to_owned())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        let too_long = format!("{}@example.com", "a".repeat(309));
        let cases = [
            "",
            "ali",
            "@example.com",
            "ali@example",
            "ali@@example.com",
            "ali@exa@mple.com",
            "ali baba@example.com",
            "ali@example..com",
            "ali@.example.com",
            "ali@example.com.",
            too_long.as_str(),
        ];
        for input in cases {
            assert_eq!(Email::parse(input), Err(ValueError::Email), "{input}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(308))).is_ok());
    }
}
