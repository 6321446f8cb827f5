//! MyInvois's endpoints as one enum: rate limits and fault rules are per endpoint (LHDN.md
//! §1.3), so requests are classified once, from method and path.

use axum::http::Method;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Token,
    DocumentTypes,
    Notifications,
    ValidateTin,
    SearchTin,
    QrCodeInfo,
    Submit,
    GetSubmission,
    /// Cancel and reject share the path and the limit.
    DocumentState,
    Recent,
    Raw,
    Details,
    Search,
}

impl Endpoint {
    /// Requests per minute per client id, as documented (LHDN.md §1.3); `None`: unlimited.
    /// Written apart from `niaga_lhdn`'s own table on purpose: the sandbox is what our client
    /// is tested against, and one shared table would let the same mistake pass both.
    pub fn documented_rpm(self) -> Option<u32> {
        match self {
            Self::Token | Self::DocumentState | Self::Recent | Self::Search => Some(12),
            Self::ValidateTin | Self::SearchTin | Self::QrCodeInfo | Self::Raw => Some(60),
            Self::Submit => Some(100),
            Self::GetSubmission => Some(300),
            Self::Details => Some(125),
            Self::DocumentTypes | Self::Notifications => None,
        }
    }

    /// The endpoint a request is for; `None` for anything that is not MyInvois's API (the
    /// sandbox's admin routes, the portal page, unknown paths).
    pub fn classify(method: &Method, path: &str) -> Option<Self> {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .map(|s| s.trim())
            .collect();
        let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let get = method == Method::GET;
        match lower.as_slice() {
            ["connect", "token"] if method == Method::POST => Some(Self::Token),
            ["api", "v1.0", rest @ ..] => match rest {
                ["documenttypes", ..] if get => Some(Self::DocumentTypes),
                ["notifications", "taxpayer"] if get => Some(Self::Notifications),
                ["taxpayer", "validate", _] if get => Some(Self::ValidateTin),
                ["taxpayer", "search", "tin"] if get => Some(Self::SearchTin),
                ["taxpayers", "qrcodeinfo", _] if get => Some(Self::QrCodeInfo),
                ["documentsubmissions"] if method == Method::POST => Some(Self::Submit),
                ["documentsubmissions", _] if get => Some(Self::GetSubmission),
                ["documents", "state", _, "state"] if method == Method::PUT => {
                    Some(Self::DocumentState)
                }
                ["documents", "recent"] if get => Some(Self::Recent),
                ["documents", "search"] if get => Some(Self::Search),
                ["documents", _, "raw"] if get => Some(Self::Raw),
                ["documents", _, "details"] if get => Some(Self::Details),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classified_by_method_and_path() {
        let cases = [
            (Method::POST, "/connect/token", Some(Endpoint::Token)),
            (
                Method::POST,
                "/api/v1.0/documentsubmissions/",
                Some(Endpoint::Submit),
            ),
            (
                Method::GET,
                "/api/v1.0/documentsubmissions/ABC",
                Some(Endpoint::GetSubmission),
            ),
            (
                Method::PUT,
                "/api/v1.0/documents/state/X/state",
                Some(Endpoint::DocumentState),
            ),
            (
                Method::GET,
                "/api/v1.0/documents/recent",
                Some(Endpoint::Recent),
            ),
            (
                Method::GET,
                "/api/v1.0/documents/X/raw",
                Some(Endpoint::Raw),
            ),
            (Method::GET, "/_sandbox/clock", None),
        ];
        for (method, path, expected) in cases {
            assert_eq!(Endpoint::classify(&method, path), expected, "{path}");
        }
    }
}
