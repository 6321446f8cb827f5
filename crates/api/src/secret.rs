//! A value that must never reach a log line or an error message.

use std::{convert::Infallible, fmt, str::FromStr};

/// A secret (password, signing key). `Debug` prints `[redacted]`, so a config struct or a
/// command that holds one can be logged with `?` without leaking it; reading it takes an
/// explicit [`Secret::expose`], easy to spot in review.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself: only to hash, verify or sign with, never to print.
    pub const fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Secret<String> {
    /// The first line of the file at `path` (files written by `echo` or an editor end with
    /// a newline, which is not part of the secret); an empty one is refused.
    pub fn from_file(path: &std::path::Path) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let first = text.lines().next().unwrap_or_default();
        anyhow::ensure!(!first.is_empty(), "{} is empty", path.display());
        Ok(Self(first.to_owned()))
    }
}

/// So clap can read a secret from a flag or an environment variable.
impl FromStr for Secret<String> {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// So a request body can hold a password without its `Debug` showing it.
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = Secret::new("hunter2-hunter2".to_owned());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
    }

    #[test]
    fn a_secret_file_gives_its_first_line_and_an_empty_one_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("secret");
        std::fs::write(&file, "s3cret\nignored\n").expect("written");
        assert_eq!(Secret::from_file(&file).expect("read").expose(), "s3cret");
        std::fs::write(&file, "\n").expect("written");
        assert!(Secret::from_file(&file).is_err());
    }
}
