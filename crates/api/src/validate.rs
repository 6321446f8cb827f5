//! Turning a request body into domain values while collecting every invalid field, so the
//! client learns about all of them in one 422 rather than one per attempt.

use std::fmt::Display;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// A JSON pointer (RFC 6901) into the request body, e.g. `/address/postcode`; empty for
    /// the body as a whole.
    #[schema(example = "/address/postcode")]
    pub pointer: String,
    /// What is wrong, written for the person who filled in the field.
    #[schema(example = "a postcode has five digits")]
    pub message: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Collects field errors while a body is turned into domain values.
///
/// ```ignore
/// let mut v = Validator::new();
/// let name = v.check("/name", Name::parse(&body.name));
/// let email = v.check_optional("/email", body.email.as_deref().map(Email::parse));
/// let command = v.build(|| Some(Register { name: name?, email: email? }))?;
/// ```
/// `build` fails with one [`ApiError::Validation`] listing every failed check; the `?`s
/// inside the closure only unwrap values that were checked successfully.
#[derive(Debug, Default)]
#[must_use = "call finish() or build() to report the collected errors"]
pub struct Validator {
    errors: Vec<FieldError>,
    /// An error other than invalid fields met by [`Validator::absorb`]: reported as it is.
    fault: Option<ApiError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value if `result` is `Ok`; otherwise records the error at `pointer` and gives `None`.
    pub fn check<T, E: Display>(
        &mut self,
        pointer: impl Into<String>,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors
                    .push(FieldError::new(pointer, error.to_string()));
                None
            }
        }
    }

    /// Like [`Validator::check`] for an optional field: `Some(None)` when it was absent.
    pub fn check_optional<T, E: Display>(
        &mut self,
        pointer: impl Into<String>,
        result: Option<Result<T, E>>,
    ) -> Option<Option<T>> {
        match result {
            None => Some(None),
            Some(result) => self.check(pointer, result).map(Some),
        }
    }

    /// The value of a part checked on its own (a nested body with its own validator), its
    /// field errors put under `prefix` and recorded here, so one answer lists them all.
    pub fn absorb<T>(&mut self, prefix: &str, result: Result<T, ApiError>) -> Option<T> {
        match result.map_err(|e| e.nested_under(prefix)) {
            Ok(value) => Some(value),
            Err(ApiError::Validation(errors)) => {
                self.errors.extend(errors);
                None
            }
            Err(other) => {
                self.fault.get_or_insert(other);
                None
            }
        }
    }

    /// Records an error found by other means (a rule across fields, say).
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(pointer, message));
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` if every check passed, else a 422 listing every invalid field.
    pub fn finish(self) -> Result<(), ApiError> {
        if let Some(fault) = self.fault {
            Err(fault)
        } else if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }

    /// [`Validator::finish`], then assembles the value from the checked parts.
    pub fn build<T>(self, assemble: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        self.finish()?;
        assemble().ok_or_else(|| {
            // Every failed check records an error, so a `None` here is a misuse in a handler
            // (an Option that was not checked), not a client mistake.
            ApiError::internal(anyhow::anyhow!(
                "a validator assembled a value from an unchecked part"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn even(n: u32) -> Result<u32, String> {
        if n.is_multiple_of(2) {
            Ok(n)
        } else {
            Err(format!("{n} is odd"))
        }
    }

    #[test]
    fn every_failed_check_is_reported() {
        let mut v = Validator::new();
        let a = v.check("/a", even(1));
        let b = v.check("/b/0", even(2));
        let c = v.check("/c", even(3));
        assert_eq!((a, b, c), (None, Some(2), None));
        let Err(ApiError::Validation(errors)) = v.build(|| Some((a?, b?, c?))) else {
            panic!("expected a validation error");
        };
        assert_eq!(
            errors,
            vec![
                FieldError::new("/a", "1 is odd"),
                FieldError::new("/c", "3 is odd")
            ]
        );
    }

    #[test]
    fn a_nested_part_reports_its_fields_under_its_member() {
        let mut inner = Validator::new();
        let odd = inner.check("/n", even(1));
        let nested = inner.build(|| odd);
        let mut v = Validator::new();
        let a = v.check("/a", even(3));
        let n = v.absorb("/inner", nested);
        let Err(ApiError::Validation(errors)) = v.build(|| Some((a?, n?))) else {
            panic!("expected a validation error");
        };
        assert_eq!(
            errors,
            vec![
                FieldError::new("/a", "3 is odd"),
                FieldError::new("/inner/n", "1 is odd")
            ]
        );
    }

    #[test]
    fn a_valid_body_is_assembled() {
        let mut v = Validator::new();
        let a = v.check("/a", even(4));
        let b = v.check_optional("/b", None::<Result<u32, String>>);
        assert_eq!(v.build(|| Some((a?, b?))).ok(), Some((4, None)));
    }
}
