//! The duplicate document validator (LHDN.md §1.13): the same type and version, issue date
//! and time, internal ID and issuer TIN as a document already processed within two hours.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Finding, Known};
use crate::state::Status;
use crate::ubl::Facts;

pub(crate) const WINDOW: TimeDelta = TimeDelta::hours(2);

fn same_document(a: &Facts, b: &Facts) -> bool {
    a.type_code == b.type_code
        && a.version == b.version
        && a.issue_date == b.issue_date
        && a.issue_time == b.issue_time
        && a.internal_id == b.internal_id
        && a.issuer().tin == b.issuer().tin
}

pub(crate) fn check(
    facts: &Facts,
    received_at: DateTime<Utc>,
    others: &[Known<'_>],
) -> Vec<Finding> {
    let duplicate = others.iter().find(|other| {
        // "Processed": validated, whatever became of it since; one still waiting or
        // refused is no original.
        matches!(other.status, Status::Valid | Status::Cancelled)
            && (received_at - other.received_at).abs() <= WINDOW
            && same_document(facts, other.facts)
    });
    match duplicate {
        Some(original) => vec![
            Finding::new(
                "DS302",
                format!(
                    "This document is a duplicate of document {} submitted within the last 2 hours",
                    original.uuid
                ),
            )
            .at("ID", "Invoice.ID"),
        ],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_same_document_within_two_hours_is_a_duplicate_and_later_not() {
        let facts = Facts {
            internal_id: "INV-1".into(),
            type_code: "01".into(),
            version: "1.1".into(),
            issue_date: "2026-06-01".into(),
            issue_time: "02:00:00Z".into(),
            ..Facts::default()
        };
        let first = Utc.with_ymd_and_hms(2026, 6, 1, 2, 5, 0).unwrap();
        let known = [Known {
            uuid: "A",
            status: Status::Valid,
            facts: &facts,
            received_at: first,
        }];
        assert_eq!(
            check(&facts, first + TimeDelta::minutes(30), &known).len(),
            1
        );
        assert!(check(&facts, first + TimeDelta::hours(3), &known).is_empty());
        let other_time = Facts {
            issue_time: "02:00:01Z".into(),
            ..facts.clone()
        };
        assert!(check(&other_time, first, &known).is_empty());
    }
}
