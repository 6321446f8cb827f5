//! Delivery variance: how what arrived compares with what was ordered, and when.
//!
//! Judged per line on the *cumulative* quantity received (every receipt of the order so
//! far), against the ordered quantity and a tolerance in percent:
//!
//! - **Over**: received more than ordered. Within tolerance it is recorded and accepted;
//!   beyond it (`received − ordered > ordered × tolerance %`) the line is flagged, on the
//!   receipt that took it there.
//! - **Under**: received less than ordered. While the line is still open this is simply the
//!   quantity outstanding (partial deliveries are normal) and is never flagged. It is judged
//!   only once the line is *final*: short-closed, or left short by a forced close of the
//!   order. Then it is flagged when `ordered − received > ordered × tolerance %`; a shortfall
//!   within tolerance is accepted.
//! - **Late**: a receipt dated after the promised delivery date is late by
//!   `received_on − promised_on` days, and flagged.
//!
//! The tolerance is the company default or the supplier's override: the caller decides
//! which and passes it in the command with its version, which the events record.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LineNo;
use crate::values::ValueError;

/// A delivery tolerance: 0 to 100 percent, at most two decimals (2.5 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct TolerancePercent(Decimal);

impl TolerancePercent {
    pub fn new(percent: Decimal) -> Result<Self, ValueError> {
        let in_range = percent >= Decimal::ZERO && percent <= Decimal::ONE_HUNDRED;
        if in_range && percent.round_dp(2) == percent {
            Ok(Self(percent.normalize()))
        } else {
            Err(ValueError::TolerancePercent)
        }
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for TolerancePercent {
    type Error = ValueError;
    fn try_from(percent: Decimal) -> Result<Self, Self::Error> {
        Self::new(percent)
    }
}

impl From<TolerancePercent> for Decimal {
    fn from(percent: TolerancePercent) -> Decimal {
        percent.0
    }
}

impl std::fmt::Display for TolerancePercent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} %", self.0)
    }
}

/// The tolerance a delivery is judged against, and which version of the setting it was
/// (the company default's or the supplier override's), so a flag can be explained later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryTolerance {
    pub version: u32,
    pub percent: TolerancePercent,
}

/// How a line's cumulative receipt stands against its ordered quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarianceAssessment {
    /// Exactly the quantity ordered.
    AsOrdered,
    /// More than ordered, within tolerance: accepted.
    OverWithinTolerance,
    /// More than ordered, beyond tolerance: flagged.
    OverTolerance,
    /// Less than ordered and the line still open: the rest is outstanding, not judged.
    Outstanding,
    /// Less than ordered on a final line, within tolerance: accepted.
    UnderWithinTolerance,
    /// Less than ordered on a final line, beyond tolerance: flagged.
    UnderTolerance,
}

impl VarianceAssessment {
    /// Whether the line is flagged for the buyer's attention.
    pub fn is_flagged(self) -> bool {
        match self {
            Self::OverTolerance | Self::UnderTolerance => true,
            Self::AsOrdered
            | Self::OverWithinTolerance
            | Self::Outstanding
            | Self::UnderWithinTolerance => false,
        }
    }
}

/// One line's variance, as a receipt, a short-close or a forced close records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineVariance {
    pub line: LineNo,
    pub ordered: Decimal,
    /// Cumulative, every receipt so far included.
    pub received: Decimal,
    /// `received − ordered`: positive over, negative under.
    pub difference: Decimal,
    /// `difference` as a percentage of `ordered`, to two decimals (half away from zero).
    pub percent: Decimal,
    pub assessment: VarianceAssessment,
}

/// Judges one line: `received` is cumulative; `is_final` when the line will receive no more
/// (short-closed, or the order force-closed), which is when a shortfall is judged.
pub fn line_variance(
    line: LineNo,
    ordered: Decimal,
    received: Decimal,
    tolerance: TolerancePercent,
    is_final: bool,
) -> LineVariance {
    let difference = received - ordered;
    let beyond = beyond_tolerance(difference.abs(), ordered, tolerance);
    let assessment = match difference.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Equal => VarianceAssessment::AsOrdered,
        std::cmp::Ordering::Greater if beyond => VarianceAssessment::OverTolerance,
        std::cmp::Ordering::Greater => VarianceAssessment::OverWithinTolerance,
        std::cmp::Ordering::Less if !is_final => VarianceAssessment::Outstanding,
        std::cmp::Ordering::Less if beyond => VarianceAssessment::UnderTolerance,
        std::cmp::Ordering::Less => VarianceAssessment::UnderWithinTolerance,
    };
    LineVariance {
        line,
        ordered,
        received,
        difference,
        percent: percent_of(difference, ordered),
        assessment,
    }
}

/// `gap > ordered × tolerance %`, compared without dividing so that a gap of exactly the
/// tolerance is within it. Quantities too large to multiply are flagged: a person looks.
fn beyond_tolerance(gap: Decimal, ordered: Decimal, tolerance: TolerancePercent) -> bool {
    match (
        gap.checked_mul(Decimal::ONE_HUNDRED),
        ordered.checked_mul(tolerance.value()),
    ) {
        (Some(gap), Some(allowed)) => gap > allowed,
        _ => true,
    }
}

fn percent_of(difference: Decimal, ordered: Decimal) -> Decimal {
    difference
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|d| d.checked_div(ordered))
        .map_or(Decimal::ZERO, |p| {
            p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
}

/// Days a delivery received on `received_on` is late against `promised_on`: zero when on
/// time or early.
pub fn days_late(promised_on: NaiveDate, received_on: NaiveDate) -> u32 {
    u32::try_from((received_on - promised_on).num_days()).unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn tolerance(percent: &str) -> TolerancePercent {
        TolerancePercent::new(dec(percent)).unwrap()
    }

    fn judge(ordered: &str, received: &str, percent: &str, is_final: bool) -> LineVariance {
        line_variance(
            LineNo::new(1).unwrap(),
            dec(ordered),
            dec(received),
            tolerance(percent),
            is_final,
        )
    }

    #[test]
    fn exactly_the_quantity_ordered_is_as_ordered() {
        let v = judge("100", "100", "5", false);
        assert_eq!(v.assessment, VarianceAssessment::AsOrdered);
        assert_eq!((v.difference, v.percent), (dec("0"), dec("0")));
    }

    #[test]
    fn over_delivery_within_tolerance_is_accepted_up_to_the_boundary() {
        let v = judge("100", "105", "5", false);
        assert_eq!(v.assessment, VarianceAssessment::OverWithinTolerance);
        assert_eq!((v.difference, v.percent), (dec("5"), dec("5")));
        assert!(!v.assessment.is_flagged());
    }

    #[test]
    fn over_delivery_beyond_tolerance_is_flagged() {
        let v = judge("100", "105.5", "5", false);
        assert_eq!(v.assessment, VarianceAssessment::OverTolerance);
        assert_eq!(v.percent, dec("5.5"));
        assert!(v.assessment.is_flagged());
    }

    #[test]
    fn a_zero_tolerance_flags_any_over_delivery() {
        let v = judge("3", "3.001", "0", false);
        assert_eq!(v.assessment, VarianceAssessment::OverTolerance);
    }

    #[test]
    fn under_delivery_on_an_open_line_is_outstanding_never_flagged() {
        let v = judge("100", "10", "5", false);
        assert_eq!(v.assessment, VarianceAssessment::Outstanding);
        assert_eq!((v.difference, v.percent), (dec("-90"), dec("-90")));
        assert!(!v.assessment.is_flagged());
    }

    #[test]
    fn under_delivery_on_a_final_line_is_judged_against_tolerance() {
        assert_eq!(
            judge("100", "95", "5", true).assessment,
            VarianceAssessment::UnderWithinTolerance
        );
        let short = judge("100", "94", "5", true);
        assert_eq!(short.assessment, VarianceAssessment::UnderTolerance);
        assert_eq!(short.percent, dec("-6"));
        assert_eq!(
            judge("100", "0", "100", true).assessment,
            VarianceAssessment::UnderWithinTolerance
        );
    }

    #[test]
    fn the_percentage_is_rounded_to_two_decimals() {
        assert_eq!(judge("3", "4", "50", false).percent, dec("33.33"));
        assert_eq!(judge("3", "2", "50", true).percent, dec("-33.33"));
    }

    #[test]
    fn late_days_count_only_after_the_promised_date() {
        let promised = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
        assert_eq!(days_late(promised, day(18)), 0);
        assert_eq!(days_late(promised, day(20)), 0);
        assert_eq!(days_late(promised, day(21)), 1);
        assert_eq!(days_late(promised, day(27)), 7);
    }

    #[test]
    fn a_tolerance_is_zero_to_a_hundred_percent_in_hundredths() {
        assert_eq!(tolerance("2.50").value(), dec("2.5"));
        for bad in ["-1", "100.01", "2.555"] {
            assert_eq!(
                TolerancePercent::new(dec(bad)),
                Err(ValueError::TolerancePercent),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<TolerancePercent>(r#""101""#).is_err());
    }
}
