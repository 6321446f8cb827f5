//! Why a rental command is refused. Each message names the unit by its serial, or the
//! amounts, and says the rule.

use chrono::NaiveDate;

use super::UnitCondition;
use crate::equipment::{SerialNumber, Unrentable};
use crate::ids::EquipmentUnitId;
use crate::money::{Currency, Money};
use crate::values::TextProblem;

/// A refusal of the Rental aggregate; the API answers it with a 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RentalError {
    #[error("this rental does not exist")]
    NotReserved,
    #[error("this rental already exists")]
    AlreadyReserved,
    #[error("rental closed on {closed_on}: it can no longer change")]
    Closed { closed_on: NaiveDate },
    #[error("rental cancelled on {cancelled_on}: it can no longer change")]
    Cancelled { cancelled_on: NaiveDate },
    #[error("a rental has at least one unit")]
    NoUnits,
    #[error("a rental has at most {max} units: split it into several rentals")]
    TooManyUnits { max: usize },
    #[error("unit {serial} is listed twice: a unit is reserved once per rental")]
    DuplicateUnit { serial: SerialNumber },
    #[error(
        "the expected return ({expected_return_on}) is before the start ({start_on}): a rental ends on or after the day it starts"
    )]
    ReturnBeforeStart {
        start_on: NaiveDate,
        expected_return_on: NaiveDate,
    },
    #[error("the {field} is in {found}, but the rental is in {expected}")]
    Currency {
        field: &'static str,
        expected: Currency,
        found: Currency,
    },
    #[error("unit {serial} is priced in {found}, but the rental is in {expected}")]
    UnitCurrency {
        serial: SerialNumber,
        expected: Currency,
        found: Currency,
    },
    #[error("the deposit is zero or more, in whole sen (two decimals at most)")]
    InvalidDeposit,
    #[error(transparent)]
    Unrentable(#[from] Unrentable),
    #[error("unit {unit_id} is not part of this rental")]
    UnitNotInRental { unit_id: EquipmentUnitId },
    #[error("unit {serial} already went out on {on}")]
    AlreadyCheckedOut { serial: SerialNumber, on: NaiveDate },
    #[error("unit {serial} has not gone out: only a unit with the customer can be checked in")]
    NotCheckedOut { serial: SerialNumber },
    #[error("unit {serial} is already back (checked in on {on})")]
    AlreadyReturned { serial: SerialNumber, on: NaiveDate },
    #[error("unit {serial} cannot be checked out on {on}, after today ({today})")]
    CheckOutInFuture {
        serial: SerialNumber,
        on: NaiveDate,
        today: NaiveDate,
    },
    #[error("unit {serial} cannot be checked in on {on}, after today ({today})")]
    CheckInInFuture {
        serial: SerialNumber,
        on: NaiveDate,
        today: NaiveDate,
    },
    /// A back-dated check-in is allowed, but a unit cannot come back before it went out.
    #[error(
        "unit {serial} went out on {checked_out_on}: it cannot be checked in on {checked_in_on}, before that"
    )]
    CheckInBeforeCheckOut {
        serial: SerialNumber,
        checked_out_on: NaiveDate,
        checked_in_on: NaiveDate,
    },
    #[error("the damage charge for unit {serial} is zero or more, in whole sen")]
    InvalidDamageCharge { serial: SerialNumber },
    #[error(
        "unit {serial} came back in good condition: it carries no damage charge ({charge} given)"
    )]
    DamageChargeOnGoodUnit { serial: SerialNumber, charge: Money },
    #[error("unit {serial} came back {condition}: say what happened to it")]
    ConditionNoteRequired {
        serial: SerialNumber,
        condition: UnitCondition,
    },
    #[error(
        "the expected return is already {current}: an extension moves it later, not to {requested}"
    )]
    ExtensionNotLater {
        current: NaiveDate,
        requested: NaiveDate,
    },
    #[error("every unit is back: there is nothing left to extend")]
    NothingToExtend,
    #[error("the facts of unit {serial} are missing: every unit not back is checked again")]
    UnitFactsMissing { serial: SerialNumber },
    #[error("this rental takes no deposit")]
    NoDepositAgreed,
    #[error("the deposit of {amount} was already collected on {collected_on}")]
    DepositAlreadyCollected {
        amount: Money,
        collected_on: NaiveDate,
    },
    #[error("the deposit agreed is {agreed}: {offered} is not it")]
    DepositAmountMismatch { agreed: Money, offered: Money },
    #[error("the deposit has not been collected")]
    DepositNotCollected,
    #[error("an amount retained is more than zero, in whole sen")]
    InvalidRetention,
    /// The company keeps at most what it still holds of the customer's money.
    #[error(
        "{requested} is more than the {available} of the deposit still held: a retention takes at most what is left"
    )]
    OverRetention { available: Money, requested: Money },
    #[error("the deposit was already refunded ({amount} on {refunded_on})")]
    DepositAlreadyRefunded {
        amount: Money,
        refunded_on: NaiveDate,
    },
    #[error("all of the deposit was retained: there is nothing left to refund")]
    NothingToRefund,
    /// The deposit secures the units: it goes back once they are.
    #[error("{} still out: the deposit is refunded once every unit is back", units(.serials))]
    RefundWhileUnitsOut { serials: Vec<SerialNumber> },
    #[error("{} still out: a rental is closed once every unit is back", units(.serials))]
    UnitsStillOut { serials: Vec<SerialNumber> },
    #[error("no unit of this rental ever went out: cancel it instead of closing it")]
    NothingCheckedOut,
    #[error("{held} of the deposit is still held: refund or retain it first")]
    DepositHeld { held: Money },
    #[error("{} already went out: only a reservation is cancelled", units(.serials))]
    CancelAfterCheckOut { serials: Vec<SerialNumber> },
    #[error("say why: the reason is kept with the rental")]
    ReasonRequired,
    #[error("{field} {problem}")]
    InvalidText {
        field: &'static str,
        problem: TextProblem,
    },
    #[error("the amounts are too large")]
    AmountTooLarge,
    #[error("late fees cannot be assessed as of {as_of}, after today ({today})")]
    AssessmentInFuture { as_of: NaiveDate, today: NaiveDate },
    #[error("this rental has no standing late fees left to bill")]
    NoLateFeesToBill,
    /// Closing would leave fees the customer owes on no invoice.
    #[error("{total} of late fees is not billed yet: bill it before closing")]
    LateFeesUnbilled { total: Money },
}

/// `unit TW-1 is` or `units TW-1, TW-2 are`.
fn units(serials: &[SerialNumber]) -> String {
    let list = serials
        .iter()
        .map(SerialNumber::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    match serials {
        [_] => format!("unit {list} is"),
        _ => format!("units {list} are"),
    }
}

impl RentalError {
    /// Where the problem is in the request body, as a JSON pointer (RFC 6901) relative to the
    /// command's object, or `None` when the refusal is about the rental as a whole.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::NoUnits
            | Self::TooManyUnits { .. }
            | Self::DuplicateUnit { .. }
            | Self::UnitCurrency { .. }
            | Self::Unrentable(_)
            | Self::UnitFactsMissing { .. } => Some("/units".to_owned()),
            Self::ReturnBeforeStart { .. } | Self::ExtensionNotLater { .. } => {
                Some("/expected_return_on".to_owned())
            }
            Self::Currency { field, .. } => Some(format!("/{field}")),
            Self::InvalidDeposit => Some("/deposit".to_owned()),
            Self::UnitNotInRental { .. } => Some("/unit_id".to_owned()),
            Self::CheckOutInFuture { .. }
            | Self::CheckInInFuture { .. }
            | Self::CheckInBeforeCheckOut { .. } => Some("/on".to_owned()),
            Self::InvalidDamageCharge { .. } | Self::DamageChargeOnGoodUnit { .. } => {
                Some("/damage_charge".to_owned())
            }
            Self::ConditionNoteRequired { .. } => Some("/note".to_owned()),
            Self::DepositAmountMismatch { .. }
            | Self::InvalidRetention
            | Self::OverRetention { .. } => Some("/amount".to_owned()),
            Self::ReasonRequired => Some("/reason".to_owned()),
            Self::AssessmentInFuture { .. } => Some("/as_of".to_owned()),
            Self::InvalidText { field, .. } => Some(format!("/{field}")),
            Self::NotReserved
            | Self::AlreadyReserved
            | Self::Closed { .. }
            | Self::Cancelled { .. }
            | Self::AlreadyCheckedOut { .. }
            | Self::NotCheckedOut { .. }
            | Self::AlreadyReturned { .. }
            | Self::NothingToExtend
            | Self::NoDepositAgreed
            | Self::DepositAlreadyCollected { .. }
            | Self::DepositNotCollected
            | Self::DepositAlreadyRefunded { .. }
            | Self::NothingToRefund
            | Self::RefundWhileUnitsOut { .. }
            | Self::UnitsStillOut { .. }
            | Self::NothingCheckedOut
            | Self::DepositHeld { .. }
            | Self::CancelAfterCheckOut { .. }
            | Self::AmountTooLarge
            | Self::NoLateFeesToBill
            | Self::LateFeesUnbilled { .. } => None,
        }
    }
}
