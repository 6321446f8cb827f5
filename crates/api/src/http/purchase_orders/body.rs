//! Request bodies of the purchase-order routes, and how each becomes a command (or its
//! parts, for the commands that need the supplier's tolerance from its own stream). Every
//! field is checked and every invalid one reported at once, with a JSON pointer to it.

use chrono::NaiveDate;
use niaga_domain::{
    Currency,
    ids::{GoodsReceiptId, PurchaseOrderId, SupplierId},
    purchase_order::{
        AmendPurchaseOrder, ClosePurchaseOrder, DeliveryTolerance, DraftPurchaseOrder, LineNo,
        OrderLine, PurchaseOrderRecord, ReceiveGoods, ReceivedLine, ShortCloseLine,
    },
    values::{ItemCode, Name, Quantity, UnitCode},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{error::Result, http::money::MoneyBody, validate::Validator};

/// One line of a purchase order as the buyer writes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "item_code": "TW-M1-20KG", "description": "Test weight 20 kg, class M1",
    "quantity": "10", "unit": "H87", "unit_price": { "amount": "850.00", "currency": "MYR" }
}))]
pub struct OrderLineBody {
    /// The supplier's or our catalogue code; absent for a free-text line.
    #[serde(default)]
    pub item_code: Option<String>,
    /// One line of at most 300 characters.
    pub description: String,
    /// A decimal string more than zero (`"10"`, `"2.5"`).
    pub quantity: String,
    /// LHDN unit-of-measure code: `H87` piece, `KGM`, `C62` one…
    pub unit: String,
    /// Zero or more, in the order's currency.
    pub unit_price: MoneyBody,
}

impl From<&OrderLine> for OrderLineBody {
    fn from(l: &OrderLine) -> Self {
        Self {
            item_code: l.item_code.as_ref().map(|c| c.as_str().to_owned()),
            description: l.description.clone(),
            quantity: l.quantity.value().normalize().to_string(),
            unit: l.unit.as_str().to_owned(),
            unit_price: l.unit_price.into(),
        }
    }
}

/// The lines, checked, each problem at `/lines/<index>/<field>`.
fn lines(v: &mut Validator, lines: &[OrderLineBody]) -> Option<Vec<OrderLine>> {
    let checked: Vec<Option<OrderLine>> = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let at = |field: &str| format!("/lines/{index}/{field}");
            let item_code = v.check_optional(
                at("item_code"),
                line.item_code.as_deref().map(ItemCode::parse),
            );
            let quantity = v.check(at("quantity"), Quantity::parse(&line.quantity));
            let unit = v.check(at("unit"), UnitCode::parse(&line.unit));
            let unit_price = v.check(at("unit_price"), line.unit_price.parse());
            Some(OrderLine {
                item_code: item_code?,
                description: line.description.clone(),
                quantity: quantity?,
                unit: unit?,
                unit_price: unit_price?,
            })
        })
        .collect();
    checked.into_iter().collect()
}

/// A purchase order to draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "supplier_id": "0197a000-0000-7000-8000-0000000000b1",
    "promised_on": "2026-07-20",
    "lines": [{ "description": "Test weight 20 kg, class M1", "quantity": "10", "unit": "H87",
                "unit_price": { "amount": "850.00", "currency": "MYR" } }]
}))]
pub struct DraftBody {
    /// A registered supplier.
    pub supplier_id: Uuid,
    /// Of every line's unit price; `MYR` when absent.
    #[serde(default)]
    pub currency: Option<String>,
    /// 1 to 200 lines; numbered from 1 in this order.
    pub lines: Vec<OrderLineBody>,
    /// When the supplier promises delivery: receipts after it are late.
    pub promised_on: NaiveDate,
}

impl DraftBody {
    pub fn draft(&self, id: PurchaseOrderId) -> Result<DraftPurchaseOrder> {
        let mut v = Validator::new();
        let currency = match &self.currency {
            None => Some(Currency::MYR),
            Some(code) => v.check("/currency", Currency::parse(code)),
        };
        let lines = lines(&mut v, &self.lines);
        v.build(|| {
            Some(DraftPurchaseOrder {
                id,
                supplier_id: SupplierId::from_uuid(self.supplier_id),
                currency: currency?,
                lines: lines?,
                promised_on: self.promised_on,
            })
        })
    }
}

/// What to change of an order before anything is received: its lines (all of them), its
/// promised date, or both.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "promised_on": "2026-07-27" }))]
pub struct AmendBody {
    /// Replaces every line; left as they are when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<OrderLineBody>>,
    /// Left as it is when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_on: Option<NaiveDate>,
}

impl AmendBody {
    /// The whole form the domain amends with: what is given, the rest as `order` has it.
    pub fn amend(&self, order: &PurchaseOrderRecord) -> Result<AmendPurchaseOrder> {
        let mut v = Validator::new();
        if self.lines.is_none() && self.promised_on.is_none() {
            v.error("", "send `lines`, `promised_on` or both");
        }
        let lines = match &self.lines {
            None => Some(order.lines.clone()),
            Some(given) => lines(&mut v, given),
        };
        v.build(|| {
            Some(AmendPurchaseOrder {
                lines: lines?,
                promised_on: self.promised_on.unwrap_or(order.promised_on),
            })
        })
    }
}

/// How much of one order line arrived.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivedLineBody {
    /// The line's number on the order, from 1.
    pub line: u16,
    /// A decimal string more than zero.
    pub quantity: String,
}

/// One delivery from the supplier.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "receipt_id": "0197a000-0000-7000-8000-0000000000c1",
    "received_on": "2026-07-18", "receiver": "Ahmad bin Ali",
    "note": "Two boxes, one dented", "lines": [{ "line": 1, "quantity": "4" }]
}))]
pub struct ReceiveBody {
    /// Chosen by the client (a UUID) so a retry is recognised; a new id is made when absent.
    #[serde(default)]
    pub receipt_id: Option<Uuid>,
    /// Today when absent; may be earlier (recorded late), never later.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    /// Who took delivery at our end.
    pub receiver: String,
    /// At most 1000 characters, line breaks allowed.
    #[serde(default)]
    pub note: Option<String>,
    /// At least one line of the order, each once.
    pub lines: Vec<ReceivedLineBody>,
}

impl ReceiveBody {
    pub fn receive(
        &self,
        receipt_id: GoodsReceiptId,
        today: NaiveDate,
        tolerance: DeliveryTolerance,
    ) -> Result<ReceiveGoods> {
        let mut v = Validator::new();
        let receiver = v.check("/receiver", Name::parse(&self.receiver));
        let lines: Vec<Option<ReceivedLine>> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, l)| {
                let line = v.check(
                    format!("/lines/{index}/line"),
                    LineNo::new(l.line).ok_or("line numbers count from 1"),
                );
                let quantity = v.check(
                    format!("/lines/{index}/quantity"),
                    Quantity::parse(&l.quantity),
                );
                Some(ReceivedLine {
                    line: line?,
                    quantity: quantity?,
                })
            })
            .collect();
        v.build(|| {
            Some(ReceiveGoods {
                receipt_id,
                received_on: self.received_on.unwrap_or(today),
                receiver: receiver?,
                note: self.note.clone(),
                lines: lines.into_iter().collect::<Option<_>>()?,
                tolerance,
            })
        })
    }
}

/// Why a line's outstanding quantity will never arrive.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "Discontinued by the maker" }))]
pub struct ShortCloseBody {
    pub reason: String,
}

impl ShortCloseBody {
    /// The command for line `line` of the path; 0 is no line (lines count from 1).
    pub fn short_close(&self, line: u16, tolerance: DeliveryTolerance) -> Result<ShortCloseLine> {
        let mut v = Validator::new();
        let line = v.check(
            "/line",
            LineNo::new(line).ok_or("line numbers count from 1"),
        );
        v.build(|| {
            Some(ShortCloseLine {
                line: line?,
                reason: self.reason.clone(),
                tolerance,
            })
        })
    }
}

/// Closing an order: complete, or forced with a reason, leaving the lines still short as
/// they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "force_reason": "Supplier cannot deliver the rest this year" }))]
pub struct CloseBody {
    /// Required when some line is still expected; absent otherwise.
    #[serde(default)]
    pub force_reason: Option<String>,
}

impl CloseBody {
    pub fn close(&self, tolerance: DeliveryTolerance) -> ClosePurchaseOrder {
        ClosePurchaseOrder {
            force_reason: self.force_reason.clone(),
            tolerance,
        }
    }
}
