//! A feed page read with `COPY (SELECT …) TO STDOUT` and split here, instead of a `SELECT`
//! decoded row by row by sqlx. The query is `sql/read_all.sql`'s, the same ordered,
//! gap-safe scan; only the way the rows travel differs. Why: on these machines sqlx's row
//! decoding tops out at 76–99k events/s, where PostgreSQL hands the same page out as text
//! at 150–235k rows/s (docs/performance.md, run 6).
//!
//! `COPY` takes no bind parameters, so the cursor, the limit and the filter's names are
//! written into the scan's statement: numbers as numbers, names as escaped string constants
//! ([`literal`]); its comments are left out first, so that no name lands in one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::READ_ALL;
use crate::{Cursor, FeedFilter, RecordedEvent, StoreError, StoredJson, StreamRef};

/// The statement for the page after `after`: `read_all.sql` without its comments, its
/// parameters written in as constants.
pub(super) fn statement(after: Cursor, limit: u32, filter: FeedFilter<'_>) -> String {
    let scan: Vec<&str> = READ_ALL
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect();
    let names = |names: Option<Vec<&str>>| {
        names.map_or_else(|| "NULL".to_owned(), |names| array(names.into_iter()))
    };
    let scan = scan
        .join("\n")
        .replace("$1", &format!("'{}'", after.transaction))
        .replace("$2", &after.position.to_string())
        .replace("$3", &limit.to_string())
        .replace(
            "$4",
            &names(
                filter
                    .event_types
                    .map(|t| t.iter().map(String::as_str).collect()),
            ),
        )
        .replace("$5", &names(filter.stream_types.map(<[&str]>::to_vec)));
    format!("COPY ({scan}) TO STDOUT")
}

/// `ARRAY[…]` of `names`, each an escaped constant (the scan casts it to `text[]`).
fn array<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(literal).collect();
    format!("ARRAY[{}]::text[]", names.join(", "))
}

/// `text` as a string constant with C-style escapes (`E'…'`), whose meaning does not depend
/// on `standard_conforming_strings`: a backslash and a quote are escaped, nothing else is
/// special.
fn literal(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 3);
    quoted.push_str("E'");
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '\'' => quoted.push_str("\\'"),
            // A NUL cannot be in a PostgreSQL string: leave it out rather than cut the
            // statement short (such a name matches nothing stored either way).
            '\0' => {}
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

/// The events in `text`, `COPY`'s text format: a line per row, tab-separated columns in the
/// order of [`statement`]'s select list.
pub(super) fn parse(text: &[u8]) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut events = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        events.push(event(line)?);
    }
    Ok(events)
}

fn event(line: &[u8]) -> Result<RecordedEvent, StoreError> {
    let mut columns = line.split(|&b| b == b'\t');
    let mut next = || {
        columns
            .next()
            .ok_or_else(|| corrupt("a feed row has too few columns"))
            .and_then(field)
    };
    let position = number(&next()?)?;
    let transaction = number(&next()?)?;
    let event_id = Uuid::parse_str(&next()?).map_err(|_| corrupt("an event id"))?;
    let stream = StreamRef::new(next()?, next()?);
    let version = number(&next()?)?;
    let event_type = next()?;
    let schema_version = number(&next()?)?;
    let payload = json(next()?)?;
    let metadata = json(next()?)?;
    let micros: i64 = number(&next()?)?;
    let recorded_at = DateTime::<Utc>::from_timestamp_micros(micros)
        .ok_or_else(|| corrupt("a recording time"))?;
    let hash = next()?;
    if columns.next().is_some() {
        return Err(corrupt("a feed row has too many columns"));
    }
    Ok(RecordedEvent {
        position,
        transaction,
        event_id,
        stream,
        version,
        event_type,
        schema_version,
        payload,
        metadata,
        recorded_at,
        hash,
    })
}

/// One column's text, its escapes undone. Every column of the feed is `NOT NULL`, so `\N`
/// is refused.
fn field(raw: &[u8]) -> Result<String, StoreError> {
    if raw == b"\\N" {
        return Err(corrupt("a feed column is NULL"));
    }
    let text = if raw.contains(&b'\\') {
        unescape(raw)?
    } else {
        raw.to_vec()
    };
    String::from_utf8(text).map_err(|_| corrupt("a feed column is not UTF-8"))
}

/// Undoes `COPY`'s text-format escapes: `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, `\v`, octal
/// `\ooo` and hex `\xhh`; any other escaped character stands for itself.
fn unescape(raw: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let escaped = bytes
            .next()
            .ok_or_else(|| corrupt("a feed column ends in a backslash"))?;
        out.push(match escaped {
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            b'0'..=b'7' => {
                let mut value = u32::from(escaped - b'0');
                for _ in 0..2 {
                    match bytes.peek() {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            bytes.next();
                        }
                        _ => break,
                    }
                }
                u8::try_from(value).map_err(|_| corrupt("an octal escape over 255"))?
            }
            b'x' => {
                let mut value = 0u8;
                let mut digits = 0;
                while digits < 2 {
                    match bytes.peek().and_then(|&d| (d as char).to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + u8::try_from(d).unwrap_or(0);
                            bytes.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 { b'x' } else { value }
            }
            other => other,
        });
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| corrupt(&format!("a feed number {text:?}")))
}

fn json(text: String) -> Result<StoredJson, StoreError> {
    StoredJson::from_text(text).map_err(|_| corrupt("a stored document is not JSON"))
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_constants() {
        assert_eq!(literal("InvoiceIssued"), "E'InvoiceIssued'");
        assert_eq!(literal("a'b\\c"), "E'a\\'b\\\\c'");
        assert_eq!(literal("x\0y"), "E'xy'");
    }

    #[test]
    fn the_statement_writes_in_the_cursor_limit_and_filter() {
        let types = vec!["InvoiceIssued".to_owned(), "O'Brien".to_owned()];
        let sql = statement(
            Cursor {
                transaction: 42,
                position: 7,
            },
            500,
            FeedFilter {
                event_types: Some(&types),
                stream_types: Some(&["invoice"]),
            },
        );
        assert!(sql.contains("> ('42'::text::xid8, 7)"), "{sql}");
        assert!(
            sql.contains("ARRAY[E'InvoiceIssued', E'O\\'Brien']::text[]::text[]"),
            "{sql}"
        );
        assert!(sql.contains("ARRAY[E'invoice']::text[]::text[]"), "{sql}");
        assert!(sql.ends_with("LIMIT 500) TO STDOUT"), "{sql}");
        assert!(!sql.contains('$') && !sql.contains("--"), "{sql}");
        let none = statement(Cursor::START, 1, FeedFilter::ALL);
        assert!(none.contains("NULL::text[] IS NULL"), "{none}");
    }

    #[test]
    fn copy_escapes_are_undone() {
        assert_eq!(
            unescape(br"a\\b\tc\nd\re\\\\f").unwrap(),
            b"a\\b\tc\nd\re\\\\f"
        );
        assert_eq!(unescape(br"\101\x41\q").unwrap(), b"AAq");
        assert_eq!(
            field(br#"{"note":"line\\nbreak"}"#).unwrap(),
            r#"{"note":"line\nbreak"}"#
        );
        assert!(field(b"\\N").is_err());
        assert!(unescape(b"end\\").is_err());
    }

    #[test]
    fn a_row_becomes_an_event() {
        let line = "12\t734\t0192a0b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b\tinvoice\tabc\t3\t\
                    PaymentRecorded\t1\t{\"memo\":\"tab\\\\there\"}\t{}\t1764518400123456\t\
                    deadbeef\n";
        let events = parse(line.as_bytes()).unwrap();
        let event = &events[0];
        assert_eq!(
            (event.position, event.transaction, event.version),
            (12, 734, 3)
        );
        assert_eq!(event.stream, StreamRef::new("invoice", "abc"));
        assert_eq!(event.payload.text(), r#"{"memo":"tab\there"}"#);
        assert_eq!(
            event.recorded_at,
            DateTime::<Utc>::from_timestamp_micros(1_764_518_400_123_456).unwrap()
        );
        assert_eq!(event.hash, "deadbeef");
        assert!(parse(b"1\t2\n").is_err());
    }
}
