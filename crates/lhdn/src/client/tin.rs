//! TIN validation answers, kept for a day (LHDN.md §1.8: validating before every submission
//! is flagged as abuse).

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

const KEPT_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// How LHDN is told who a TIN belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxpayerIdKind {
    Nric,
    Passport,
    Brn,
    Army,
}

impl TaxpayerIdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nric => "NRIC",
            Self::Passport => "PASSPORT",
            Self::Brn => "BRN",
            Self::Army => "ARMY",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxpayerId {
    pub kind: TaxpayerIdKind,
    pub value: String,
}

#[derive(Debug, Default)]
pub(super) struct TinCache {
    answers: Mutex<HashMap<(String, TaxpayerId), (bool, Instant)>>,
}

impl TinCache {
    pub(super) async fn get(&self, tin: &str, id: &TaxpayerId) -> Option<bool> {
        let answers = self.answers.lock().await;
        answers
            .get(&(tin.to_owned(), id.clone()))
            .filter(|(_, at)| at.elapsed() < KEPT_FOR)
            .map(|(valid, _)| *valid)
    }

    pub(super) async fn put(&self, tin: &str, id: &TaxpayerId, valid: bool) {
        let mut answers = self.answers.lock().await;
        answers.retain(|_, (_, at)| at.elapsed() < KEPT_FOR);
        answers.insert((tin.to_owned(), id.clone()), (valid, Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn an_answer_is_kept_for_a_day() {
        let cache = TinCache::default();
        let id = TaxpayerId {
            kind: TaxpayerIdKind::Brn,
            value: "202001234567".into(),
        };
        cache.put("C25845632020", &id, true).await;
        assert_eq!(cache.get("C25845632020", &id).await, Some(true));
        assert_eq!(cache.get("C1", &id).await, None);
        tokio::time::advance(KEPT_FOR).await;
        assert_eq!(cache.get("C25845632020", &id).await, None);
    }
}
