//! The company's purchasing policy, from configuration: the delivery tolerance that goods
//! receipts, short-closes and forced closes are judged against when the supplier has no
//! tolerance of its own (the domain takes it as data in each command, never as a global).

use niaga_domain::purchase_order::{DeliveryTolerance, TolerancePercent};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How purchases are judged here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchasingPolicy {
    /// The company default: `version` is recorded with every judgement, so raise it with
    /// every change of `percent`.
    pub delivery_tolerance: DeliveryTolerance,
}

impl Default for PurchasingPolicy {
    /// Version 1: 5 %, over or under, which a weighed or counted delivery of test weights
    /// and consumables meets when nothing went wrong.
    fn default() -> Self {
        Self {
            delivery_tolerance: DeliveryTolerance {
                version: 1,
                percent: TolerancePercent::new(Decimal::new(5, 0))
                    .unwrap_or_else(|_| unreachable!("5 % is a valid tolerance")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_file_names_a_version_and_a_percentage() {
        let policy: PurchasingPolicy =
            serde_json::from_str(r#"{"delivery_tolerance": {"version": 2, "percent": "2.5"}}"#)
                .expect("a valid policy");
        assert_eq!(policy.delivery_tolerance.version, 2);
        assert_eq!(
            policy.delivery_tolerance.percent.value(),
            Decimal::new(25, 1)
        );
        for invalid in [
            r#"{"delivery_tolerance": {"version": 2, "percent": "101"}}"#,
            r#"{"delivery_tolerance": {"version": 2}}"#,
            r#"{"delivery_tolerance": {"version": 2, "percent": "5"}, "other": 1}"#,
        ] {
            assert!(
                serde_json::from_str::<PurchasingPolicy>(invalid).is_err(),
                "{invalid}"
            );
        }
    }
}
