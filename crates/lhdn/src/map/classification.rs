//! LHDN's item classification (`CommodityClassification`, `listID` `CLASS`). Our lines do
//! not carry one, so the company says which code its items fall under.

use std::collections::HashMap;
use std::sync::LazyLock;

use niaga_domain::values::ItemCode;

use super::MapError;

/// LHDN's table as published (`ClassificationCodes.json`).
static TABLE: LazyLock<Vec<String>> = LazyLock::new(|| {
    #[derive(serde::Deserialize)]
    struct Row {
        #[serde(rename = "Code")]
        code: String,
    }
    // Shipped in the binary; a malformed table is a build mistake the tests catch.
    serde_json::from_str::<Vec<Row>>(include_str!("../../data/ClassificationCodes.json"))
        .map(|rows| rows.into_iter().map(|r| r.code).collect())
        .unwrap_or_default()
});

/// A three-digit code from LHDN's classification table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClassificationCode(String);

impl ClassificationCode {
    pub fn parse(code: &str) -> Result<Self, MapError> {
        if TABLE.iter().any(|c| c == code) {
            Ok(Self(code.to_owned()))
        } else {
            Err(MapError::Classification(code.to_owned()))
        }
    }

    /// `004`: the only classification of a consolidated e-invoice's lines.
    pub fn consolidated() -> Self {
        Self("004".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which classification each line gets: by its catalogue code, else the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classifications {
    pub default: ClassificationCode,
    pub by_item: HashMap<ItemCode, ClassificationCode>,
}

impl Classifications {
    /// Every line under one code (`022` Others, say).
    pub fn all(default: ClassificationCode) -> Self {
        Self {
            default,
            by_item: HashMap::new(),
        }
    }

    pub fn of(&self, item: Option<&ItemCode>) -> &ClassificationCode {
        item.and_then(|code| self.by_item.get(code))
            .unwrap_or(&self.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_lhdns_45_codes() {
        assert_eq!(TABLE.len(), 45);
        assert!(ClassificationCode::parse("004").is_ok());
        assert_eq!(
            ClassificationCode::parse("046"),
            Err(MapError::Classification("046".to_owned()))
        );
    }
}
