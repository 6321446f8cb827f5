//! The opaque `after` cursor of the list endpoints: the last row's sort key as JSON, in
//! URL-safe base64, so a client passes it back without reading it and a list can change its
//! key without breaking a contract.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{ApiError, Result};

/// The cursor that continues after `key`.
pub(crate) fn encode(key: &impl Serialize) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// The key a cursor of [`encode`] carries; 400 for anything else.
pub(crate) fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::BadRequest("`after` is not a cursor this API gave out".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_gives_back_its_key() {
        let key = ("acme timbang".to_owned(), "0190f5c2".to_owned());
        assert_eq!(decode::<(String, String)>(&encode(&key)).ok(), Some(key));
        assert_eq!(decode::<i64>(&encode(&42_i64)).ok(), Some(42));
    }

    #[test]
    fn a_made_up_cursor_is_a_bad_request() {
        assert!(matches!(
            decode::<i64>("not-ours"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            decode::<i64>(&encode(&"text")),
            Err(ApiError::BadRequest(_))
        ));
    }
}
