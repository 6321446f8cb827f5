//! Request bodies of the supplier routes, and how each becomes commands. A supplier's party
//! details are written as a customer's are, under `details`; every invalid field is reported
//! at once, with a JSON pointer to it.

use niaga_domain::{
    ids::SupplierId,
    purchase_order::TolerancePercent,
    supplier::{
        ChangeSupplierDetails, ClearToleranceOverride, RegisterSupplier, SetToleranceOverride,
        SupplierCommand,
    },
};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::{error::Result, http::customers::CustomerDetailsBody, validate::Validator};

/// A tolerance as written: a decimal string from `"0"` to `"100"`, two decimals at most.
fn tolerance(text: &str) -> Result<TolerancePercent, String> {
    let invalid = || niaga_domain::values::ValueError::TolerancePercent.to_string();
    let plain = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let percent: Decimal = text.parse().ok().filter(|_| plain).ok_or_else(invalid)?;
    TolerancePercent::new(percent).map_err(|_| invalid())
}

/// The party details under `details`, checked, pointers under `/details`.
fn details(v: &mut Validator, body: &CustomerDetailsBody) -> Option<ChangeSupplierDetails> {
    let (kind, details) = v.absorb("/details", body.details())?;
    Some(ChangeSupplierDetails { kind, details })
}

/// A supplier to register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterSupplierBody {
    /// The party details, as a customer's.
    pub details: CustomerDetailsBody,
    /// This supplier's own delivery tolerance in percent (`"2.5"`); the company default when
    /// absent.
    #[serde(default)]
    #[schema(example = "2.5")]
    pub tolerance_override: Option<String>,
}

impl RegisterSupplierBody {
    pub fn register(&self, id: SupplierId) -> Result<SupplierCommand> {
        let mut v = Validator::new();
        let details = details(&mut v, &self.details);
        let tolerance_override = v.check_optional(
            "/tolerance_override",
            self.tolerance_override.as_deref().map(tolerance),
        );
        v.build(|| {
            let details = details?;
            Some(SupplierCommand::Register(RegisterSupplier {
                id,
                kind: details.kind,
                details: details.details,
                tolerance_override: tolerance_override?,
            }))
        })
    }
}

/// `Some(None)` for a member given as `null`, `None` for one left out.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// What to change of a supplier: its details (all of them), its tolerance, or both.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "tolerance_override": "2.5" }))]
pub struct AmendSupplierBody {
    /// Replaces every detail; left as they are when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<CustomerDetailsBody>,
    /// A percentage (`"2.5"`) sets the supplier's own tolerance, `null` returns it to the
    /// company default; left as it is when absent.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, example = "2.5")]
    pub tolerance_override: Option<Option<String>>,
}

impl AmendSupplierBody {
    /// The commands, in order: details first, then the tolerance.
    pub fn commands(&self) -> Result<Vec<SupplierCommand>> {
        let mut v = Validator::new();
        if self.details.is_none() && self.tolerance_override.is_none() {
            v.error("", "send `details`, `tolerance_override` or both");
        }
        let details = match &self.details {
            None => Some(None),
            Some(body) => details(&mut v, body).map(Some),
        };
        let tolerance = match &self.tolerance_override {
            None => Some(None),
            Some(None) => Some(Some(SupplierCommand::ClearToleranceOverride(
                ClearToleranceOverride,
            ))),
            Some(Some(text)) => v
                .check("/tolerance_override", tolerance(text))
                .map(|percent| {
                    Some(SupplierCommand::SetToleranceOverride(
                        SetToleranceOverride { percent },
                    ))
                }),
        };
        v.build(|| {
            let details = details?.map(SupplierCommand::ChangeDetails);
            Some(details.into_iter().chain(tolerance?).collect())
        })
    }
}
