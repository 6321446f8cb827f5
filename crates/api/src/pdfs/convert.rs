//! Domain values as the PDF crate's plain data: the customer as a party, priced lines and
//! totals.

use chrono::{DateTime, Utc};
use niaga_domain::{
    billing::{Line, Totals},
    customer::Customer,
    ids::CustomerId,
    values::Address,
};

use super::{PdfIssueError, issue::state_as_of};
use crate::app::AppState;

/// The customer as the document addresses them: as registered at `issued_at`, when the
/// document was issued. A customer renamed or moved since keeps their old name and address
/// on it, as on the paper they were sent, and rendering it again gives the same bytes.
pub(crate) async fn party(
    state: &AppState,
    customer_id: CustomerId,
    issued_at: DateTime<Utc>,
) -> Result<niaga_pdf::Party, PdfIssueError> {
    let customer: Customer = state_as_of(state, &customer_id.to_string(), issued_at).await?;
    let Some(customer) = customer.registered() else {
        return Err(PdfIssueError::Corrupt(format!(
            "customer {customer_id} is not registered"
        )));
    };
    let d = &customer.details;
    Ok(niaga_pdf::Party {
        name: d.name.as_str().to_owned(),
        address_lines: address_lines(&d.address),
        tin: Some(d.tin.as_str().to_owned()),
        registration_no: None,
    })
}

/// An address as printed: its lines, then postcode and city, then the state.
pub(crate) fn address_lines(a: &Address) -> Vec<String> {
    let mut lines = a.lines().to_vec();
    lines.push(format!("{} {}", a.postcode(), a.city()));
    if let Some(state) = a.state().name() {
        lines.push(state.to_owned());
    }
    lines
}

pub(crate) fn lines(lines: &[Line]) -> Vec<niaga_pdf::Line> {
    lines
        .iter()
        .map(|l| niaga_pdf::Line {
            description: l.description().to_owned(),
            quantity: l.quantity().value(),
            unit: l.unit().name().unwrap_or(l.unit().as_str()).to_lowercase(),
            unit_price: l.unit_price().amount(),
            discount: l.discount().amount(),
            tax_label: l.tax().rule().name().to_owned(),
            tax: l.tax().amount().amount(),
            total: l.total().amount(),
        })
        .collect()
}

pub(crate) fn totals(t: &Totals) -> niaga_pdf::Totals {
    niaga_pdf::Totals {
        net: t.tax_exclusive().amount(),
        tax: t.tax().amount(),
        total: t.payable().amount(),
    }
}
