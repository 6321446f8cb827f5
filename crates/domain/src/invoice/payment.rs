//! How a customer paid: LHDN's payment modes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// A payment mode from LHDN's table (`PaymentMeans.PaymentMeansCode`, codes `01`–`08`).
/// Stored and sent over HTTP by its snake_case name; [`PaymentMethod::code`] is what goes on
/// the e-invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Cheque,
    BankTransfer,
    CreditCard,
    DebitCard,
    /// e-Wallet / digital wallet.
    EWallet,
    DigitalBank,
    Others,
}

impl PaymentMethod {
    pub const ALL: [Self; 8] = [
        Self::Cash,
        Self::Cheque,
        Self::BankTransfer,
        Self::CreditCard,
        Self::DebitCard,
        Self::EWallet,
        Self::DigitalBank,
        Self::Others,
    ];

    /// LHDN's code, `01` to `08`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cash => "01",
            Self::Cheque => "02",
            Self::BankTransfer => "03",
            Self::CreditCard => "04",
            Self::DebitCard => "05",
            Self::EWallet => "06",
            Self::DigitalBank => "07",
            Self::Others => "08",
        }
    }

    /// The mode with LHDN code `code`.
    pub fn from_code(code: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|method| method.code() == code.trim())
            .ok_or(ValueError::PaymentMethod)
    }
}

impl fmt::Display for PaymentMethod {
    /// LHDN's name for the mode.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Cash => "Cash",
            Self::Cheque => "Cheque",
            Self::BankTransfer => "Bank Transfer",
            Self::CreditCard => "Credit Card",
            Self::DebitCard => "Debit Card",
            Self::EWallet => "e-Wallet / Digital Wallet",
            Self::DigitalBank => "Digital Bank",
            Self::Others => "Others",
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn payment_methods_are_lhdn_payment_modes_01_to_08() {
        let codes: Vec<_> = PaymentMethod::ALL
            .into_iter()
            .map(PaymentMethod::code)
            .collect();
        assert_eq!(codes, ["01", "02", "03", "04", "05", "06", "07", "08"]);
        assert_eq!(PaymentMethod::from_code("06"), Ok(PaymentMethod::EWallet));
        assert_eq!(
            PaymentMethod::from_code("09"),
            Err(ValueError::PaymentMethod)
        );
        assert_eq!(PaymentMethod::BankTransfer.to_string(), "Bank Transfer");
    }

    #[test]
    fn payment_methods_are_stored_by_snake_case_name() {
        assert_eq!(
            serde_json::to_string(&PaymentMethod::EWallet).unwrap(),
            r#""e_wallet""#
        );
        assert_eq!(
            serde_json::from_str::<PaymentMethod>(r#""bank_transfer""#).unwrap(),
            PaymentMethod::BankTransfer
        );
    }
}
