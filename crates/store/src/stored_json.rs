//! A stored JSON document (an event's payload or metadata) as the database's text.

use std::fmt;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Value, value::RawValue};

/// A JSON document kept as the text the database returned until someone reads it. Reading
/// the feed then costs a check that the text is JSON, not a tree of values: a reader pays for
/// parsing only the payloads it decodes, and decodes them straight into its own types.
///
/// Equality is of the documents, not of their spelling: `{"a":1}` equals `{ "a": 1 }`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoredJson(Box<RawValue>);

impl StoredJson {
    /// Takes text that must be one JSON document.
    pub fn from_text(text: String) -> Result<Self, serde_json::Error> {
        RawValue::from_string(text).map(Self)
    }

    /// The document of a value.
    pub fn from_value(value: &Value) -> Self {
        // A Value always serialises, and always to one JSON document.
        serde_json::value::to_raw_value(value)
            .map_or_else(|_| Self(RawValue::NULL.to_owned()), Self)
    }

    /// The JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// Parses the document into a value tree.
    pub fn to_value(&self) -> Value {
        // The text was checked to be JSON when it was made.
        serde_json::from_str(self.text()).unwrap_or(Value::Null)
    }

    /// Parses the document into `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.text())
    }

    /// The raw document, to embed as it is in a larger one.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }
}

impl From<Value> for StoredJson {
    fn from(value: Value) -> Self {
        Self::from_value(&value)
    }
}

impl PartialEq for StoredJson {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text() || self.to_value() == other.to_value()
    }
}

impl PartialEq<Value> for StoredJson {
    fn eq(&self, other: &Value) -> bool {
        self.to_value() == *other
    }
}

impl fmt::Debug for StoredJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::StoredJson;
    use serde_json::json;

    #[test]
    fn equal_documents_are_equal_however_spelled() {
        let tight = StoredJson::from_text(r#"{"a":1,"b":[true]}"#.into()).unwrap();
        let loose = StoredJson::from_text(r#"{ "b": [ true ], "a": 1 }"#.into()).unwrap();
        assert_eq!(tight, loose);
        assert_eq!(tight, json!({ "a": 1, "b": [true] }));
        assert_ne!(tight, StoredJson::from_value(&json!({ "a": 2 })));
    }

    #[test]
    fn text_that_is_not_one_json_document_is_refused() {
        assert!(StoredJson::from_text("{".into()).is_err());
        assert!(StoredJson::from_text("1 2".into()).is_err());
    }

    #[test]
    fn it_serialises_as_the_document_itself() {
        let stored = StoredJson::from_value(&json!({ "amount": "1.50" }));
        let outer = serde_json::to_string(&json!({ "payload": stored.to_value() })).unwrap();
        assert_eq!(
            serde_json::to_string(&serde_json::json!({ "payload": &stored })).unwrap(),
            outer
        );
        let back: StoredJson = serde_json::from_str(stored.text()).unwrap();
        assert_eq!(back, stored);
    }
}
