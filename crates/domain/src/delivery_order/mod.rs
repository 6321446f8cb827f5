//! The DeliveryOrder aggregate: the goods of an invoice, a quotation or a rental's
//! check-out, on their way to the customer's address; dispatched, then signed for (or the
//! signature refused) by the customer through a single-use, expiring link, or cancelled
//! before it left.
//!
//! # Signature links
//!
//! The caller makes a random token, puts it in the link it sends the customer and gives
//! the domain only its SHA-256 ([`IssueSignatureLink`]). A new link revokes the one before
//! it if unused. The public page hashes the token it was opened with and signs or refuses
//! with that hash: a link is usable once, until it is revoked, and strictly before its
//! expiry instant. Every way a link can fail is one refusal,
//! [`DeliveryOrderError::LinkNotUsable`], so the page cannot be used to learn which tokens
//! exist; the inner [`LinkRefusal`] is for the staff log.

mod command;
mod error;
mod event;
mod line;
mod state;
#[cfg(test)]
mod tests;

pub use command::{
    CancelDeliveryOrder, CreateDeliveryOrder, DeliveryOrderCommand, DispatchDeliveryOrder,
    IssueSignatureLink, RefuseSignature, SignDeliveryOrder,
};
pub use error::{DeliveryOrderError, LinkRefusal};
pub use event::{
    DeliveryOrderCancelled, DeliveryOrderCreated, DeliveryOrderDispatched, DeliveryOrderEvent,
    DeliveryOrderSigned, DeliverySignatureRefused, SignatureLinkIssued,
};
pub use line::{DeliveryLine, DeliveryOrderSource};
pub use state::{
    Cancellation, DeliveryOrder, DeliveryOrderRecord, DeliveryStatus, Dispatch, Refusal,
    SignatureLink,
};

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};

use crate::values::{Lines, Sha256Hex, TextProblem, check_optional_text, check_text};
use crate::{Aggregate, Ctx};

/// The most lines one delivery order holds.
pub const MAX_LINES: usize = 200;
/// How long a signature link may live: long enough for a customer who signs at month end,
/// short enough that a forwarded old link is dead.
pub const MAX_LINK_DAYS: i64 = 30;
const DESCRIPTION_MAX: usize = 300;
const VEHICLE_MAX: usize = 20;
const USER_AGENT_MAX: usize = 500;
const REASON_MAX: usize = 300;

impl Aggregate for DeliveryOrder {
    /// Stored beside every event of a delivery order stream: never rename.
    const STREAM_TYPE: &'static str = "delivery_order";
    /// 2: the record keeps the PDFs issued of it. 3: and the moment it was created.
    const STATE_VERSION: u32 = 3;
    type Command = DeliveryOrderCommand;
    type Event = DeliveryOrderEvent;
    type Error = DeliveryOrderError;

    fn decide(
        &self,
        command: &DeliveryOrderCommand,
        ctx: &Ctx,
    ) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
        use DeliveryOrderCommand as C;
        use DeliveryOrderError as Error;
        match (self, command) {
            (Self::NotCreated, C::Create(c)) => create(c, ctx),
            (Self::NotCreated, C::RecordPdf(_)) => Err(Error::NotCreated),
            // A PDF records what was shown or signed: whatever the order's state since.
            (Self::Open(r) | Self::Signed(r) | Self::Cancelled(r), C::RecordPdf(pdf)) => {
                Ok(crate::record_pdf(&r.pdfs, pdf)
                    .map(DeliveryOrderEvent::DeliveryOrderPdfIssued)
                    .into_iter()
                    .collect())
            }
            (Self::Open(_) | Self::Signed(_) | Self::Cancelled(_), C::Create(_)) => {
                Err(Error::AlreadyCreated)
            }
            (Self::NotCreated, C::Dispatch(_) | C::IssueSignatureLink(_) | C::Cancel(_)) => {
                Err(Error::NotCreated)
            }
            // The public page learns nothing from a stream that is not there.
            (Self::NotCreated, C::Sign(_) | C::RefuseSignature(_)) => Err(Error::LinkNotUsable {
                reason: LinkRefusal::Unknown,
            }),
            (Self::Open(r), C::Dispatch(c)) => dispatch(r, c, ctx),
            (Self::Open(r), C::IssueSignatureLink(c)) => issue_link(r, c, ctx),
            (Self::Open(r), C::Sign(c)) => sign(r, c),
            (Self::Open(r), C::RefuseSignature(c)) => refuse(r, c),
            (Self::Open(r), C::Cancel(c)) => cancel(r, c, ctx),
            (Self::Signed(r), C::Sign(c)) => {
                // The same signature again (a double submit) is answered as done.
                let same = r.signature.as_ref().is_some_and(|s| {
                    r.links
                        .iter()
                        .any(|l| l.id == s.link_id && l.token_sha256 == c.token_sha256)
                        && (s.signed_at, &s.signature_image_sha256, &s.document_sha256)
                            == (c.at, &c.signature_image_sha256, &c.document_sha256)
                });
                if same {
                    Ok(vec![])
                } else {
                    Err(not_usable(r, &c.token_sha256, c.at))
                }
            }
            (Self::Signed(r), C::RefuseSignature(c)) => Err(not_usable(r, &c.token_sha256, c.at)),
            (Self::Signed(_), C::Dispatch(_) | C::IssueSignatureLink(_) | C::Cancel(_)) => {
                Err(Error::AlreadySigned)
            }
            (Self::Cancelled(_), C::Cancel(_)) => Ok(vec![]),
            (Self::Cancelled(r), C::Dispatch(_) | C::IssueSignatureLink(_)) => {
                Err(Error::Cancelled {
                    cancelled_on: r
                        .cancellation
                        .as_ref()
                        .map_or(r.created_on, |c| c.cancelled_on),
                })
            }
            (
                Self::Cancelled(r),
                C::Sign(SignDeliveryOrder {
                    token_sha256, at, ..
                }),
            )
            | (
                Self::Cancelled(r),
                C::RefuseSignature(RefuseSignature {
                    token_sha256, at, ..
                }),
            ) => Err(not_usable(r, token_sha256, *at)),
        }
    }

    fn evolve(self, event: &DeliveryOrderEvent) -> Self {
        use DeliveryOrderEvent as E;
        match self {
            Self::NotCreated => match event {
                E::DeliveryOrderCreated(e) => Self::Open(Box::new(DeliveryOrderRecord {
                    id: e.delivery_order_id,
                    source: e.source,
                    customer_id: e.customer_id,
                    delivery_address: e.delivery_address.clone(),
                    lines: e.lines.clone(),
                    created_on: e.created_on,
                    created_at: e.created_at,
                    dispatch: None,
                    links: Vec::new(),
                    refusals: Vec::new(),
                    signature: None,
                    cancellation: None,
                    pdfs: Vec::new(),
                })),
                // `decide` starts every stream with DeliveryOrderCreated.
                E::DeliveryOrderDispatched(_)
                | E::SignatureLinkIssued(_)
                | E::DeliveryOrderSigned(_)
                | E::DeliverySignatureRefused(_)
                | E::DeliveryOrderCancelled(_)
                | E::DeliveryOrderPdfIssued(_) => Self::NotCreated,
            },
            Self::Open(mut r) => match event {
                E::DeliveryOrderPdfIssued(e) => {
                    r.pdfs.push(e.clone());
                    Self::Open(r)
                }
                E::DeliveryOrderSigned(e) => {
                    mark_used(&mut r, e.link_id);
                    r.signature = Some(e.clone());
                    Self::Signed(r)
                }
                E::DeliveryOrderCancelled(e) => {
                    r.cancellation = Some(Cancellation {
                        reason: e.reason.clone(),
                        cancelled_on: e.cancelled_on,
                    });
                    Self::Cancelled(r)
                }
                E::DeliveryOrderCreated(_) => Self::Open(r),
                E::DeliveryOrderDispatched(e) => {
                    r.dispatch = Some(Dispatch {
                        dispatched_on: e.dispatched_on,
                        driver: e.driver.clone(),
                        vehicle: e.vehicle.clone(),
                    });
                    Self::Open(r)
                }
                E::SignatureLinkIssued(e) => {
                    if let Some(revoked) = e.revoked_link
                        && let Some(link) = r.links.iter_mut().find(|l| l.id == revoked)
                    {
                        link.revoked = true;
                    }
                    r.links.push(SignatureLink {
                        id: e.link_id,
                        token_sha256: e.token_sha256.clone(),
                        expires_at: e.expires_at,
                        issued_at: e.issued_at,
                        revoked: false,
                        used: false,
                    });
                    Self::Open(r)
                }
                E::DeliverySignatureRefused(e) => {
                    mark_used(&mut r, e.link_id);
                    r.refusals.push(Refusal {
                        link_id: e.link_id,
                        refused_at: e.refused_at,
                        reason: e.reason.clone(),
                    });
                    Self::Open(r)
                }
            },
            // A signed or cancelled delivery order takes no decision that writes but the
            // recording of its PDF.
            Self::Signed(mut r) => {
                if let E::DeliveryOrderPdfIssued(e) = event {
                    r.pdfs.push(e.clone());
                }
                Self::Signed(r)
            }
            Self::Cancelled(mut r) => {
                if let E::DeliveryOrderPdfIssued(e) = event {
                    r.pdfs.push(e.clone());
                }
                Self::Cancelled(r)
            }
        }
    }
}

fn mark_used(r: &mut DeliveryOrderRecord, link_id: crate::ids::SignatureLinkId) {
    if let Some(link) = r.links.iter_mut().find(|l| l.id == link_id) {
        link.used = true;
    }
}

/// The link the token opens, if it may be used at `at`.
fn usable_link<'a>(
    r: &'a DeliveryOrderRecord,
    token_sha256: &Sha256Hex,
    at: DateTime<Utc>,
) -> Result<&'a SignatureLink, DeliveryOrderError> {
    let link = r
        .link_by_token(token_sha256)
        .ok_or(DeliveryOrderError::LinkNotUsable {
            reason: LinkRefusal::Unknown,
        })?;
    link.usable_at(at)
        .map_err(|reason| DeliveryOrderError::LinkNotUsable { reason })?;
    Ok(link)
}

/// The refusal for a signed or cancelled delivery order, where no link can be used: why
/// this token's cannot, for the log.
fn not_usable(
    r: &DeliveryOrderRecord,
    token_sha256: &Sha256Hex,
    at: DateTime<Utc>,
) -> DeliveryOrderError {
    match usable_link(r, token_sha256, at) {
        Err(error) => error,
        // Signing or cancelling ended every link; one left open is treated as used.
        Ok(_) => DeliveryOrderError::LinkNotUsable {
            reason: LinkRefusal::AlreadyUsed,
        },
    }
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String, DeliveryOrderError> {
    check_text(value, max, Lines::Single)
        .map_err(|problem| DeliveryOrderError::InvalidText { field, problem })
}

fn reason(value: &str) -> Result<String, DeliveryOrderError> {
    match check_text(value, REASON_MAX, Lines::Single) {
        Ok(reason) => Ok(reason),
        Err(TextProblem::Empty) => Err(DeliveryOrderError::ReasonRequired),
        Err(problem) => Err(DeliveryOrderError::InvalidText {
            field: "reason",
            problem,
        }),
    }
}

fn create(
    c: &CreateDeliveryOrder,
    ctx: &Ctx,
) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
    if c.lines.is_empty() {
        return Err(DeliveryOrderError::NoLines);
    }
    if c.lines.len() > MAX_LINES {
        return Err(DeliveryOrderError::TooManyLines { max: MAX_LINES });
    }
    let mut serials = HashSet::new();
    let mut lines = Vec::with_capacity(c.lines.len());
    for (index, line) in c.lines.iter().enumerate() {
        let description = check_text(&line.description, DESCRIPTION_MAX, Lines::Single)
            .map_err(|problem| DeliveryOrderError::LineDescription { index, problem })?;
        if !line.serials.is_empty() && !c.source.is_rental() {
            return Err(DeliveryOrderError::SerialsOnlyForRentals { index });
        }
        if let Some(twice) = line.serials.iter().find(|s| !serials.insert(*s)) {
            return Err(DeliveryOrderError::SerialListedTwice {
                index,
                serial: twice.clone(),
            });
        }
        lines.push(DeliveryLine {
            description,
            ..line.clone()
        });
    }
    Ok(vec![DeliveryOrderEvent::DeliveryOrderCreated(
        DeliveryOrderCreated {
            delivery_order_id: c.id,
            source: c.source,
            customer_id: c.customer_id,
            delivery_address: c.delivery_address.clone(),
            lines,
            created_on: ctx.business_day(),
            created_at: ctx.now,
        },
    )])
}

fn dispatch(
    r: &DeliveryOrderRecord,
    c: &DispatchDeliveryOrder,
    ctx: &Ctx,
) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
    let vehicle = check_optional_text(c.vehicle.as_deref(), VEHICLE_MAX, Lines::Single).map_err(
        |problem| DeliveryOrderError::InvalidText {
            field: "vehicle",
            problem,
        },
    )?;
    if let Some(done) = &r.dispatch {
        // The same dispatch again (a retry) is answered as done.
        return if (done.dispatched_on, &done.driver, &done.vehicle)
            == (c.dispatched_on, &c.driver, &vehicle)
        {
            Ok(vec![])
        } else {
            Err(DeliveryOrderError::AlreadyDispatched {
                dispatched_on: done.dispatched_on,
            })
        };
    }
    let today = ctx.business_day();
    if c.dispatched_on > today {
        return Err(DeliveryOrderError::DispatchInFuture {
            dispatched_on: c.dispatched_on,
            today,
        });
    }
    Ok(vec![DeliveryOrderEvent::DeliveryOrderDispatched(
        DeliveryOrderDispatched {
            dispatched_on: c.dispatched_on,
            driver: c.driver.clone(),
            vehicle,
            recorded_at: ctx.now,
        },
    )])
}

fn issue_link(
    r: &DeliveryOrderRecord,
    c: &IssueSignatureLink,
    ctx: &Ctx,
) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
    if r.dispatch.is_none() {
        return Err(DeliveryOrderError::NotDispatched);
    }
    if let Some(known) = r.links.iter().find(|l| l.id == c.link_id) {
        // The same link again (a retry) is answered as done.
        return if (&known.token_sha256, known.expires_at) == (&c.token_sha256, c.expires_at) {
            Ok(vec![])
        } else {
            Err(DeliveryOrderError::LinkIdReused { link_id: c.link_id })
        };
    }
    if c.expires_at <= ctx.now || c.expires_at > ctx.now + TimeDelta::days(MAX_LINK_DAYS) {
        return Err(DeliveryOrderError::LinkExpiry {
            expires_at: c.expires_at,
            max_days: MAX_LINK_DAYS,
        });
    }
    Ok(vec![DeliveryOrderEvent::SignatureLinkIssued(
        SignatureLinkIssued {
            link_id: c.link_id,
            token_sha256: c.token_sha256.clone(),
            expires_at: c.expires_at,
            revoked_link: r.live_link().map(|l| l.id),
            issued_at: ctx.now,
        },
    )])
}

fn sign(
    r: &DeliveryOrderRecord,
    c: &SignDeliveryOrder,
) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
    let link = usable_link(r, &c.token_sha256, c.at)?;
    let user_agent = text("user_agent", &c.user_agent, USER_AGENT_MAX)?;
    Ok(vec![DeliveryOrderEvent::DeliveryOrderSigned(
        DeliveryOrderSigned {
            link_id: link.id,
            signed_at: c.at,
            signer_name: c.signer_name.clone(),
            client_ip: c.client_ip,
            user_agent,
            signature_image_sha256: c.signature_image_sha256.clone(),
            document_sha256: c.document_sha256.clone(),
        },
    )])
}

fn refuse(
    r: &DeliveryOrderRecord,
    c: &RefuseSignature,
) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
    let reason = reason(&c.reason)?;
    // The same refusal again (a double submit) is answered as done.
    if let Some(link) = r.link_by_token(&c.token_sha256)
        && r.refusals
            .iter()
            .any(|f| (f.link_id, f.refused_at, &f.reason) == (link.id, c.at, &reason))
    {
        return Ok(vec![]);
    }
    let link = usable_link(r, &c.token_sha256, c.at)?;
    Ok(vec![DeliveryOrderEvent::DeliverySignatureRefused(
        DeliverySignatureRefused {
            link_id: link.id,
            refused_at: c.at,
            reason,
        },
    )])
}

fn cancel(
    r: &DeliveryOrderRecord,
    c: &CancelDeliveryOrder,
    ctx: &Ctx,
) -> Result<Vec<DeliveryOrderEvent>, DeliveryOrderError> {
    if let Some(dispatch) = &r.dispatch {
        return Err(DeliveryOrderError::AlreadyDispatched {
            dispatched_on: dispatch.dispatched_on,
        });
    }
    let reason = reason(&c.reason)?;
    Ok(vec![DeliveryOrderEvent::DeliveryOrderCancelled(
        DeliveryOrderCancelled {
            reason,
            cancelled_on: ctx.business_day(),
            cancelled_at: ctx.now,
        },
    )])
}
