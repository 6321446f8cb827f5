//! The HTML of the public signature page. Everything inline (no scripts, fonts or styles
//! from anywhere else: the customer's phone may be on a poor connection, and nothing from
//! another origin runs beside the token), sized for a phone.

use std::sync::LazyLock;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// What the summary shows of the delivery order.
pub(super) struct Summary {
    pub reference: String,
    pub source: String,
    pub customer: String,
    pub address_lines: Vec<String>,
    pub dispatched: String,
    /// (description, quantity and unit, serials)
    pub lines: Vec<(String, String, String)>,
}

/// HTML-escapes text for element content and quoted attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The summary fragment, for reading on a phone. What the signature's evidence records as
/// shown is the delivery order PDF the page links to (`?pdf`), by its SHA-256.
pub(super) fn summary_html(s: &Summary) -> String {
    let mut html = String::from("<section id=\"summary\"><dl>");
    for (term, value) in [
        ("Delivery order", escape(&s.reference)),
        ("For", escape(&s.source)),
        ("Customer", escape(&s.customer)),
        (
            "Deliver to",
            s.address_lines
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("<br>"),
        ),
        ("Dispatched", escape(&s.dispatched)),
    ] {
        html.push_str(&format!("<dt>{term}</dt><dd>{value}</dd>"));
    }
    html.push_str("</dl><table><thead><tr><th>#</th><th>Item</th><th>Qty</th></tr></thead><tbody>");
    for (n, (description, quantity, serials)) in (1..).zip(&s.lines) {
        let serials = if serials.is_empty() {
            String::new()
        } else {
            format!("<br><small>{}</small>", escape(serials))
        };
        html.push_str(&format!(
            "<tr><td>{n}</td><td>{}{serials}</td><td>{}</td></tr>",
            escape(description),
            escape(quantity)
        ));
    }
    html.push_str("</tbody></table></section>");
    html
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#f4f4f4}\
main{max-width:640px;margin:0 auto;padding:16px;background:#fff;min-height:100vh}\
.pdf small{word-break:break-all;color:#555}\
h1{font-size:1.3rem;margin:0 0 12px}\
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 12px}\
dt{font-weight:600}dd{margin:0}\
table{width:100%;border-collapse:collapse;margin-bottom:16px}\
th,td{border-bottom:1px solid #ddd;padding:6px 4px;text-align:left;vertical-align:top}\
label{display:block;font-weight:600;margin:12px 0 4px}\
input[type=text],textarea{width:100%;font:inherit;padding:10px;border:1px solid #999;border-radius:6px}\
#pad{display:block;width:100%;height:200px;border:2px dashed #888;border-radius:6px;background:#fff;touch-action:none}\
.buttons{display:flex;gap:12px;margin-top:12px}\
button{flex:1;font:inherit;font-weight:600;padding:14px;border-radius:6px;border:1px solid #555;background:#eee}\
button[type=submit]{background:#0b5cad;color:#fff;border-color:#0b5cad}\
.error{color:#b00020;font-weight:600;min-height:1.4em}\
details{margin-top:24px}";

/// The signature pad: pointer events, so touch, pen and mouse all draw; the canvas keeps
/// its drawing at the device's pixel ratio; the drawing goes into the form as a PNG data
/// URL on submit.
const SCRIPT: &str = "\
(function(){\
var pad=document.getElementById('pad'),ctx=pad.getContext('2d'),drawn=false,last=null;\
function size(){var r=window.devicePixelRatio||1,b=pad.getBoundingClientRect();\
pad.width=Math.round(b.width*r);pad.height=Math.round(b.height*r);\
ctx.setTransform(r,0,0,r,0,0);ctx.lineWidth=2.5;ctx.lineCap='round';ctx.lineJoin='round';\
ctx.strokeStyle='#0d1b5e';drawn=false;}\
function at(e){var b=pad.getBoundingClientRect();return{x:e.clientX-b.left,y:e.clientY-b.top};}\
pad.addEventListener('pointerdown',function(e){e.preventDefault();pad.setPointerCapture(e.pointerId);\
last=at(e);ctx.beginPath();ctx.arc(last.x,last.y,1.2,0,6.3);ctx.fillStyle=ctx.strokeStyle;ctx.fill();drawn=true;});\
pad.addEventListener('pointermove',function(e){if(!last)return;e.preventDefault();var p=at(e);\
ctx.beginPath();ctx.moveTo(last.x,last.y);ctx.lineTo(p.x,p.y);ctx.stroke();last=p;drawn=true;});\
function end(){last=null;}\
pad.addEventListener('pointerup',end);pad.addEventListener('pointercancel',end);\
document.getElementById('clear').addEventListener('click',function(){ctx.clearRect(0,0,pad.width,pad.height);drawn=false;});\
document.getElementById('sign-form').addEventListener('submit',function(e){\
var err=document.getElementById('error'),name=document.getElementById('signer-name').value.trim();\
if(!name){e.preventDefault();err.textContent='Please type your name.';return;}\
if(!drawn){e.preventDefault();err.textContent='Please sign in the box.';return;}\
document.getElementById('signature').value=pad.toDataURL('image/png');\
document.getElementById('submit').disabled=true;});\
size();window.addEventListener('resize',function(){if(!drawn)size();});\
})();";

fn csp_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The page's Content-Security-Policy: nothing from anywhere, but for its own inline style
/// and script (by hash) and the data URL images it makes; forms post back to itself only.
pub(super) static CSP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; form-action 'self'; \
         base-uri 'none'; frame-ancestors 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
});

fn document(title: &str, body: &str, script: bool) -> String {
    let script = if script {
        format!("<script>{SCRIPT}</script>")
    } else {
        String::new()
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main>{script}</body></html>"
    )
}

/// The page to sign or refuse: the summary, the name, the pad, Clear and Submit, and a
/// refusal form. Both forms post back to the page's own URL (no action attribute): the
/// token stays in the address bar and nowhere in the HTML.
pub(super) fn sign_page(summary: &str, shown_sha256: &str, name: &str, error: &str) -> String {
    let body = format!(
        "<h1>Please check and sign for your delivery</h1>{summary}\
         <p class=\"pdf\"><a href=\"?pdf\" id=\"pdf-link\">Open the delivery order (PDF)</a><br>\
         <small>SHA-256 {shown_sha256}</small></p>\
         <form method=\"post\" id=\"sign-form\">\
         <input type=\"hidden\" name=\"action\" value=\"sign\">\
         <input type=\"hidden\" name=\"shown_sha256\" value=\"{shown_sha256}\">\
         <input type=\"hidden\" name=\"signature\" id=\"signature\">\
         <label for=\"signer-name\">Your name</label>\
         <input type=\"text\" id=\"signer-name\" name=\"name\" autocomplete=\"name\" maxlength=\"150\" value=\"{name}\">\
         <label for=\"pad\">Sign in the box</label><canvas id=\"pad\"></canvas>\
         <p class=\"error\" id=\"error\" role=\"alert\">{error}</p>\
         <div class=\"buttons\"><button type=\"button\" id=\"clear\">Clear</button>\
         <button type=\"submit\" id=\"submit\">Submit</button></div></form>\
         <details><summary>Something wrong? Refuse to sign</summary>\
         <form method=\"post\" id=\"refuse-form\">\
         <input type=\"hidden\" name=\"action\" value=\"refuse\">\
         <label for=\"reason\">What is wrong (damaged, short, wrong items…)</label>\
         <textarea id=\"reason\" name=\"reason\" rows=\"3\" maxlength=\"300\"></textarea>\
         <div class=\"buttons\"><button type=\"submit\" id=\"refuse\">Refuse to sign</button></div>\
         </form></details>",
        name = escape(name),
        error = escape(error),
    );
    document("Sign for your delivery", &body, true)
}

/// After signing.
pub(super) fn signed_page(name: &str) -> String {
    document(
        "Signed",
        &format!(
            "<h1>Thank you, {}</h1><p id=\"done\">Your signature was recorded. You may close this page.</p>",
            escape(name)
        ),
        false,
    )
}

/// After refusing.
pub(super) fn refused_page() -> String {
    document(
        "Refusal recorded",
        "<h1>Thank you</h1><p id=\"done\">We recorded that you did not sign, and why. We will contact you.</p>",
        false,
    )
}

/// The one answer for a link that is unknown, used, expired or revoked, or a delivery
/// order that can no longer be signed: the same bytes every time, so the page tells
/// nobody which tokens exist.
pub(super) static BLAND: LazyLock<String> = LazyLock::new(|| {
    document(
        "Link not available",
        "<h1>This link cannot be used</h1><p>It may have been used already or have expired. \
         Please ask the sender for a new link.</p>",
        false,
    )
});

/// Too many requests from one address.
pub(super) static SLOW_DOWN: LazyLock<String> = LazyLock::new(|| {
    document(
        "Please wait",
        "<h1>Please wait a minute</h1><p>Too many requests. Try again in a minute.</p>",
        false,
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_records_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
        );
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        let page = sign_page("<section></section>", "00", "", "");
        for external in ["src=", "@import", "url(", "http://", "https://"] {
            assert!(!page.contains(external), "{external}");
        }
        // The one link is to the page's own PDF (`?pdf`, same path, no token in the HTML).
        assert_eq!(page.matches("href=").count(), 1);
        assert!(page.contains("href=\"?pdf\""));
        assert!(CSP.contains("default-src 'none'"));
    }
}
