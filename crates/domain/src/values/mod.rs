//! Validated values: holding one means it passed its rule when it was written.
//!
//! Each value is a newtype with a private field, made only by `parse` (or a constructor that
//! checks), so the domain never re-validates a TIN or a postcode and a command cannot carry a
//! raw string where LHDN expects a checked one.
//!
//! # Reading back what was stored
//!
//! Events are kept at least 7 years and read back with these types, but some rules are not
//! ours and change over time: LHDN edits its code tables (it retired state `00` in 2025) and
//! its policies (state `17` only for addresses abroad since April 2026; TIN prefixes and
//! general TINs). A stored value that was right when written must still load after such a
//! change, or the stream it is in can no longer be replayed. So:
//!
//! - `parse` applies today's rules, tables and policies included. New input (request bodies,
//!   forms, imports) goes through it: take the field as a `String` and call `parse`, never
//!   deserialise a request straight into these types.
//! - `Deserialize` of [`StateCode`], [`CountryCode`], [`MsicCode`], [`UnitCode`],
//!   [`TaxType`], [`ExemptionReason`], [`Tin`] and [`Address`] checks only the value's shape (e.g. two digits for a state), through a shape-only
//!   `from_stored`. Their accessors that look a code up ([`StateCode::name`],
//!   [`CountryCode::name`], [`MsicCode::description`], [`UnitCode::name`],
//!   [`TaxType::description`]) return `None` for a code that is no longer in the table.
//! - The other values check only shape in `parse` too (an email's `@`, a phone's digits), so
//!   serde goes through `parse`. If one of their rules ever comes to depend on a table or a
//!   policy, give it a `from_stored` first. A shape check for stored values may be widened,
//!   never narrowed: it must accept everything an older version wrote.

mod address;
mod army_number;
mod brn;
mod country;
mod email;
mod exchange_rate;
mod exemption_reason;
mod identification;
mod item_code;
mod month;
mod msic;
mod name;
mod nric;
mod passport;
mod phone;
mod postcode;
mod quantity;
mod sha256;
mod sst;
mod state;
mod tax_type;
mod text;
mod tin;
mod unit_code;

pub use address::Address;
pub use army_number::ArmyNumber;
pub use brn::Brn;
pub use country::CountryCode;
pub use email::Email;
pub use exchange_rate::ExchangeRate;
pub use exemption_reason::ExemptionReason;
pub use identification::Identification;
pub use item_code::ItemCode;
pub use month::Month;
pub use msic::MsicCode;
pub use name::Name;
pub use nric::Nric;
pub use passport::Passport;
pub use phone::Phone;
pub use postcode::Postcode;
pub use quantity::Quantity;
pub use sha256::Sha256Hex;
pub use sst::SstRegistration;
pub use state::StateCode;
pub use tax_type::TaxType;
pub use text::TextProblem;
pub(crate) use text::{Lines, check_optional_text, check_text};
pub use tin::Tin;
pub use unit_code::UnitCode;

/// Why a value was refused, worded for the person who typed it: the API shows the message
/// beside the field.
///
/// The messages never repeat the input: many of these values (NRIC, phone, email) are
/// personal data, and refusals end up in logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "a TIN starts with IG for an individual, or with C, CS, D, F, FA, PT, TA, TC, TN, TR, TP, J or LE for a company or other body"
    )]
    TinPrefix,
    #[error("a general TIN is one of EI00000000010, EI00000000020, EI00000000030 or EI00000000040")]
    TinGeneral,
    #[error("a TIN has only digits after its prefix, and at least one that is not zero")]
    TinDigits,
    #[error("a TIN has at most 14 characters")]
    TinTooLong,
    #[error("a BRN is the new 12-digit SSM registration number, e.g. 201901234567")]
    Brn,
    #[error("an NRIC (MyKad) number has 12 digits, e.g. 900101-14-5678")]
    Nric,
    #[error("a passport number has 1 to 12 letters or digits")]
    Passport,
    #[error("an army number has 1 to 12 letters or digits")]
    ArmyNumber,
    #[error("the identification type is BRN, NRIC, PASSPORT or ARMY")]
    IdentificationScheme,
    #[error(
        "an SST registration has at most 35 characters: one or two numbers separated by `;`, each made of letters, digits and `-` (leave it empty if not registered)"
    )]
    Sst,
    #[error("this is not an MSIC code in LHDN's table (five digits, e.g. 46510)")]
    MsicCode,
    #[error("this is not a Malaysian state code (01 to 17)")]
    StateCode,
    #[error(
        "state code 00 is no longer accepted by LHDN: choose the state, or 17 for an address outside Malaysia"
    )]
    StateCodeRetired,
    #[error("this is not a country code in LHDN's table (three letters, e.g. MYS)")]
    CountryCode,
    #[error("a Malaysian postcode has exactly 5 digits")]
    MalaysianPostcode,
    #[error(
        "an email address has one `@`, a name before it, a domain with a dot after it, no spaces, and at most 320 characters"
    )]
    Email,
    #[error("a phone number has 8 to 20 digits, optionally starting with +")]
    Phone,
    #[error("{field} {problem}")]
    Text {
        field: &'static str,
        problem: TextProblem,
    },
    #[error("an address has 1 to 3 lines")]
    AddressLines,
    #[error("a quantity is a number more than zero, such as 2 or 0.5")]
    Quantity,
    #[error(
        "an exchange rate is ringgit per unit of the currency: a number more than zero, such as 4.7215"
    )]
    ExchangeRate,
    #[error("an exchange rate has at most 15 characters (LHDN's limit), such as 4.7215")]
    ExchangeRateTooLong,
    #[error(
        "a quotation number is written QUO-, the year and a serial of 4 to 8 digits, e.g. QUO-2026-0042"
    )]
    QuotationNumber,
    #[error("a quotation is valid for 1 to 365 days")]
    ValidityDays,
    #[error(
        "a document number is written INV-, CN-, DN- or RN-, the year and a serial of at least 6 digits, e.g. INV-2026-000123"
    )]
    DocumentNumber,
    #[error(
        "a purchase order number is written PO-, the year and a serial of at least 6 digits, e.g. PO-2026-000042"
    )]
    PurchaseOrderNumber,
    #[error("a delivery tolerance is a percentage from 0 to 100, with at most two decimals")]
    TolerancePercent,
    #[error("a SHA-256 digest is written as 64 hexadecimal digits")]
    Sha256,
    #[error("payment terms are 0 to 365 days")]
    PaymentTerms,
    #[error("this is not an LHDN payment mode (01 to 08)")]
    PaymentMethod,
    #[error(
        "this is not a unit of measure in LHDN's table (a UN/ECE code, e.g. C62 for one, HUR for hour)"
    )]
    UnitCode,
    #[error("this is not an LHDN tax type (01 to 06, or E for an exemption)")]
    TaxType,
    #[error("an item code is one word of 1 to 50 letters, digits and - _ . /")]
    ItemCode,
    #[error("say why the line is exempt from tax (LHDN asks for the reason)")]
    ExemptionReasonMissing,
    #[error(
        "an exemption reason has at most 300 characters: letters, digits, spaces and . - , ( ) only, as LHDN allows"
    )]
    ExemptionReason,
    #[error(
        "a Malaysian address needs its state, and an address outside Malaysia uses state code 17 (Not Applicable)"
    )]
    StateDoesNotMatchCountry,
    #[error("a month is written year-month, e.g. 2026-11")]
    Month,
    #[error(
        "a consolidated e-invoice number is written CON-, the month and a serial, e.g. CON-2026-11-001"
    )]
    ConsolidatedNumber,
}

/// A decimal written in plain notation, without sign or exponent (`"2.5"`, not `"2.5e0"`):
/// an exponent hides the figure from a reader, as with money. `None` if it is not one.
pub(crate) fn plain_decimal(input: &str) -> Option<rust_decimal::Decimal> {
    let written = input.trim();
    let plain = !written.is_empty() && written.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    written.parse().ok().filter(|_| plain)
}

/// The string plumbing every string-backed value shares: `as_str`, `Display`, `FromStr`, and
/// the `TryFrom<String>`/`Into<String>` pair that `#[serde(try_from, into)]` uses. `FromStr`
/// and `TryFrom` are `parse`, strict, even for a value whose `Deserialize` is lenient.
macro_rules! string_value {
    ($name:ident) => {
        impl $name {
            /// The normalised text, as LHDN and the event store get it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::values::ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::values::ValueError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use string_value;

/// The plumbing a decimal-backed value shares: `Display`, and the `TryFrom<Decimal>` (its
/// checking `new`) and `Into<Decimal>` pair that `#[serde(try_from, into)]` uses.
macro_rules! decimal_value {
    ($name:ident) => {
        impl TryFrom<::rust_decimal::Decimal> for $name {
            type Error = $crate::values::ValueError;
            fn try_from(value: ::rust_decimal::Decimal) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for ::rust_decimal::Decimal {
            fn from(value: $name) -> ::rust_decimal::Decimal {
                value.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
    };
}
pub(crate) use decimal_value;

/// `Deserialize` for a value whose `parse` applies a table or a policy that may change: reads
/// a string and keeps it if it has the value's shape (`Self::from_stored`), without asking
/// today's table. See the module documentation for why. `$shape` completes the error message
/// ("a stored StateCode is two digits"); like [`ValueError`], it never repeats the input.
macro_rules! stored_value {
    ($name:ident, $shape:literal) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let stored = String::deserialize(deserializer)?;
                Self::from_stored(stored).ok_or_else(|| {
                    ::serde::de::Error::custom(concat!(
                        "a stored ",
                        stringify!($name),
                        " is ",
                        $shape
                    ))
                })
            }
        }
    };
}
pub(crate) use stored_value;

/// `input` without its spaces and dashes, if exactly `len` ASCII digits remain: how the
/// fixed-length numbers (BRN, NRIC) are written, copied as `2019-01-234567` or
/// `900101-14-5678`.
fn exact_digits(input: &str, len: usize) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Loads one of LHDN's code tables (a JSON array of objects) into `code -> label`.
///
/// The tables ship inside the binary, so a malformed one is a build mistake, caught by the
/// tests that count each table's entries; failing loudly beats refusing every code.
pub(crate) fn code_table(
    json: &str,
    label_key: &str,
    table: &str,
) -> std::collections::HashMap<String, String> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{table} is not a JSON array: {e}"));
    rows.into_iter()
        .map(|row| {
            let field = |key: &str| {
                row.get(key)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| panic!("{table} has a row without {key}: {row:?}"))
            };
            (field("Code"), field(label_key))
        })
        .collect()
}
