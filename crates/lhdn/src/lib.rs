//! LHDN MyInvois integration (to come with the LHDN issue): the UBL 2.1 JSON mapping of
//! issued invoices and notes, signing with the company's .p12 certificate, the MyInvois
//! client, the submitter that turns issued-document events into submissions, and
//! `lhdn-sandbox`, a local stand-in for MyInvois that enforces LHDN's rules.
