//! The feed's cursor as integrators see it: opaque text, base64url (no padding) of
//! `<transaction>.<position>`. Opaque so that what it holds may change without breaking
//! anyone: clients only pass back what they were given. On SQLite the transaction is 0.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use niaga_store::Cursor;

use crate::error::{ApiError, Result};

pub(crate) fn encode(cursor: Cursor) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{}", cursor.transaction, cursor.position))
}

/// The cursor in `text`, which came as `name` (a parameter or header, named in the 400).
pub(crate) fn decode(text: &str, name: &str) -> Result<Cursor> {
    parse(text)
        .ok_or_else(|| ApiError::BadRequest(format!("`{name}` is not a cursor this API gave out.")))
}

fn parse(text: &str) -> Option<Cursor> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (transaction, position) = text.split_once('.')?;
    // Digits only: `parse` would also take a sign, and no cursor we give out has one.
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(transaction) || !digits(position) {
        return None;
    }
    Some(Cursor {
        transaction: transaction.parse().ok()?,
        position: position.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips() {
        for cursor in [
            Cursor::START,
            Cursor {
                transaction: 0,
                position: 42,
            },
            Cursor {
                transaction: 18_446_744_073_709_551_615,
                position: i64::MAX,
            },
        ] {
            let text = encode(cursor);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{text} is safe in a URL and in an SSE id"
            );
            assert_eq!(decode(&text, "after").ok(), Some(cursor));
        }
    }

    #[test]
    fn garbage_is_a_bad_request() {
        for garbage in [
            "",
            "not base64!",
            "MTIz",                          // "123": no dot
            &URL_SAFE_NO_PAD.encode("1.-2"), // a sign
            &URL_SAFE_NO_PAD.encode("1.2.3"),
            &URL_SAFE_NO_PAD.encode("x.2"),
            &URL_SAFE_NO_PAD.encode("1.99999999999999999999"),
        ] {
            assert!(
                matches!(decode(garbage, "after"), Err(ApiError::BadRequest(_))),
                "{garbage:?}"
            );
        }
    }
}
