//! A SHA-256 digest, written as hex.

use serde::{Deserialize, Serialize};

use super::{ValueError, string_value};

/// A SHA-256 digest as 64 lower-case hex digits (upper case is lowered). What the domain
/// keeps of a secret (a signature link's token) or of a file (a signature image, a PDF):
/// enough to recognise it again, nothing to reveal it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

string_value!(Sha256Hex);

impl Sha256Hex {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let hex = input.trim().to_ascii_lowercase();
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(hex))
        } else {
            Err(ValueError::Sha256)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sha256_is_64_hex_digits_in_lower_case() {
        let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        assert_eq!(
            Sha256Hex::parse(upper).map(|h| h.as_str().to_owned()),
            Ok(upper.to_ascii_lowercase())
        );
        for bad in ["", "abc", &upper[1..], &format!("{}g", &upper[1..])] {
            assert_eq!(Sha256Hex::parse(bad), Err(ValueError::Sha256), "{bad}");
        }
    }
}
