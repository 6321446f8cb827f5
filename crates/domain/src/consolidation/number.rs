//! How consolidated e-invoices are numbered: `CON-2026-11-001`, the month and a serial within
//! it. The month's stream numbers its own documents, so no series is needed and none is
//! skipped.

use serde::{Deserialize, Serialize};

use crate::values::{Month, ValueError, string_value};

/// The number of a consolidated e-invoice (LHDN's `ID` and `codeNumber`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConsolidatedNumber(String);

string_value!(ConsolidatedNumber);

const PREFIX: &str = "CON-";

impl ConsolidatedNumber {
    /// The `serial`th (from 1) document of `month`.
    pub fn new(month: Month, serial: u32) -> Self {
        Self(format!("{PREFIX}{month}-{serial:03}"))
    }

    /// Checks the shape `CON-YYYY-MM-NNN` (at least three digits).
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let written = input.trim().to_ascii_uppercase();
        let rest = written
            .strip_prefix(PREFIX)
            .ok_or(ValueError::ConsolidatedNumber)?;
        let (month, serial) = rest
            .rsplit_once('-')
            .ok_or(ValueError::ConsolidatedNumber)?;
        let month = Month::parse(month).map_err(|_| ValueError::ConsolidatedNumber)?;
        let serial: u32 = serial
            .parse()
            .ok()
            .filter(|s| *s > 0)
            .ok_or(ValueError::ConsolidatedNumber)?;
        let number = Self::new(month, serial);
        if number.0 == written {
            Ok(number)
        } else {
            Err(ValueError::ConsolidatedNumber)
        }
    }

    /// The month it consolidates.
    pub fn month(&self) -> Option<Month> {
        let rest = self.0.strip_prefix(PREFIX)?;
        Month::parse(rest.rsplit_once('-')?.0).ok()
    }
}
