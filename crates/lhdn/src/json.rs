//! Byte-level work on JSON text that must not be re-serialised: whitespace removal and
//! finding a member's span. A signed document's digest covers its exact bytes (key order,
//! number spelling, string escapes), so the signer and the verifier cut and splice the
//! text; they never round-trip it through a JSON value (LHDN.md Pitfall 3).
//!
//! Every function expects text that serde_json already accepted ([`check`]), so the
//! scanner below only has to follow structure, not report syntax errors.

use std::ops::Range;

/// Checks that `bytes` are one well-formed JSON value.
pub(crate) fn check(bytes: &[u8]) -> Result<(), serde_json::Error> {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map(|_| ())
}

/// `bytes` without whitespace outside strings: LHDN hashes the minified document, and a
/// string's content (escapes included) stays exactly as written.
pub fn minify(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
        }
    }
    out
}

/// One step of a path into a document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The span of the value at `path` in minified, well-formed `bytes`.
pub(crate) fn find(bytes: &[u8], path: &[Step<'_>]) -> Option<Range<usize>> {
    let mut span = 0..value_end(bytes, 0)?;
    for step in path {
        span = match *step {
            Step::Key(key) => {
                members(bytes, span.start)?
                    .into_iter()
                    .find(|m| m.key(bytes) == key.as_bytes())?
                    .value
            }
            Step::Index(index) => elements(bytes, span.start)?.into_iter().nth(index)?,
        };
    }
    Some(span)
}

/// A member of an object: its whole `"key":value` span, and the value's.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) whole: Range<usize>,
    pub(crate) value: Range<usize>,
}

impl Member {
    fn key<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        // The key is the string at the start of `whole`, without its quotes. Object keys
        // with escapes are not ours to look up, so raw bytes suffice.
        let end = self.value.start - 1; // the ':'
        &bytes[self.whole.start + 1..end - 1]
    }

    pub(crate) fn has_key(&self, bytes: &[u8], key: &str) -> bool {
        self.key(bytes) == key.as_bytes()
    }
}

/// The members of the object starting at `start`, or `None` if it is not an object.
pub(crate) fn members(bytes: &[u8], start: usize) -> Option<Vec<Member>> {
    if bytes.get(start) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    let mut pos = start + 1;
    if bytes.get(pos) == Some(&b'}') {
        return Some(out);
    }
    loop {
        let key_end = string_end(bytes, pos)?;
        if bytes.get(key_end) != Some(&b':') {
            return None;
        }
        let value_start = key_end + 1;
        let value_end = value_end(bytes, value_start)?;
        out.push(Member {
            whole: pos..value_end,
            value: value_start..value_end,
        });
        match bytes.get(value_end)? {
            b',' => pos = value_end + 1,
            b'}' => return Some(out),
            _ => return None,
        }
    }
}

/// The element spans of the array starting at `start`, or `None` if it is not an array.
fn elements(bytes: &[u8], start: usize) -> Option<Vec<Range<usize>>> {
    if bytes.get(start) != Some(&b'[') {
        return None;
    }
    let mut out = Vec::new();
    let mut pos = start + 1;
    if bytes.get(pos) == Some(&b']') {
        return Some(out);
    }
    loop {
        let end = value_end(bytes, pos)?;
        out.push(pos..end);
        match bytes.get(end)? {
            b',' => pos = end + 1,
            b']' => return Some(out),
            _ => return None,
        }
    }
}

/// Where the value starting at `start` ends (exclusive).
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut pos = start;
            while pos < bytes.len() {
                match bytes[pos] {
                    b'"' => {
                        pos = string_end(bytes, pos)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(pos + 1);
                        }
                    }
                    _ => {}
                }
                pos += 1;
            }
            None
        }
        _ => {
            let len = bytes[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']'))
                .unwrap_or(bytes.len() - start);
            Some(start + len)
        }
    }
}

/// Where the string starting at `start` (its opening quote) ends, after its closing quote.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes.get(start) != Some(&b'"') {
        return None;
    }
    let mut pos = start + 1;
    while pos < bytes.len() {
        match bytes[pos] {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            _ => pos += 1,
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn minifying_keeps_strings_as_written() {
        let text = b"{ \"a\" : [ 1 , \"x y\\\" z\" ],\n\t\"b\":{ } }";
        assert_eq!(minify(text), b"{\"a\":[1,\"x y\\\" z\"],\"b\":{}}");
    }

    #[test]
    fn a_path_finds_the_value_span() {
        let text = br#"{"A":[{"x":"}]","y":[1,2.50,{"z":true}]}],"B":"\\"}"#;
        let at = |path: &[Step<'_>]| find(text, path).map(|r| &text[r]);
        assert_eq!(
            at(&[
                Step::Key("A"),
                Step::Index(0),
                Step::Key("y"),
                Step::Index(1)
            ]),
            Some(&b"2.50"[..])
        );
        assert_eq!(
            at(&[
                Step::Key("A"),
                Step::Index(0),
                Step::Key("y"),
                Step::Index(2)
            ]),
            Some(&br#"{"z":true}"#[..])
        );
        assert_eq!(at(&[Step::Key("B")]), Some(&br#""\\""#[..]));
        assert_eq!(at(&[Step::Key("C")]), None);
        assert_eq!(at(&[Step::Key("A"), Step::Index(1)]), None);
    }
}
