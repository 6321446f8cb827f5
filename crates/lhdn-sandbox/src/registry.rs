//! The taxpayers the sandbox knows (from the configuration), and LHDN's general TINs.

use std::collections::BTreeMap;

use crate::config::{IdType, Taxpayer};

pub(crate) const GENERAL_PUBLIC_TIN: &str = "EI00000000010";

/// LHDN's general TINs (LHDN.md §2.8) and the roles they stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeneralTin {
    GeneralPublic,
    ForeignBuyer,
    ForeignSupplier,
    Government,
}

impl GeneralTin {
    pub(crate) fn parse(tin: &str) -> Option<Self> {
        match tin {
            GENERAL_PUBLIC_TIN => Some(Self::GeneralPublic),
            "EI00000000020" => Some(Self::ForeignBuyer),
            "EI00000000030" => Some(Self::ForeignSupplier),
            "EI00000000040" => Some(Self::Government),
            _ => None,
        }
    }
}

pub(crate) fn is_consolidated_buyer(tin: &str) -> bool {
    tin == GENERAL_PUBLIC_TIN
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Registered {
    pub(crate) tin: String,
    pub(crate) id_type: IdType,
    pub(crate) id_value: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Registry {
    by_tin: BTreeMap<String, Registered>,
}

impl Registry {
    pub(crate) fn new(taxpayers: &[Taxpayer]) -> Self {
        Self {
            by_tin: taxpayers
                .iter()
                .map(|t| {
                    (
                        t.tin.clone(),
                        Registered {
                            tin: t.tin.clone(),
                            id_type: t.id_type,
                            id_value: t.id_value.clone(),
                            name: t.name.clone(),
                        },
                    )
                })
                .collect(),
        }
    }

    pub(crate) fn get(&self, tin: &str) -> Option<&Registered> {
        self.by_tin.get(tin)
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &Registered> {
        self.by_tin.values()
    }
}

/// LHDN's TIN shapes (LHDN.md §1.8): `IG` + digits for individuals, a known prefix + digits
/// for others, at most 14 characters; or a general TIN.
pub(crate) fn is_tin(tin: &str) -> bool {
    const PREFIXES: [&str; 15] = [
        "IG", "EI", "CS", "FA", "PT", "TA", "TC", "TN", "TR", "TP", "LE", "C", "D", "F", "J",
    ];
    tin.len() <= 14
        && PREFIXES.iter().any(|prefix| {
            tin.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tin_shapes() {
        assert!(is_tin("C25845632020"));
        assert!(is_tin("IG12345678912"));
        assert!(is_tin("EI00000000010"));
        assert!(!is_tin("X123"));
        assert!(!is_tin("C"));
        assert!(!is_tin("C123456789012345"));
    }
}
