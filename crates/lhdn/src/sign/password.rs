//! The .p12 password: read from a file named in the configuration, never from the command
//! line (where `ps` shows it) or the repository, and never printed.

use std::fmt;
use std::path::Path;

use super::SignError;

/// `Debug` prints `[redacted]`, so a struct holding it can be logged without leaking it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(password: String) -> Self {
        Self(password)
    }

    /// Reads the password from the first line of `path`; the line ending an editor adds is
    /// not part of it.
    pub fn from_file(path: &Path) -> Result<Self, SignError> {
        let text = std::fs::read_to_string(path).map_err(|source| SignError::Read {
            path: path.to_owned(),
            source,
        })?;
        let password = text.lines().next().unwrap_or_default();
        if password.is_empty() {
            return Err(SignError::EmptyPassword);
        }
        Ok(Self(password.to_owned()))
    }

    /// Only to open the keystore with.
    pub(super) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = Password::new("s3cret-p12".to_owned());
        assert_eq!(format!("{password:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&password)), "Some([redacted])");
    }

    #[test]
    fn the_password_is_the_files_first_line() {
        let dir = std::env::temp_dir().join(format!("niaga-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("password");
        std::fs::write(&file, "s3cret-p12\n").unwrap();
        assert_eq!(Password::from_file(&file).unwrap().expose(), "s3cret-p12");
        std::fs::write(&file, "\n").unwrap();
        assert!(matches!(
            Password::from_file(&file),
            Err(SignError::EmptyPassword)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
