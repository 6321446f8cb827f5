//! Document keys (what the API's `/documents/{id}` names) and object paths (the digest).

use object_store::path::Path;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of one stored document version: a UUIDv7 made when it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentKey(Uuid);

impl DocumentKey {
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl std::fmt::Display for DocumentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for DocumentKey {
    type Err = uuid::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(text).map(Self)
    }
}

/// `sha256/ab/abcdef…`: the first two hex digits as a folder keeps any one folder of a local
/// store small.
pub(crate) fn object_path(sha256: &str) -> Path {
    let prefix = sha256.get(..2).unwrap_or("00");
    Path::from(format!("sha256/{prefix}/{sha256}"))
}
