//! Signature links: how they are made (a random token, its SHA-256, the URL the customer
//! opens) and the settings of the public page they open.

use chrono::TimeDelta;
use rand::{RngCore as _, rngs::OsRng};
use sha2::{Digest as _, Sha256};

use niaga_domain::values::Sha256Hex;

/// How signature links are made and the public page is guarded.
#[derive(Debug, Clone)]
pub struct SigningSettings {
    /// Where customers reach this API from outside, without a trailing slash
    /// (`https://niaga.example.com.my`): links are `<base>/sign/<token>`.
    pub public_base_url: String,
    /// How long a new link works.
    pub link_ttl: TimeDelta,
    /// Requests per minute one client address may make to the public page (per instance).
    pub requests_per_minute: u32,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            public_base_url: "http://127.0.0.1:8080".into(),
            link_ttl: TimeDelta::hours(24),
            requests_per_minute: 30,
        }
    }
}

/// A signature link's token: 256 bits from the operating system's CSPRNG, as 64 hex digits.
/// Held only long enough to answer the request that made it; `Debug` does not show it.
pub(crate) struct Token(String);

impl Token {
    pub(crate) fn generate() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// The SHA-256 of a token as the link carries it: all the domain and the database keep.
pub(crate) fn token_sha256(token: &str) -> Sha256Hex {
    // 64 hex digits always parse; `parse` is the one way to make the value.
    Sha256Hex::parse(&hex::encode(Sha256::digest(token.as_bytes())))
        .unwrap_or_else(|_| unreachable!("a SHA-256 in hex is 64 hex digits"))
}

/// Whether `text` looks like a token at all (64 hex digits): anything else is answered
/// without a database look-up.
pub(crate) fn looks_like_token(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `<base>/sign/<token>`.
pub(crate) fn link_url(settings: &SigningSettings, token: &Token) -> String {
    format!(
        "{}/sign/{}",
        settings.public_base_url.trim_end_matches('/'),
        token.as_str()
    )
}

/// A WhatsApp share link (`https://wa.me/?text=…`) with `message` percent-encoded: staff
/// pick the chat, the customer gets the text with the link.
pub(crate) fn whatsapp_url(message: &str) -> String {
    let mut encoded = String::with_capacity(message.len() * 3);
    for byte in message.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(char::from(byte));
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("https://wa.me/?text={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_in_hex_and_never_debug_printed() {
        let (a, b) = (Token::generate(), Token::generate());
        assert!(looks_like_token(a.as_str()));
        assert_ne!(a.as_str(), b.as_str());
        assert!(!format!("{a:?}").contains(a.as_str()));
        assert_eq!(token_sha256("abc").as_str().len(), 64);
    }

    #[test]
    fn the_share_link_percent_encodes_the_message() {
        assert_eq!(
            whatsapp_url("Sign: https://x.my/sign/ab?c"),
            "https://wa.me/?text=Sign%3A%20https%3A%2F%2Fx.my%2Fsign%2Fab%3Fc"
        );
    }
}
