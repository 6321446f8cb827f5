//! Fault injection: the failures a client meets in production (LHDN.md Pitfalls 17, §1.5) on
//! demand. A rule targets an endpoint (or all) and fires a number of times or always.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::endpoint::Endpoint;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawFaultRule")]
pub struct FaultRule {
    /// `None`: every MyInvois endpoint. Ignored by `slow_validation` and `late_long_id`,
    /// which act on the validation of the next submissions.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    #[serde(flatten)]
    pub action: FaultAction,
    /// How many times the rule fires; `None`: always.
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn new(endpoint: Option<Endpoint>, action: FaultAction, times: Option<u32>) -> Self {
        Self {
            endpoint,
            action,
            times,
        }
    }
}

/// A rule as written (TOML or JSON): every key of every action, unknown keys refused, which
/// serde cannot do through the flattened `action` (a typo such as `time = 1` would otherwise
/// make a one-off fault permanent).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaultRule {
    #[serde(default)]
    endpoint: Option<Endpoint>,
    action: ActionName,
    status: Option<u16>,
    seconds: Option<u64>,
    then: Option<FailMode>,
    #[serde(default)]
    times: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ActionName {
    Status,
    Maintenance,
    SlowValidation,
    LateLongId,
    AcceptThenFail,
}

impl TryFrom<RawFaultRule> for FaultRule {
    type Error = String;

    fn try_from(raw: RawFaultRule) -> Result<Self, String> {
        let (needs, action) = match raw.action {
            ActionName::Status => (
                "status",
                raw.status
                    .filter(|s| (500..=599).contains(s))
                    .map(|status| FaultAction::Status { status }),
            ),
            ActionName::Maintenance => ("", Some(FaultAction::Maintenance)),
            ActionName::SlowValidation => (
                "seconds",
                raw.seconds
                    .map(|seconds| FaultAction::SlowValidation { seconds }),
            ),
            ActionName::LateLongId => (
                "seconds",
                raw.seconds
                    .map(|seconds| FaultAction::LateLongId { seconds }),
            ),
            ActionName::AcceptThenFail => (
                "then",
                raw.then.map(|then| FaultAction::AcceptThenFail { then }),
            ),
        };
        let given = [
            ("status", raw.status.is_some()),
            ("seconds", raw.seconds.is_some()),
            ("then", raw.then.is_some()),
        ];
        if let Some((key, _)) = given.iter().find(|(key, given)| *given && *key != needs) {
            return Err(format!("`{key}` does not belong to this action"));
        }
        let action = action.ok_or_else(|| match needs {
            "status" => "`status` (500 to 599) is required".to_owned(),
            key => format!("`{key}` is required"),
        })?;
        Ok(Self {
            endpoint: raw.endpoint,
            action,
            times: raw.times,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer this status (500 or 503) without doing anything.
    Status { status: u16 },
    /// LHDN's HTML maintenance page with 403, seen for large documents.
    Maintenance,
    /// Validate the next submissions after this many seconds instead of the configured delay.
    SlowValidation { seconds: u64 },
    /// Valid documents get their `longId` this many seconds after becoming Valid.
    LateLongId { seconds: u64 },
    /// Do the work (a submission is accepted and validated), then answer 500 or drop the
    /// connection: how a client experiences a crash or network loss after LHDN accepted.
    AcceptThenFail { then: FailMode },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailMode {
    Status500,
    Drop,
}

/// When in a request a fault acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Before the request is handled: `status`, `maintenance`.
    Before,
    /// After it was handled: `accept_then_fail`.
    After,
    /// When a submission's validation is scheduled: `slow_validation`, `late_long_id`.
    Validation,
}

impl FaultAction {
    fn stage(self) -> Stage {
        match self {
            Self::Status { .. } | Self::Maintenance => Stage::Before,
            Self::AcceptThenFail { .. } => Stage::After,
            Self::SlowValidation { .. } | Self::LateLongId { .. } => Stage::Validation,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub(crate) fn new(rules: Vec<FaultRule>) -> Self {
        Self {
            rules: Mutex::new(rules),
        }
    }

    pub(crate) fn add(&self, rule: FaultRule) {
        self.lock().push(rule);
    }

    pub(crate) fn list(&self) -> Vec<FaultRule> {
        self.lock().clone()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// Fires the first rule of `stage` matching `endpoint`, counting it down.
    pub(crate) fn fire(&self, stage: Stage, endpoint: Option<Endpoint>) -> Option<FaultAction> {
        self.fire_where(|rule| {
            rule.action.stage() == stage && (rule.endpoint.is_none() || rule.endpoint == endpoint)
        })
    }

    /// The validation faults for one submission: at most one slow validation and one late
    /// `longId`, each counted down.
    pub(crate) fn fire_validation(&self) -> ValidationFaults {
        let slow = self.fire_where(|r| matches!(r.action, FaultAction::SlowValidation { .. }));
        let late = self.fire_where(|r| matches!(r.action, FaultAction::LateLongId { .. }));
        ValidationFaults {
            delay_seconds: match slow {
                Some(FaultAction::SlowValidation { seconds }) => Some(seconds),
                _ => None,
            },
            long_id_after_seconds: match late {
                Some(FaultAction::LateLongId { seconds }) => Some(seconds),
                _ => None,
            },
        }
    }

    fn fire_where(&self, matches: impl Fn(&FaultRule) -> bool) -> Option<FaultAction> {
        let mut rules = self.lock();
        let index = rules.iter().position(matches)?;
        let action = rules[index].action;
        if let Some(times) = &mut rules[index].times {
            *times = times.saturating_sub(1);
            if *times == 0 {
                rules.remove(index);
            }
        }
        Some(action)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        // A panic while holding this lock cannot leave the list half-written: recover it.
        self.rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ValidationFaults {
    pub(crate) delay_seconds: Option<u64>,
    pub(crate) long_id_after_seconds: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_fires_its_number_of_times_then_goes() {
        let faults = Faults::new(vec![FaultRule::new(
            Some(Endpoint::Submit),
            FaultAction::Status { status: 503 },
            Some(2),
        )]);
        assert_eq!(faults.fire(Stage::Before, Some(Endpoint::Token)), None);
        assert!(faults.fire(Stage::Before, Some(Endpoint::Submit)).is_some());
        assert!(faults.fire(Stage::Before, Some(Endpoint::Submit)).is_some());
        assert_eq!(faults.fire(Stage::Before, Some(Endpoint::Submit)), None);
    }

    #[test]
    fn a_rule_without_endpoint_or_count_fires_everywhere_always() {
        let faults = Faults::new(vec![FaultRule::new(None, FaultAction::Maintenance, None)]);
        for _ in 0..3 {
            assert_eq!(
                faults.fire(Stage::Before, Some(Endpoint::Raw)),
                Some(FaultAction::Maintenance)
            );
        }
        assert_eq!(faults.fire(Stage::After, Some(Endpoint::Raw)), None);
    }

    #[test]
    fn rules_read_from_toml() {
        #[derive(Deserialize)]
        struct Rules {
            faults: Vec<FaultRule>,
        }
        let rules: Rules = toml::from_str(
            r#"
            [[faults]]
            endpoint = "submit"
            action = "accept_then_fail"
            then = "drop"
            times = 1
            [[faults]]
            action = "slow_validation"
            seconds = 120
            "#,
        )
        .unwrap();
        assert_eq!(
            rules.faults[0].action,
            FaultAction::AcceptThenFail {
                then: FailMode::Drop
            }
        );
        assert_eq!(rules.faults[1].endpoint, None);
        assert_eq!(rules.faults[1].times, None);
    }

    #[test]
    fn unknown_missing_and_misplaced_keys_are_refused() {
        let parse =
            |text: &str| toml::from_str::<FaultRule>(text).map_err(|e| e.message().to_owned());
        assert!(
            parse("action = \"maintenance\"\ntime = 1")
                .unwrap_err()
                .contains("unknown field")
        );
        assert_eq!(
            parse("action = \"status\""),
            Err("`status` (500 to 599) is required".into())
        );
        assert_eq!(
            parse("action = \"maintenance\"\nseconds = 3"),
            Err("`seconds` does not belong to this action".into())
        );
        let rule = FaultRule::new(
            Some(Endpoint::Raw),
            FaultAction::AcceptThenFail {
                then: FailMode::Drop,
            },
            Some(2),
        );
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(serde_json::from_str::<FaultRule>(&json).unwrap(), rule);
    }
}
