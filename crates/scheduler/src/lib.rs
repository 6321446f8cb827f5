//! Niaga's scheduled jobs (to come with the rental issue): daily overdue detection and late
//! fees, the monthly consolidated e-invoice and LHDN status polling, with one runner at a
//! time across instances and a record of every run.
