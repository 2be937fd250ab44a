//! The fields a server reads to frame a request, keep the connection and meet expectations: Host
//! (RFC 9112 §3.2), Transfer-Encoding and Content-Length (RFC 9112 §6, RFC 9110 §8.6), Connection
//! (RFC 9110 §7.6.1, RFC 9112 §9.3) and Expect (RFC 9110 §10.1.1).

use super::abnf::{
    alt, cat, digit, is_token, list_members, matches, octet, ows, plus, quoted_string, star, tchar, text,
    token, Ends,
};
use super::uri::is_valid_host;
use super::{v, Body, Violation};

/// A header section: names as sent, values without their OWS.
pub(crate) type Fields = [(Vec<u8>, Vec<u8>)];

/// The values of every field line named `name` (field names are case-insensitive, RFC 9110 §5.1).
pub(crate) fn values<'a>(fields: &'a Fields, name: &str) -> Vec<&'a [u8]> {
    fields
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
        .map(|(_, value)| value.as_slice())
        .collect()
}

/// The members of a list-valued field over all its lines, in order. RFC 9110 §5.3: the lines of a
/// list-valued field mean what their values joined by commas would mean; each line is read as a
/// list of its own so that a quote left open on one line cannot swallow the next.
fn members<'a>(lines: &[&'a [u8]]) -> Vec<&'a [u8]> {
    lines.iter().flat_map(|line| list_members(line)).collect()
}

// ---- Host ------------------------------------------------------------------------------------------

/// RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
/// request message that lacks a Host header field and to any request message that contains more
/// than one Host header field line or a Host header field with an invalid field value."
pub(crate) fn host_rule(http11: bool, fields: &Fields) -> Vec<Violation> {
    let hosts = values(fields, "host");
    let mut found = Vec::new();
    if http11 && hosts.is_empty() {
        found.push(v(400, "RFC 9112 §3.2 HTTP/1.1 request without Host"));
    }
    if hosts.len() > 1 {
        found.push(v(400, "RFC 9112 §3.2 more than one Host field line"));
    }
    if hosts.iter().any(|h| !is_valid_host(h)) {
        found.push(v(400, "RFC 9112 §3.2 Host = uri-host [ \":\" port ]"));
    }
    found
}

// ---- Transfer-Encoding -----------------------------------------------------------------------------

/// RFC 9110 §10.1.4: transfer-parameter = token BWS "=" BWS ( token / quoted-string )
fn transfer_parameter(s: &[u8], at: usize) -> Ends {
    cat![token, ows, text("="), ows, alt![token, quoted_string]](s, at)
}

/// RFC 9110 §10.1.4 (used by RFC 9112 §6.1):
/// transfer-coding = token *( OWS ";" OWS transfer-parameter )
fn transfer_coding(s: &[u8], at: usize) -> Ends {
    cat![token, star(cat![ows, text(";"), ows, transfer_parameter])](s, at)
}

/// The coding named by a transfer-coding: its leading token. RFC 9112 §7: "All transfer-coding
/// names are case-insensitive".
fn coding_name(coding: &[u8]) -> Vec<u8> {
    coding
        .iter()
        .take_while(|&&b| tchar(b))
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// What a request's Transfer-Encoding lines (at least one) say, by RFC 9112 §6.1, §6.3 rule 4 and
/// §7. `Ok(())`: the body is chunked, the one coding this server decodes.
pub fn transfer_encoding_rule(lines: &[&[u8]]) -> Result<(), Vec<Violation>> {
    let codings = members(lines);
    // §6.1: Transfer-Encoding = #transfer-coding. A value outside the grammar names no coding, so
    // chunked is not known to be final either (rule 4 below).
    if !codings.iter().all(|c| matches(transfer_coding, c)) {
        return Err(vec![v(400, "RFC 9112 §6.1 Transfer-Encoding = #transfer-coding")]);
    }
    let names: Vec<Vec<u8>> = codings.iter().map(|c| coding_name(c)).collect();
    let chunked = |name: &Vec<u8>| name == b"chunked";
    let mut found = Vec::new();
    if !names.last().is_some_and(chunked) {
        // §6.3 rule 4: "If a Transfer-Encoding header field is present in a request and the chunked
        // transfer coding is not the final encoding, the message body length cannot be determined
        // reliably; the server MUST respond with the 400 (Bad Request) status code and then close
        // the connection." An empty list has no final coding.
        found.push(v(400, "RFC 9112 §6.3 rule 4 chunked is not the final coding"));
    } else if names.iter().any(|n| !chunked(n)) {
        // §6.1: "A server that receives a request message with a transfer coding it does not
        // understand SHOULD respond with 501 (Not Implemented)." This server decodes chunked alone
        // (§7.1: the coding every recipient must be able to decode).
        found.push(v(501, "RFC 9112 §6.1 transfer coding not understood"));
    }
    if names.iter().filter(|n| chunked(n)).count() > 1 {
        // §6.1: "A sender MUST NOT apply the chunked transfer coding more than once to a message
        // body": such a message is malformed (RFC 9110 §15.5.1).
        found.push(v(400, "RFC 9112 §6.1 chunked applied more than once"));
    }
    if codings
        .iter()
        .zip(&names)
        .any(|(c, n)| chunked(n) && c.len() > n.len())
    {
        // §7.1 defines no parameter for chunked: "chunked" with parameters is malformed, or a
        // variant of chunked this server does not understand; the RFC says which neither, so
        // either status fits.
        found.push(v(400, "RFC 9112 §7.1 parameters on chunked"));
        found.push(v(501, "RFC 9112 §7.1 parameters on chunked"));
    }
    match found.is_empty() {
        true => Ok(()),
        false => Err(found),
    }
}

// ---- Content-Length --------------------------------------------------------------------------------

/// The length a request's Content-Length lines (at least one) announce (RFC 9110 §8.6,
/// RFC 9112 §6.3 rule 5).
pub fn content_length_rule(lines: &[&[u8]]) -> Result<u64, Vec<Violation>> {
    // RFC 9110 §8.6: Content-Length = 1*DIGIT
    let decimal = |value: &[u8]| matches(plus(octet(digit)), value);
    if let [value] = lines {
        if decimal(value) {
            // RFC 9110 §8.6: "a recipient ... MUST anticipate potentially large decimal numerals
            // and prevent parsing errors due to integer conversion overflows". A length past what
            // the server can count is content larger than it is able to process (413, RFC 9110
            // §15.5.14), or a value it cannot use (400).
            return std::str::from_utf8(value)
                .unwrap_or_default()
                .parse::<u64>()
                .map_err(|_| {
                    vec![
                        v(400, "RFC 9110 §8.6 Content-Length beyond 64 bits"),
                        v(413, "RFC 9110 §8.6 Content-Length beyond 64 bits"),
                    ]
                });
        }
    }
    // Not one line of 1*DIGIT. RFC 9110 §5.3: repeated lines mean what their values joined by
    // commas would mean, so a repetition and a list are the same case.
    let list = members(lines);
    let same_decimal = !list.is_empty() && list.iter().all(|m| decimal(m) && numeral(m) == numeral(list[0]));
    if same_decimal {
        // CHOICE: RFC 9110 §8.6 (and RFC 9112 §6.3 rule 5) lets the recipient of one decimal value
        // repeated ("42, 42", or repeated lines) either "reject the message as invalid or replace
        // the duplicated field values with a valid Content-Length field containing that decimal
        // value"; the strict profile rejects (Profile::collapse_identical_content_length
        // replaces).
        return Err(vec![v(400, "RFC 9112 §6.3 rule 5 Content-Length repeated")]);
    }
    // RFC 9112 §6.3 rule 5: "If a message is received without Transfer-Encoding and with an
    // invalid Content-Length header field, then the message framing is invalid ... the server
    // MUST respond with a 400 (Bad Request) status code and then close the connection."
    Err(vec![v(400, "RFC 9112 §6.3 rule 5 invalid Content-Length")])
}

/// A decimal numeral without its leading zeros: numerals left with the same digits name the same
/// number.
fn numeral(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    &digits[zeros..]
}

/// How a request's body is delimited (RFC 9112 §6.3 rules 3 to 7, with §6.1).
pub(crate) fn request_body(http11: bool, fields: &Fields) -> Result<Body, Vec<Violation>> {
    let te = values(fields, "transfer-encoding");
    let cl = values(fields, "content-length");
    if te.is_empty() {
        // Rule 7: "If this is a request message and none of the above are true, then the message
        // body length is zero"; rules 5 and 6 for Content-Length.
        return match cl.is_empty() {
            true => Ok(Body::None),
            false => content_length_rule(&cl).map(Body::Length),
        };
    }
    let mut found = Vec::new();
    if !http11 {
        // §6.1: "A server or client that receives an HTTP/1.0 message containing a
        // Transfer-Encoding header field MUST treat the message as if the framing is faulty, even if
        // a Content-Length is present, and close the connection after processing the message." A
        // faulty framing in a request is answered 400 (rules 4 and 5). (The lenient
        // Profile::allow_transfer_encoding_in_http10 frames such a request by Transfer-Encoding
        // and closes after it.)
        found.push(v(400, "RFC 9112 §6.1 Transfer-Encoding in HTTP/1.0"));
    }
    if !cl.is_empty() {
        // CHOICE: RFC 9112 §6.1 "A server MAY reject a request that contains both Content-Length
        // and Transfer-Encoding or process such a request in accordance with the
        // Transfer-Encoding alone"; the strict profile rejects
        // (Profile::allow_content_length_with_transfer_encoding processes it, then closes).
        found.push(v(400, "RFC 9112 §6.1 Content-Length with Transfer-Encoding"));
    }
    // Rule 3: Transfer-Encoding overrides Content-Length; rule 4 reads it.
    if let Err(broken) = transfer_encoding_rule(&te) {
        found.extend(broken);
    }
    match found.is_empty() {
        true => Ok(Body::Chunked),
        false => Err(found),
    }
}

// ---- Connection and persistence --------------------------------------------------------------------

/// The connection options of every Connection line, lowercased. RFC 9110 §7.6.1:
/// Connection = #connection-option, connection-option = token, "Connection options are
/// case-insensitive." A member that is not a token names no option.
pub fn connection_options(fields: &[(Vec<u8>, Vec<u8>)]) -> Vec<Vec<u8>> {
    members(&values(fields, "connection"))
        .into_iter()
        .filter(|m| is_token(m))
        .map(|m| m.to_ascii_lowercase())
        .collect()
}

/// The client's side of persistence, RFC 9112 §9.3: "If the "close" connection option is present
/// (Section 9.6), the connection will not persist after the current response; else, If the
/// received protocol is HTTP/1.1 (or later), the connection will persist after the current
/// response; else, If the received protocol is HTTP/1.0, the "keep-alive" connection option is
/// present, either the recipient is not a proxy or the message is a response, and the recipient
/// wishes to honor the HTTP/1.0 "keep-alive" mechanism, the connection will persist after the
/// current response; otherwise, The connection will close after the current response."
pub fn client_persists(http11: bool, options: &[Vec<u8>]) -> bool {
    let listed = |o: &[u8]| options.iter().any(|x| x == o);
    // CHOICE: RFC 9112 §9.3 lets the recipient choose whether it "wishes to honor the HTTP/1.0
    // keep-alive mechanism"; the strict profile honours it (an origin server, not a proxy) while
    // KeepAlive::enabled is on (applied in `persists_after`).
    !listed(b"close") && (http11 || listed(b"keep-alive"))
}

// ---- Expect ----------------------------------------------------------------------------------------

/// RFC 9110 §10.1.1: `Ok(true)` when the client expects `100-continue`, `Err` for an expectation
/// the server will not meet. "The Expect field value is case-insensitive", and "100-continue" is
/// the only expectation defined (a member with a value or parameters is another one).
pub(crate) fn expect_rule(http11: bool, fields: &Fields) -> Result<bool, Violation> {
    // "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST ignore that
    // expectation."
    if !http11 {
        return Ok(false);
    }
    let expectations = members(&values(fields, "expect"));
    if expectations
        .iter()
        .any(|e| !e.eq_ignore_ascii_case(b"100-continue"))
    {
        // CHOICE: RFC 9110 §10.1.1 "A server that receives an Expect field value containing a
        // member other than 100-continue MAY respond with a 417 (Expectation Failed) status
        // code"; the strict profile does, in HTTP/1.1 requests (Config::reject_unknown_expectations
        // off ignores them), and ignores Expect in HTTP/1.0 requests, which predate it.
        return Err(v(417, "RFC 9110 §10.1.1 expectation not met"));
    }
    Ok(!expectations.is_empty())
}
