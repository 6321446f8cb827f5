//! customer
