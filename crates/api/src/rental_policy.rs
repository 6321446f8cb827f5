//! The company's rental policy, from configuration: what the rental routes and the overdue
//! job pass into the Rental aggregate's commands (the domain takes policy as data, never as
//! a global).

use niaga_domain::{
    equipment::CalibrationPolicy,
    rental::{DailyLateFee, LateFeePolicy},
    tax::TaxTreatment,
};

/// How rentals are run here.
#[derive(Debug, Clone, PartialEq)]
pub struct RentalPolicy {
    /// What to do with a unit whose calibration lapses before it is due back.
    pub calibration: CalibrationPolicy,
    /// How a damage or loss charge is taxed: finance's call whether compensation counts as
    /// part of the rental service.
    pub damage_tax: TaxTreatment,
    /// How late fees are taxed.
    pub late_fee_tax: TaxTreatment,
    /// How late returns are charged by the daily overdue job.
    pub late_fees: LateFeePolicy,
}

impl Default for RentalPolicy {
    /// Refuse units out of calibration (a customer relies on the certificate); tax damage
    /// and late fees like the rental they arose from; charge each late day at the unit's
    /// daily rate after one day's grace, without a cap.
    fn default() -> Self {
        Self {
            calibration: CalibrationPolicy::Refuse,
            damage_tax: TaxTreatment::EquipmentRental,
            late_fee_tax: TaxTreatment::EquipmentRental,
            late_fees: default_late_fees(),
        }
    }
}

/// Version 1: one day's grace, then the daily rate for every late day.
fn default_late_fees() -> LateFeePolicy {
    LateFeePolicy::new(
        1,
        1,
        DailyLateFee::PercentOfDailyRate {
            basis_points: 10_000,
        },
        None,
    )
    .unwrap_or_else(|_| unreachable!("a valid policy"))
}
