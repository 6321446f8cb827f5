//! Identifiers shaped like LHDN's: 26 upper-case alphanumerics for submissions and documents
//! (observed ones mostly end in `10`), a longer `longId`, opaque tokens, correlation ids.

use rand::Rng;
use rand::distributions::Alphanumeric;

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn upper_alnum(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(UPPER_ALNUM[rng.gen_range(0..UPPER_ALNUM.len())]))
        .collect()
}

/// A submission UID or document UUID: 26 characters, ending in `10` like most observed.
pub(crate) fn uid() -> String {
    let mut id = upper_alnum(24);
    id.push_str("10");
    id
}

pub(crate) fn long_id() -> String {
    upper_alnum(48)
}

/// An opaque bearer token (LHDN's are JWTs; clients must not look inside either way).
pub(crate) fn token() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(64)
        .map(char::from)
        .collect()
}

pub(crate) fn correlation_id() -> String {
    let bytes: [u8; 16] = rand::thread_rng().r#gen();
    hex::encode(bytes)
}

#[cfg(test)]
fn is_uid(text: &str) -> bool {
    text.len() == 26 && text.bytes().all(|b| UPPER_ALNUM.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_26_upper_case_alphanumerics() {
        for _ in 0..100 {
            assert!(is_uid(&uid()));
        }
        assert!(!is_uid("abc"));
    }
}
