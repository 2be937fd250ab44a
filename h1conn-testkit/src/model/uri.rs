//! URIs in requests: the RFC 3986 rules the request-target and Host are made of, one recogniser per
//! ABNF rule, then the Host field (RFC 9110 §7.2) and the forms of the request-target and which
//! method each belongs to (RFC 9112 §3.2).

use super::abnf::{
    alpha, alt, cat, digit, exact, hexdig, matches, octet, opt, plus, rep, star, text, times, Ends,
};
use super::{v, Violation};

// ---- RFC 3986 §2: characters -----------------------------------------------------------------------

/// §2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
pub fn unreserved(b: u8) -> bool {
    alpha(b) || digit(b) || b"-._~".contains(&b)
}

/// §2.2: sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
pub fn sub_delims(b: u8) -> bool {
    b"!$&'()*+,;=".contains(&b)
}

/// §2.1: pct-encoded = "%" HEXDIG HEXDIG
pub fn pct_encoded(s: &[u8], at: usize) -> Ends {
    cat![text("%"), octet(hexdig), octet(hexdig)](s, at)
}

// ---- RFC 3986 §3.2.2: host -------------------------------------------------------------------------

/// dec-octet = DIGIT                 ; 0-9
///           / %x31-39 DIGIT         ; 10-99
///           / "1" 2DIGIT            ; 100-199
///           / "2" %x30-34 DIGIT     ; 200-249
///           / "25" %x30-35          ; 250-255
pub fn dec_octet(s: &[u8], at: usize) -> Ends {
    alt![
        octet(digit),
        cat![octet(|b| matches!(b, 0x31..=0x39)), octet(digit)],
        cat![text("1"), times(2, octet(digit))],
        cat![text("2"), octet(|b| matches!(b, 0x30..=0x34)), octet(digit)],
        cat![text("25"), octet(|b| matches!(b, 0x30..=0x35))],
    ](s, at)
}

/// IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet
pub fn ipv4address(s: &[u8], at: usize) -> Ends {
    cat![
        dec_octet,
        text("."),
        dec_octet,
        text("."),
        dec_octet,
        text("."),
        dec_octet
    ](s, at)
}

/// h16 = 1*4HEXDIG ; 16 bits of address represented in hexadecimal
pub fn h16(s: &[u8], at: usize) -> Ends {
    rep(1, Some(4), octet(hexdig))(s, at)
}

/// ls32 = ( h16 ":" h16 ) / IPv4address ; least-significant 32 bits of address
pub fn ls32(s: &[u8], at: usize) -> Ends {
    alt![cat![h16, text(":"), h16], ipv4address](s, at)
}

/// IPv6address =                            6( h16 ":" ) ls32
///             /                       "::" 5( h16 ":" ) ls32
///             / [               h16 ] "::" 4( h16 ":" ) ls32
///             / [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32
///             / [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32
///             / [ *3( h16 ":" ) h16 ] "::"    h16 ":"   ls32
///             / [ *4( h16 ":" ) h16 ] "::"              ls32
///             / [ *5( h16 ":" ) h16 ] "::"              h16
///             / [ *6( h16 ":" ) h16 ] "::"
pub fn ipv6address(s: &[u8], at: usize) -> Ends {
    // ( h16 ":" )
    let h16_colon = || cat![h16, text(":")];
    // [ *n( h16 ":" ) h16 ]
    let upto = |n| opt(cat![rep(0, Some(n), h16_colon()), h16]);
    alt![
        cat![times(6, h16_colon()), ls32],
        cat![text("::"), times(5, h16_colon()), ls32],
        cat![opt(h16), text("::"), times(4, h16_colon()), ls32],
        cat![upto(1), text("::"), times(3, h16_colon()), ls32],
        cat![upto(2), text("::"), times(2, h16_colon()), ls32],
        cat![upto(3), text("::"), h16_colon(), ls32],
        cat![upto(4), text("::"), ls32],
        cat![upto(5), text("::"), h16],
        cat![upto(6), text("::")],
    ](s, at)
}

/// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
pub fn ipvfuture(s: &[u8], at: usize) -> Ends {
    cat![
        text("v"),
        plus(octet(hexdig)),
        text("."),
        plus(octet(|b| unreserved(b) || sub_delims(b) || b == b':'))
    ](s, at)
}

/// IP-literal = "[" ( IPv6address / IPvFuture ) "]"
pub fn ip_literal(s: &[u8], at: usize) -> Ends {
    cat![text("["), alt![ipv6address, ipvfuture], text("]")](s, at)
}

/// reg-name = *( unreserved / pct-encoded / sub-delims )
pub fn reg_name(s: &[u8], at: usize) -> Ends {
    star(alt![octet(|b| unreserved(b) || sub_delims(b)), pct_encoded])(s, at)
}

/// host = IP-literal / IPv4address / reg-name
pub fn host(s: &[u8], at: usize) -> Ends {
    alt![ip_literal, ipv4address, reg_name](s, at)
}

/// §3.2.3: port = *DIGIT
pub fn port(s: &[u8], at: usize) -> Ends {
    star(octet(digit))(s, at)
}

// ---- RFC 3986 §3: the rest of a URI ----------------------------------------------------------------

/// §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
pub fn scheme(s: &[u8], at: usize) -> Ends {
    cat![
        octet(alpha),
        star(octet(|b| alpha(b) || digit(b) || b"+-.".contains(&b)))
    ](s, at)
}

/// §3.2.1: userinfo = *( unreserved / pct-encoded / sub-delims / ":" )
pub fn userinfo(s: &[u8], at: usize) -> Ends {
    star(alt![
        octet(|b| unreserved(b) || sub_delims(b) || b == b':'),
        pct_encoded
    ])(s, at)
}

/// §3.2: `authority = [ userinfo "@" ] host [ ":" port ]`
pub fn authority(s: &[u8], at: usize) -> Ends {
    cat![opt(cat![userinfo, text("@")]), host, opt(cat![text(":"), port])](s, at)
}

/// §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
pub fn pchar(s: &[u8], at: usize) -> Ends {
    alt![
        octet(|b| unreserved(b) || sub_delims(b) || b == b':' || b == b'@'),
        pct_encoded
    ](s, at)
}

/// §3.3: segment = *pchar
pub fn segment(s: &[u8], at: usize) -> Ends {
    star(pchar)(s, at)
}

/// §3.3: path-abempty = *( "/" segment )
pub fn path_abempty(s: &[u8], at: usize) -> Ends {
    star(cat![text("/"), segment])(s, at)
}

/// §3.3: path-absolute = "/" [ segment-nz *( "/" segment ) ]; segment-nz = 1*pchar
pub fn path_absolute(s: &[u8], at: usize) -> Ends {
    cat![text("/"), opt(cat![plus(pchar), path_abempty])](s, at)
}

/// §3.3: path-rootless = segment-nz *( "/" segment )
pub fn path_rootless(s: &[u8], at: usize) -> Ends {
    cat![plus(pchar), path_abempty](s, at)
}

/// §3.4: query = *( pchar / "/" / "?" )
pub fn query(s: &[u8], at: usize) -> Ends {
    star(alt![pchar, text("/"), text("?")])(s, at)
}

/// §3: hier-part = "//" authority path-abempty / path-absolute / path-rootless / path-empty
/// (`path-empty = 0<pchar>` matches the empty string: an optional hier-part)
pub fn hier_part(s: &[u8], at: usize) -> Ends {
    opt(alt![
        cat![text("//"), authority, path_abempty],
        path_absolute,
        path_rootless
    ])(s, at)
}

/// §4.3: absolute-URI = scheme ":" hier-part [ "?" query ]
pub fn absolute_uri(s: &[u8], at: usize) -> Ends {
    cat![scheme, text(":"), hier_part, opt(cat![text("?"), query])](s, at)
}

// ---- RFC 9110: Host, and what "http" URIs add ------------------------------------------------------

/// RFC 9110 §7.2: Host = uri-host [ ":" port ], uri-host being RFC 3986 host.
pub fn host_field(s: &[u8], at: usize) -> Ends {
    cat![host, opt(cat![text(":"), port])](s, at)
}

/// True when `value` is a valid Host field value (RFC 9110 §7.2). An empty value is valid: a
/// target URI without an authority is sent with an empty Host.
pub fn is_valid_host(value: &[u8]) -> bool {
    matches(host_field, value)
}

/// A host that is not empty: RFC 9110 §4.2.1 "A sender MUST NOT generate an "http" URI with an
/// empty host identifier. A recipient that processes such a URI reference MUST reject it as
/// invalid." (§4.2.2 says the same of "https"), and a CONNECT target names a tunnel destination.
/// Only reg-name can be empty, so: IP-literal / IPv4address / 1*( reg-name's octets ).
fn host_not_empty(s: &[u8], at: usize) -> Ends {
    alt![
        ip_literal,
        ipv4address,
        plus(alt![octet(|b| unreserved(b) || sub_delims(b)), pct_encoded])
    ](s, at)
}

/// An "http" or "https" absolute-URI as a server may accept it in a request (RFC 9110 §4.2.1,
/// §4.2.2): the scheme (case-insensitive, RFC 3986 §3.1), "//", a host that is not empty, no
/// userinfo (§4.2.4: "A sender MUST NOT generate the userinfo subcomponent ... a recipient SHOULD
/// parse for userinfo and treat its presence as an error"), then path and query.
fn http_absolute_uri(s: &[u8], at: usize) -> Ends {
    cat![
        text("http"),
        opt(text("s")),
        text("://"),
        host_not_empty,
        opt(cat![text(":"), port]),
        path_abempty,
        opt(cat![text("?"), query])
    ](s, at)
}

/// An absolute-URI with an authority: the `"//" authority path-abempty` alternative of hier-part.
fn absolute_uri_with_authority(s: &[u8], at: usize) -> Ends {
    cat![
        scheme,
        text("://"),
        authority,
        path_abempty,
        opt(cat![text("?"), query])
    ](s, at)
}

// ---- RFC 9112 §3.2: the forms of the request-target ------------------------------------------------

/// RFC 9110 §4.1: absolute-path = 1*( "/" segment ); RFC 9112 §3.2.1:
/// origin-form = absolute-path [ "?" query ]
pub fn origin_form(s: &[u8], at: usize) -> Ends {
    cat![plus(cat![text("/"), segment]), opt(cat![text("?"), query])](s, at)
}

/// RFC 9112 §3.2.3: authority-form = uri-host ":" port
pub fn authority_form(s: &[u8], at: usize) -> Ends {
    cat![host, text(":"), port](s, at)
}

/// RFC 9112 §3.2.4: asterisk-form = "*"
pub fn asterisk_form(s: &[u8], at: usize) -> Ends {
    exact(b"*")(s, at)
}

/// RFC 9112 §3.2: request-target = origin-form / absolute-form / authority-form / asterisk-form
/// (absolute-form = absolute-URI).
pub fn request_target(s: &[u8], at: usize) -> Ends {
    alt![origin_form, absolute_uri, authority_form, asterisk_form](s, at)
}

/// The prefix every violation of a request-target rule carries in its `rule`.
pub const TARGET_RULE: &str = "RFC 9112 §3.2 request-target";

fn target_violation(why: &'static str) -> Option<Violation> {
    Some(v(400, why))
}

/// RFC 9110 §9.3.6: "A server MUST reject a CONNECT request that targets an empty or invalid port
/// number, typically by responding with a 400 (Bad Request) status code." A port number is
/// 16 bits (RFC 9293 §3.1), so digits naming a larger number name no port.
fn port_number(digits: &[u8]) -> bool {
    let significant = digits.iter().skip_while(|&&d| d == b'0').count();
    !digits.is_empty()
        && significant <= 5
        && digits.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')) <= 65535
}

/// A CONNECT target: uri-host ":" port naming a destination (RFC 9110 §9.3.6). The concatenation
/// may split anywhere a ":" stands; some split must give a host that is not empty and a port
/// number.
fn connect_target_ok(t: &[u8]) -> bool {
    (0..t.len()).any(|k| {
        t[k] == b':'
            && matches(host_not_empty, &t[..k])
            && matches(plus(octet(digit)), &t[k + 1..])
            && port_number(&t[k + 1..])
    })
}

/// RFC 9112 §3.2: whether `target` is a request-target of a form that fits `method`, as the strict
/// profile serves it. `None`: acceptable.
pub fn target_rule(method: &[u8], target: &[u8]) -> Option<Violation> {
    let is = |form: fn(&[u8], usize) -> Ends| matches(form, target);
    if !is(request_target) {
        // RFC 9112 §3: "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad
        // Request) error or a 301 (Moved Permanently) redirect with the request-target properly
        // encoded", and "SHOULD NOT attempt to autocorrect and then process the request without a
        // redirect". Octets outside RFC 3986 (obs-text among them) make the line invalid. No MAY
        // lets a server take them: the strict profile refuses them; the lenient profile's
        // allow_obs_text_in_target and allow_unencoded_ascii_in_target go beyond the RFC, as nginx
        // does, and are not modelled.
        return target_violation("RFC 9112 §3.2 request-target: not in the URI grammar");
    }
    if method == b"CONNECT" {
        // RFC 9112 §3.2.3 and RFC 9110 §9.3.6: CONNECT takes the authority-form and no other.
        return match is(authority_form) && connect_target_ok(target) {
            true => None,
            false => target_violation("RFC 9112 §3.2 request-target: CONNECT needs host:port"),
        };
    }
    if is(origin_form) {
        return None;
    }
    if is(asterisk_form) {
        // §3.2.4: "only used for a server-wide OPTIONS request".
        return match method == b"OPTIONS" {
            true => None,
            false => target_violation("RFC 9112 §3.2 request-target: * without OPTIONS"),
        };
    }
    if is(absolute_uri) {
        // §3.2.2: "A server MUST accept the absolute-form in requests". An "http" or "https" target
        // must name a host and carry no userinfo (RFC 9110 §4.2.1, §4.2.4).
        let http = cat![text("http"), opt(text("s")), text(":")];
        if could_start_with(&http, target) {
            return match is(http_absolute_uri) {
                true => None,
                false => {
                    target_violation("RFC 9112 §3.2 request-target: http URI without host or with userinfo")
                }
            };
        }
        // CHOICE: RFC 9110 §7.4 leaves to the server whether it serves a target URI ("respond with
        // an error" is one of its options); the strict profile, an origin server, serves
        // absolute-form targets with an authority ("scheme://...") and answers 400 to the others,
        // such as "urn:x" (no Profile field serves them).
        return match is(absolute_uri_with_authority) {
            true => None,
            false => target_violation("RFC 9112 §3.2 request-target: absolute-form without authority"),
        };
    }
    // §3.2.3: "The authority-form of request-target is only used for CONNECT requests".
    target_violation("RFC 9112 §3.2 request-target: authority-form without CONNECT")
}

/// True when `s` begins with something `rule` matches.
fn could_start_with(rule: impl Fn(&[u8], usize) -> Ends, s: &[u8]) -> bool {
    rule(s, 0).iter().any(|&e| e <= s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3986_3_2_2_examples() {
        for ok in [
            "::1",
            "::",
            "1:2:3:4:5:6:7:8",
            "fe80::1",
            "::ffff:192.0.2.1",
            "1::",
            "1:2:3:4:5:6:7::",
        ] {
            assert!(matches(ipv6address, ok.as_bytes()), "{ok}");
        }
        for bad in [
            "::1::2",
            "1:2:3:4:5:6:7:8:9",
            "12345::",
            ":1",
            "1:",
            "::256.1.1.1",
            "::01.2.3.4",
            "",
        ] {
            assert!(!matches(ipv6address, bad.as_bytes()), "{bad}");
        }
        assert!(is_valid_host(b"[V1.x:y]:80"));
        assert!(is_valid_host(b""));
        assert!(!is_valid_host(b"x@y"));
    }
}
