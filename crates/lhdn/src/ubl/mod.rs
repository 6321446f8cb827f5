//! LHDN's UBL 2.1 JSON (the OASIS JSON alternative representation): every element an array
//! of objects, values under `"_"`, attributes beside them, keys in the order of the official
//! samples. Plain data: the mapping fills it, the signer and the verifier read it.

mod document;
mod header;
mod leaf;
mod line;
mod number;
mod party;
mod signature;
mod totals;

pub use document::{AGGREGATE_NAMESPACE, BASIC_NAMESPACE, Document, INVOICE_NAMESPACE, Invoice};
pub use header::{
    BillingReference, Delivery, DocumentReference, FinancialAccount, InvoiceDocumentReference,
    InvoicePeriod, PaymentMeans, PaymentTerms, PrepaidPayment, Shipment, TaxExchangeRate,
};
pub use leaf::{
    Amount, Code, Flag, Identifier, Measure, Method, Number, Text, amount, scheme_id, text,
};
pub use line::{CommodityClassification, InvoiceLine, Item, ItemPriceExtension, Price};
pub use number::Num;
pub use party::{
    AccountingCustomer, AccountingSupplier, AddressLine, BuyerParty, Contact, Country,
    DeliveryParty, PartyIdentification, PartyLegalEntity, PostalAddress, SupplierParty,
};
pub use signature::{
    CertReference, Digest, DocumentSignatures, ExtensionContent, IssuerSerial, KeyInfo,
    QualifyingProperties, Reference, SignatureInformation, SignatureObject, SignatureReference,
    SignedInfo, SignedProperties, SignedSignatureProperties, SigningCertificate, UblExtension,
    UblExtensions, X509Data, XadesSignature,
};
pub use totals::{
    AllowanceCharge, LegalMonetaryTotal, TaxCategory, TaxScheme, TaxSubtotal, TaxTotal,
};
