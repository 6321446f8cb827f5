//! How a line is taxed, as the person writing it chooses.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sst;
use super::{TaxError, TaxRule};
use crate::values::ExemptionReason;

/// What kind of supply a line is, for SST. The rate is not chosen here but looked up for the
/// document's tax point ([`TaxTreatment::rule_on`]), so staff pick what they sell, not a
/// percentage.
///
/// Stored in every line: never rename a variant (`kind`) or a field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaxTreatment {
    /// A taxable service such as calibration, repair or installation: service tax (type `02`).
    Service,
    /// Rental or leasing of equipment: a taxable service (Group K) only from 1 July 2025.
    EquipmentRental,
    /// Goods the company buys and sells on: it is a reseller, not a manufacturer, so no sales
    /// tax is charged (type `06`, Not Applicable).
    GoodsResale,
    /// Exempt (type `E`), for a reason the customer has evidence of, such as an exemption
    /// certificate; the reason goes on the document as LHDN requires.
    Exempt { reason: ExemptionReason },
}

impl TaxTreatment {
    /// The rule in force for this treatment on `tax_point` (a business day): the latest rule
    /// whose `effective_from` is not after it.
    pub fn rule_on(&self, tax_point: NaiveDate) -> Result<TaxRule, TaxError> {
        sst::rule_on(self.basis(), tax_point).ok_or(TaxError::NoRuleInForce {
            treatment: self.label(),
            tax_point,
        })
    }

    /// The exemption reason written on the line, for [`TaxTreatment::Exempt`].
    pub fn exemption_reason(&self) -> Option<&ExemptionReason> {
        match self {
            Self::Exempt { reason } => Some(reason),
            Self::Service | Self::EquipmentRental | Self::GoodsResale => None,
        }
    }

    pub(super) fn basis(&self) -> sst::Basis {
        match self {
            Self::Service => sst::Basis::Service,
            Self::EquipmentRental => sst::Basis::EquipmentRental,
            Self::GoodsResale => sst::Basis::GoodsResale,
            Self::Exempt { .. } => sst::Basis::Exempt,
        }
    }

    /// How the treatment is named in messages.
    fn label(&self) -> &'static str {
        match self {
            Self::Service => "a service",
            Self::EquipmentRental => "rental of equipment",
            Self::GoodsResale => "resale of goods",
            Self::Exempt { .. } => "an exempt supply",
        }
    }
}
