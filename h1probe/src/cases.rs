//! The request checks: one row per case, as data. Each is sent with a canary GET after it in the
//! same write, whole and (in a full run, when malformed) split and one byte at a time.

use crate::model::Expect::{self, *};
use crate::model::Level::*;
use crate::model::Severity::*;
use crate::model::{Case, Level, Req, Severity};

const fn c(
    id: &'static str,
    section: &'static str,
    level: Level,
    severity: Severity,
    title: &'static str,
    req: &'static [u8],
    expect: Expect,
) -> Case {
    Case {
        id,
        section,
        level,
        severity,
        title,
        req: Req::Raw(req),
        expect,
    }
}

const fn g(
    id: &'static str,
    section: &'static str,
    level: Level,
    severity: Severity,
    title: &'static str,
    req: fn() -> Vec<u8>,
    expect: Expect,
) -> Case {
    Case {
        id,
        section,
        level,
        severity,
        title,
        req: Req::Gen(req),
        expect,
    }
}

const B400: Expect = Reject(&[400]);
const TE_UNKNOWN: Expect = Reject(&[501, 400]);
const VERSION: Expect = Reject(&[505, 400]);
const FRAMING: Expect = RejectElseClose(&[400]);

/// Every request check, in report order.
#[rustfmt::skip]
pub static CASES: &[Case] = &[
    // ---- request line (RFC 9112 §2-§3, RFC 9110 §6.2) ------------------------------------------
    c("RL-001", "RFC 9112 §3", Must, Medium, "plain GET in origin-form", b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", Accept),
    c("RL-002", "RFC 9112 §3", Should, Low, "two SP between method and target", b"GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("RL-003", "RFC 9112 §3", Should, Low, "HTAB as request-line separator", b"GET\t/\tHTTP/1.1\r\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("RL-004", "RFC 9112 §3", Should, Low, "SP after the version", b"GET / HTTP/1.1 \r\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("RL-005", "RFC 9112 §2.2", Should, Medium, "SP before the method", b" GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-006", "RFC 9112 §2.3", Should, Medium, "no version (HTTP/0.9 request)", b"GET /\r\nHost: localhost\r\n\r\n", B400),
    c("RL-007", "RFC 9112 §2.3", Should, Medium, "lowercase protocol name http/1.1", b"GET / http/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-008", "RFC 9110 §6.2", Should, Medium, "HTTP/1.2 is handled as HTTP/1.1", b"GET / HTTP/1.2\r\nHost: localhost\r\n\r\n", PreferAccept),
    c("RL-009", "RFC 9110 §6.2", Should, Medium, "HTTP/2.0 over HTTP/1 framing", b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", VERSION),
    c("RL-010", "RFC 9110 §6.2", Should, Medium, "HTTP/3.0 version", b"GET / HTTP/3.0\r\nHost: localhost\r\n\r\n", VERSION),
    c("RL-011", "RFC 9110 §6.2", Should, Medium, "HTTP/0.9 spelled out", b"GET / HTTP/0.9\r\nHost: localhost\r\n\r\n", VERSION),
    c("RL-012", "RFC 9112 §2.3", Should, Medium, "two-digit minor version HTTP/1.10", b"GET / HTTP/1.10\r\nHost: localhost\r\n\r\n", B400),
    c("RL-013", "RFC 9112 §2.3", Should, Medium, "version without minor HTTP/1", b"GET / HTTP/1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-014", "RFC 9112 §2.3", Should, Medium, "SP inside the version", b"GET / HTTP/ 1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-015", "RFC 9112 §2.3", Should, Medium, "version without dot HTTP/11", b"GET / HTTP/11\r\nHost: localhost\r\n\r\n", Reject(&[400, 505])),
    c("RL-016", "RFC 9112 §2.3", Should, Medium, "three-part version HTTP/1.1.1", b"GET / HTTP/1.1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-017", "RFC 9112 §2.3", Should, Medium, "leading zero HTTP/01.1", b"GET / HTTP/01.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-018", "RFC 9112 §3.1", Should, Medium, "NUL inside the method", b"G\x00T / HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-019", "RFC 9112 §3.1", Should, Medium, "non-token byte in the method", b"GE(T / HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-020", "RFC 9110 §9.1", Should, Low, "lowercase method is another method", b"get / HTTP/1.1\r\nHost: localhost\r\n\r\n", Refuse(&[405, 501, 400])),
    c("RL-021", "RFC 9112 §3.2", Should, High, "SP inside the target", b"GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-022", "RFC 9112 §3.2", Should, High, "control byte 0x01 in the target", b"GET /a\x01b HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-023", "RFC 9112 §3.2", Should, High, "DEL in the target", b"GET /a\x7fb HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-024", "RFC 9112 §3.2", Should, Low, "fragment in the target", b"GET /a#frag HTTP/1.1\r\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("RL-025", "RFC 9112 §3.2", Should, Medium, "empty target", b"GET  HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-026", "RFC 9112 §3.2.2", Must, Medium, "absolute-form target", b"GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n", Accept),
    c("RL-027", "RFC 9112 §3.2.2", Must, High, "absolute-form overrides a different Host", b"GET http://localhost/ HTTP/1.1\r\nHost: other.example\r\n\r\n", Accept),
    c("RL-028", "RFC 9112 §3.2.4", Should, Low, "asterisk-form with GET", b"GET * HTTP/1.1\r\nHost: localhost\r\n\r\n", Refuse(&[400, 404, 405, 501])),
    c("RL-029", "RFC 9112 §3.2.4", Should, Low, "OPTIONS * is served", b"OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", NotStatus(400)),
    c("RL-030", "RFC 9112 §3.2.3", Should, Low, "authority-form with GET", b"GET localhost:80 HTTP/1.1\r\nHost: localhost\r\n\r\n", Refuse(&[400, 404, 405])),
    c("RL-031", "RFC 9112 §3.2.3", Should, Low, "CONNECT with an origin-form target", b"CONNECT / HTTP/1.1\r\nHost: localhost\r\n\r\n", Refuse(&[400, 405, 501])),
    c("RL-032", "RFC 9112 §2.2", Should, Low, "one empty line before the request line", b"\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n", Accept),
    c("RL-033", "RFC 9112 §2.2", May, Low, "two empty lines before the request line", b"\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n", PreferAccept),
    c("RL-034", "RFC 9112 §2.2", May, Medium, "request line ended by a bare LF", b"GET / HTTP/1.1\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("RL-035", "RFC 9112 §2.2", Must, High, "bare CR inside the request line", b"GET /\r HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-036", "RFC 9112 §3.2", May, Low, "raw obs-text bytes in the target", b"GET /\x80\xff HTTP/1.1\r\nHost: localhost\r\n\r\n", PreferReject(&[400, 404])),
    c("RL-037", "RFC 9112 §3.2", May, Low, "unencoded { } | in the target", b"GET /a{b}|c HTTP/1.1\r\nHost: localhost\r\n\r\n", PreferReject(&[400, 404])),
    c("RL-038", "RFC 9112 §3.2.1", Must, Low, "origin-form with a query", b"GET /?a=b&c=d HTTP/1.1\r\nHost: localhost\r\n\r\n", Accept),
    c("RL-039", "RFC 9112 §3", Should, Medium, "NUL after the version", b"GET / HTTP/1.1\x00\r\nHost: localhost\r\n\r\n", B400),
    c("RL-040", "RFC 9112 §3", Should, Medium, "request line with the method only", b"GET\r\nHost: localhost\r\n\r\n", B400),
    c("RL-041", "RFC 9112 §3", Should, Medium, "request line without a target", b"GET HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-042", "RFC 9112 §3", Must, Low, "HEAD gets no body", b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n", Accept),
    c("RL-043", "RFC 9112 §3", Should, Low, "extension method token", b"PROPFIND / HTTP/1.1\r\nHost: localhost\r\n\r\n", NotStatus(400)),
    c("RL-044", "RFC 9112 §3.2", Should, Medium, "target not starting with / nor a scheme", b"GET a/b HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    c("RL-045", "RFC 9112 §2.2", Should, Medium, "only whitespace before the request line", b" \r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n", B400),
    // ---- field syntax (RFC 9112 §5, RFC 9110 §5) -------------------------------------------------
    c("FLD-001", "RFC 9112 §5.1", Must, High, "SP between field name and colon", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A : 1\r\n\r\n", B400),
    c("FLD-002", "RFC 9112 §5.1", Must, High, "HTAB between field name and colon", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A\t: 1\r\n\r\n", B400),
    c("FLD-003", "RFC 9112 §5.1", Must, Critical, "SP before the colon of Content-Length", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length : 5\r\n\r\nhello", B400),
    c("FLD-004", "RFC 9112 §5.1", Must, Critical, "SP before the colon of Transfer-Encoding", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", B400),
    c("FLD-005", "RFC 9110 §5.1", Should, Medium, "empty field name", b"GET / HTTP/1.1\r\nHost: localhost\r\n: value\r\n\r\n", B400),
    c("FLD-006", "RFC 9112 §5", Should, Medium, "field line without a colon", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A value\r\n\r\n", B400),
    c("FLD-007", "RFC 9110 §5.1", Should, Medium, "non-token byte in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX(A): 1\r\n\r\n", B400),
    c("FLD-008", "RFC 9110 §5.1", Should, Medium, "obs-text byte in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX\x80A: 1\r\n\r\n", B400),
    c("FLD-009", "RFC 9110 §5.5", Must, High, "NUL in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\x00b\r\n\r\n", PreferReject(&[400])),
    c("FLD-010", "RFC 9110 §5.5", Must, High, "bare CR in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\rb\r\n\r\n", PreferReject(&[400])),
    c("FLD-011", "RFC 9110 §5.5", May, Low, "control byte 0x01 in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\x01b\r\n\r\n", PreferReject(&[400])),
    c("FLD-012", "RFC 9110 §5.5", May, Low, "DEL in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\x7fb\r\n\r\n", PreferReject(&[400])),
    c("FLD-013", "RFC 9110 §5.5", May, Low, "VT in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\x0bb\r\n\r\n", PreferReject(&[400])),
    c("FLD-014", "RFC 9110 §5.5", May, Low, "FF in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\x0cb\r\n\r\n", PreferReject(&[400])),
    c("FLD-015", "RFC 9110 §5.5", Should, Low, "obs-text bytes in a field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: v\x80\xff\r\n\r\n", Accept),
    c("FLD-016", "RFC 9110 §5.5", Must, Low, "SP and HTAB around a value are stripped", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: \t v \t\r\n\r\n", Accept),
    c("FLD-017", "RFC 9110 §5.1", Must, Low, "underscore in a field name is a tchar", b"GET / HTTP/1.1\r\nHost: localhost\r\nX_A: 1\r\n\r\n", Accept),
    c("FLD-018", "RFC 9112 §2.2", Must, High, "whitespace-led line right after the request line", b"GET / HTTP/1.1\r\n X-A: 1\r\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("FLD-019", "RFC 9110 §5.5", Must, Low, "empty field value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A:\r\n\r\n", Accept),
    c("FLD-020", "RFC 9110 §5.1", Must, Low, "field names are case-insensitive", b"GET / HTTP/1.1\r\nhOsT: localhost\r\n\r\n", Accept),
    c("FLD-021", "RFC 9112 §5", Must, Low, "no whitespace after the colon", b"GET / HTTP/1.1\r\nHost:localhost\r\n\r\n", Accept),
    c("FLD-022", "RFC 9112 §5", Should, Medium, "a line that is only a colon", b"GET / HTTP/1.1\r\nHost: localhost\r\n:\r\n\r\n", B400),
    c("FLD-023", "RFC 9112 §2.2", May, Medium, "field line ended by a bare LF", b"GET / HTTP/1.1\r\nHost: localhost\nX-A: 1\r\n\r\n", PreferReject(&[400])),
    c("FLD-024", "RFC 9112 §2.2", Must, High, "field line ended by a bare CR", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\rX-B: 2\r\n\r\n", PreferReject(&[400])),
    c("FLD-025", "RFC 9110 §5.1", Should, Medium, "NUL in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-\x00A: 1\r\n\r\n", B400),
    c("FLD-026", "RFC 9110 §5.1", Should, Medium, "DEL in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-\x7fA: 1\r\n\r\n", B400),
    c("FLD-027", "RFC 9110 §5.1", Should, Medium, "SP inside a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX A: 1\r\n\r\n", B400),
    c("FLD-028", "RFC 9110 §5.5", Must, Low, "colon inside a value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a: b\r\n\r\n", Accept),
    c("FLD-029", "RFC 9110 §5.1", Should, Medium, "UTF-8 in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-\xc3\xa9: 1\r\n\r\n", B400),
    c("FLD-030", "RFC 9112 §2.2", Must, High, "CR CR LF ending the head", b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\r\n", B400),
    c("FLD-031", "RFC 9110 §5.5", Must, Low, "HTAB inside a value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\tb\r\n\r\n", Accept),
    c("FLD-032", "RFC 9110 §5.1", Must, Low, "long token field name (200 bytes)", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 1\r\n\r\n", Accept),
    c("FLD-033", "RFC 9110 §5.1", Must, Low, "every tchar in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX!#$%&'*+-.^_`|~09az: 1\r\n\r\n", Accept),
    c("FLD-034", "RFC 9110 §5.5", Must, Low, "quoted-string value with a comma", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: \"a, b\"\r\n\r\n", Accept),
    c("FLD-035", "RFC 9110 §5.3", Must, Low, "repeated non-list field lines", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\nX-A: 2\r\n\r\n", Accept),
    c("FLD-036", "RFC 9110 §5.5", May, Low, "NBSP (0xA0) around a value is not whitespace", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: \xa0v\xa0\r\n\r\n", Accept),
    c("FLD-037", "RFC 9110 §5.1", Must, Critical, "Transfer_Encoding is not Transfer-Encoding", b"GET / HTTP/1.1\r\nHost: localhost\r\nTransfer_Encoding: chunked\r\n\r\n", Accept),
    c("FLD-038", "RFC 9110 §5.1", Must, Critical, "Content_Length is not Content-Length", b"GET / HTTP/1.1\r\nHost: localhost\r\nContent_Length: 5\r\n\r\n", Accept),
    c("FLD-039", "RFC 9112 §5", Must, Medium, "field line that is only whitespace", b"GET / HTTP/1.1\r\nHost: localhost\r\n \r\n\r\n", PreferReject(&[400])),
    c("FLD-040", "RFC 9110 §5.1", Should, Medium, "at-sign in a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX@A: 1\r\n\r\n", B400),
    // ---- Host (RFC 9112 §3.2, RFC 9110 §7.2) ------------------------------------------------------
    c("HOST-001", "RFC 9112 §3.2", Must, High, "HTTP/1.1 request without Host", b"GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", B400),
    c("HOST-002", "RFC 9112 §3.2", Must, High, "two different Host lines", b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: other.example\r\n\r\n", B400),
    c("HOST-003", "RFC 9112 §3.2", Must, High, "two identical Host lines", b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n", B400),
    c("HOST-004", "RFC 9112 §3.2", Must, High, "Host with SP inside", b"GET / HTTP/1.1\r\nHost: local host\r\n\r\n", B400),
    c("HOST-005", "RFC 9112 §3.2", Must, High, "Host with userinfo", b"GET / HTTP/1.1\r\nHost: user@localhost\r\n\r\n", B400),
    c("HOST-006", "RFC 9112 §3.2", Must, High, "Host with a non-digit port", b"GET / HTTP/1.1\r\nHost: localhost:8o\r\n\r\n", B400),
    c("HOST-007", "RFC 9112 §3.2", Must, High, "Host with an unclosed IPv6 bracket", b"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", B400),
    c("HOST-008", "RFC 9110 §7.2", Must, Low, "Host as a bracketed IPv6 literal with port", b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", Accept),
    c("HOST-009", "RFC 9110 §7.2", Must, Low, "Host with an empty port", b"GET / HTTP/1.1\r\nHost: localhost:\r\n\r\n", PreferAccept),
    c("HOST-010", "RFC 9112 §3.2", Must, Low, "HTTP/1.0 request without Host", b"GET / HTTP/1.0\r\n\r\n", Accept),
    c("HOST-011", "RFC 9112 §3.2", Must, High, "Host with a comma list", b"GET / HTTP/1.1\r\nHost: localhost, other.example\r\n\r\n", B400),
    c("HOST-012", "RFC 9112 §3.2", Must, High, "Host with a slash", b"GET / HTTP/1.1\r\nHost: localhost/a\r\n\r\n", B400),
    c("HOST-013", "RFC 9112 §3.2", Must, High, "absolute-form without Host in HTTP/1.1", b"GET http://localhost/ HTTP/1.1\r\n\r\n", B400),
    c("HOST-014", "RFC 9110 §7.2", Must, Low, "Host as an IPv4 address", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Accept),
    c("HOST-015", "RFC 9112 §3.2", Must, High, "Host with two ports", b"GET / HTTP/1.1\r\nHost: localhost:80:80\r\n\r\n", B400),
    c("HOST-016", "RFC 9112 §3.2", Must, High, "Host with a control byte", b"GET / HTTP/1.1\r\nHost: local\x01host\r\n\r\n", B400),
    c("HOST-017", "RFC 9112 §3.2", Must, High, "Host lines differing only in case of the name", b"GET / HTTP/1.1\r\nHost: localhost\r\nhost: other.example\r\n\r\n", B400),
    c("HOST-018", "RFC 9110 §7.2", Must, Low, "Host with an upper-case name", b"GET / HTTP/1.1\r\nHost: LOCALHOST\r\n\r\n", Accept),
    c("HOST-019", "RFC 9112 §3.2", Must, High, "Host with a bad IPv6 literal", b"GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", B400),
    // ---- Content-Length (RFC 9112 §6.3, RFC 9110 §8.6) --------------------------------------------
    c("CL-001", "RFC 9112 §6.3", Must, Critical, "POST with a Content-Length body", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello", Accept),
    c("CL-002", "RFC 9110 §8.6", Must, Critical, "plus sign: +5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: +5\r\n\r\nhello", B400),
    c("CL-003", "RFC 9110 §8.6", Must, Critical, "negative: -1", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\nhello", B400),
    c("CL-004", "RFC 9110 §8.6", Must, Critical, "hexadecimal: 0x5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0x5\r\n\r\nhello", B400),
    c("CL-005", "RFC 9110 §8.6", Must, Critical, "SP inside: 5 5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5 5\r\n\r\nhello", B400),
    c("CL-006", "RFC 9110 §8.6", May, Critical, "identical list: 5,5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5,5\r\n\r\nhello", PreferReject(&[400])),
    c("CL-007", "RFC 9110 §8.6", May, Critical, "identical list with SP: 5, 5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5, 5\r\n\r\nhello", PreferReject(&[400])),
    c("CL-008", "RFC 9112 §6.3", Must, Critical, "differing list: 5,6", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5,6\r\n\r\nhello!", B400),
    c("CL-009", "RFC 9110 §8.6", May, Critical, "two identical Content-Length lines", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", PreferReject(&[400])),
    c("CL-010", "RFC 9112 §6.3", Must, Critical, "two differing Content-Length lines", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", B400),
    c("CL-011", "RFC 9110 §8.6", Must, Critical, "empty value", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length:\r\n\r\nhello", B400),
    c("CL-012", "RFC 9110 §8.6", Must, Critical, "whitespace-only value", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length:  \r\n\r\nhello", B400),
    c("CL-013", "RFC 9112 §6.3", Must, Critical, "2^64: overflows 64 bits", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 18446744073709551616\r\n\r\nhello", Reject(&[400, 413])),
    c("CL-014", "RFC 9112 §6.3", Must, Critical, "23 digits", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999999\r\n\r\nhello", Reject(&[400, 413])),
    c("CL-015", "RFC 9110 §8.6", Must, Critical, "underscore separator: 1_0", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1_0\r\n\r\nhellohello", B400),
    c("CL-016", "RFC 9110 §8.6", Must, Critical, "VT after the digits", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\x0b\r\n\r\nhello", B400),
    c("CL-017", "RFC 9110 §8.6", Must, Critical, "NBSP before the digits", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \xa05\r\n\r\nhello", B400),
    c("CL-018", "RFC 9110 §8.6", Must, Critical, "exponent: 1e1", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1e1\r\n\r\nhellohello", B400),
    c("CL-019", "RFC 9110 §8.6", Must, Critical, "decimal point: 5.0", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5.0\r\n\r\nhello", B400),
    c("CL-020", "RFC 9110 §8.6", Must, Critical, "leading zeros: 005", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 005\r\n\r\nhello", Accept),
    c("CL-021", "RFC 9112 §6.3", Must, Critical, "GET with a Content-Length body (CL.0)", b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello", Accept),
    c("CL-022", "RFC 9112 §6.3", Must, Critical, "POST with Content-Length: 0", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n", Accept),
    c("CL-023", "RFC 9112 §6.3", Must, Critical, "HTAB before and SP after the value", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length:\t5  \r\n\r\nhello", Accept),
    c("CL-024", "RFC 9110 §8.6", Must, Critical, "trailing comma: 5,", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5,\r\n\r\nhello", PreferReject(&[400])),
    c("CL-025", "RFC 9110 §8.6", Must, Critical, "leading comma: ,5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ,5\r\n\r\nhello", PreferReject(&[400])),
    c("CL-026", "RFC 9112 §6.3", Must, Critical, "HTTP/1.0 POST with Content-Length", b"POST / HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello", Accept),
    c("CL-027", "RFC 9112 §6.3", Must, Critical, "a body that looks like a request", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 36\r\n\r\nGET /x HTTP/1.1\r\nHost: localhost\r\n\r\n", Accept),
    c("CL-028", "RFC 9110 §8.6", Must, Critical, "upper-case name CONTENT-LENGTH", b"POST / HTTP/1.1\r\nHost: localhost\r\nCONTENT-LENGTH: 5\r\n\r\nhello", Accept),
    c("CL-029", "RFC 9110 §8.6", Must, Critical, "octal-looking 010 is ten", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 010\r\n\r\nhellohello", Accept),
    c("CL-030", "RFC 9112 §6.3", Must, Critical, "differing lines 0 and 5", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello", B400),
    c("CL-031", "RFC 9110 §8.6", Must, Critical, "quoted value \"5\"", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \"5\"\r\n\r\nhello", B400),
    c("CL-032", "RFC 9110 §8.6", Must, Critical, "FF after the digits", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\x0c\r\n\r\nhello", B400),
    // ---- Transfer-Encoding (RFC 9112 §6.1, §6.3, §7) -----------------------------------------------
    c("TE-001", "RFC 9112 §7.1", Must, Critical, "chunked body", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-002", "RFC 9112 §7", Must, Critical, "coding name in mixed case: Chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-003", "RFC 9112 §7", Must, Critical, "coding name upper-case: CHUNKED", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-004", "RFC 9112 §6.1", Should, High, "unknown coding before chunked: gzip, chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", TE_UNKNOWN),
    c("TE-005", "RFC 9112 §6.3", Must, Critical, "chunked not last: chunked, gzip", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-006", "RFC 9112 §6.3", Must, Critical, "no chunked at all: gzip", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-007", "RFC 9112 §6.3", Must, Critical, "identity is no transfer coding", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-008", "RFC 9112 §7", Should, High, "chunked twice in one line", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-009", "RFC 9110 §5.6.1", Must, Critical, "empty list member first: ,chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: ,chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-010", "RFC 9110 §5.6.1", Must, Critical, "empty list member last: chunked,", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked,\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-011", "RFC 9112 §7", Must, Critical, "parameter on chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked;foo=bar\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-012", "RFC 9112 §6.1", Must, Critical, "empty value", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding:\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-013", "RFC 9112 §6.3", Must, Critical, "unknown coding x-chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: x-chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-014", "RFC 9112 §6.3", Must, Critical, "prefix of chunked: chunk", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunk\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-015", "RFC 9112 §6.1", Must, Critical, "VT after chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\x0b\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-016", "RFC 9112 §6.1", Must, Critical, "NBSP before chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: \xa0chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-017", "RFC 9112 §6.1", Must, Critical, "quoted \"chunked\"", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: \"chunked\"\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-018", "RFC 9112 §7", Must, Critical, "coding name cHuNkEd", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: cHuNkEd\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-019", "RFC 9112 §6.1", Should, High, "codings in two lines: gzip then chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", TE_UNKNOWN),
    c("TE-020", "RFC 9112 §7", Should, High, "chunked in two lines", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-021", "RFC 9112 §6.1", Must, Critical, "Transfer-Encoding in HTTP/1.0", b"POST / HTTP/1.0\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", FRAMING),
    c("TE-022", "RFC 9112 §6.3", Must, Critical, "HTAB before the value", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding:\tchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-023", "RFC 9110 §5.6.1", Must, Critical, "trailing comma and SP: chunked , ", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked , \r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-024", "RFC 9112 §6.1", Should, High, "identity, chunked", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: identity, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", TE_UNKNOWN),
    c("TE-025", "RFC 9112 §7", Must, Critical, "upper-case name TRANSFER-ENCODING", b"POST / HTTP/1.1\r\nHost: localhost\r\nTRANSFER-ENCODING: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-026", "RFC 9112 §6.1", Must, Critical, "chunked with a trailing NUL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\x00\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-027", "RFC 9112 §7", Must, Critical, "chunked;q=1 parameter with BWS", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked ;q=1\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-028", "RFC 9112 §6.1", Must, Critical, "only a comma", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: ,\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("TE-029", "RFC 9112 §7.1", Must, Critical, "GET with a chunked body", b"GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Accept),
    c("TE-030", "RFC 9112 §6.1", Should, Critical, "chunked, x-custom last", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, x-custom\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Reject(&[400, 501])),
    // ---- chunked framing and extensions (RFC 9112 §7.1) ------------------------------------------
    c("CHK-001", "RFC 9112 §7.1", Must, Critical, "two chunks", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", Accept),
    c("CHK-002", "RFC 9112 §7.1", Must, Critical, "upper-case hex size A", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nA\r\nhellohello\r\n0\r\n\r\n", Accept),
    c("CHK-003", "RFC 9112 §7.1", Must, Critical, "leading zeros 0005", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0005\r\nhello\r\n0\r\n\r\n", Accept),
    c("CHK-004", "RFC 9112 §7.1", Should, Critical, "0x prefix on the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-005", "RFC 9112 §7.1", Should, Critical, "plus sign on the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-006", "RFC 9112 §7.1", Should, Critical, "minus sign on the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-007", "RFC 9112 §7.1", Should, Critical, "empty size line", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-008", "RFC 9112 §7.1", May, Critical, "SP after the size, no extension", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", PreferReject(&[400])),
    c("CHK-009", "RFC 9112 §7.1", Must, Critical, "size overflows 64 bits", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nhello\r\n0\r\n\r\n", Reject(&[400, 413])),
    c("CHK-010", "RFC 9112 §7.1", Should, Critical, "underscore in the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0_5\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-011", "RFC 9112 §7.1", Should, Critical, "no CRLF after the chunk data", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", B400),
    c("CHK-012", "RFC 9112 §7.1", Should, Critical, "data longer than the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-013", "RFC 9112 §7.1", Should, Critical, "bare LF after the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", B400),
    c("CHK-014", "RFC 9112 §7.1", Should, Critical, "bare LF after the data", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", B400),
    c("CHK-015", "RFC 9112 §7.1", Should, Critical, "bare CR after the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n", B400),
    c("CHK-016", "RFC 9112 §7.1", Should, Critical, "last chunk ended by a bare LF", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\n\r\n", B400),
    c("CHK-017", "RFC 9112 §7.1", Should, Critical, "final empty line is a bare LF", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\n", B400),
    c("CHK-018", "RFC 9112 §7.1.1", Should, Critical, "NUL in a chunk extension", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x00b\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-019", "RFC 9112 §7.1.1", Must, Critical, "chunk extension name=value", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\n\r\n", Accept),
    c("CHK-020", "RFC 9112 §7.1.1", Must, Critical, "quoted extension value with ; inside", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;name=\"va;lue\"\r\nhello\r\n0\r\n\r\n", Accept),
    c("CHK-021", "RFC 9112 §7.1.1", May, Critical, "extension without a name", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;=x\r\nhello\r\n0\r\n\r\n", PreferReject(&[400])),
    c("CHK-022", "RFC 9112 §7.1.1", Should, Critical, "bare LF inside a chunk extension", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;a\nb\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-023", "RFC 9112 §7.1.1", Should, Critical, "BWS before the extension", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n", PreferAccept),
    c("CHK-024", "RFC 9112 §7.1.1", May, Critical, "empty extension: 5;", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", PreferReject(&[400])),
    c("CHK-025", "RFC 9112 §7.1", Should, Critical, "SP before the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-026", "RFC 9112 §7.1", Should, Critical, "non-hex digit g", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5g\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-027", "RFC 9112 §7.1", Should, Critical, "many leading zeros (40)", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000000000000000000000005\r\nhello\r\n0\r\n\r\n", PreferAccept),
    c("CHK-028", "RFC 9112 §7.1.1", May, Critical, "unclosed quote in an extension", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n0\r\n\r\n", PreferReject(&[400])),
    c("CHK-029", "RFC 9112 §7.1", Should, Critical, "chunk data ended by CR CR", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\r0\r\n\r\n", B400),
    c("CHK-030", "RFC 9112 §7.1", Should, Critical, "data shorter than the size", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-031", "RFC 9112 §7.1", Must, Critical, "a chunk that looks like a request", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n24\r\nGET /x HTTP/1.1\r\nHost: localhost\r\n\r\n\r\n0\r\n\r\n", Accept),
    c("CHK-032", "RFC 9112 §7.1.1", Must, Critical, "extension with a token value and BWS around =", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;a = b\r\nhello\r\n0\r\n\r\n", PreferAccept),
    c("CHK-033", "RFC 9112 §7.1.1", Must, Critical, "two extensions", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;a=1;b=2\r\nhello\r\n0;c=3\r\n\r\n", Accept),
    c("CHK-034", "RFC 9112 §7.1.1", Should, Critical, "control byte 0x01 in an extension", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\x01\r\nhello\r\n0\r\n\r\n", B400),
    c("CHK-035", "RFC 9112 §7.1", Must, Critical, "last chunk 000", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n000\r\n\r\n", Accept),
    c("CHK-036", "RFC 9112 §7.1", Should, Critical, "bare CR inside the size line before LF", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\r\nhello\r\n0\r\n\r\n", B400),
    g("CHK-037", "RFC 9112 §7.1.1", Should, High, "one 64 KiB chunk extension", long_chunk_ext, Reject(&[413, 400])),
    g("CHK-038", "RFC 9112 §7.1.1", Should, High, "extensions totalling 256 KiB over many chunks", many_chunk_exts, Reject(&[413, 400])),
    g("CHK-039", "RFC 9112 §7.1", Must, Critical, "a thousand one-byte chunks", many_small_chunks, Accept),
    // ---- trailers (RFC 9112 §7.1.2, RFC 9110 §6.5) -----------------------------------------------
    c("TRL-001", "RFC 9112 §7.1.2", Must, Medium, "one trailer field", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", Accept),
    c("TRL-002", "RFC 9110 §6.5.1", Must, Critical, "Content-Length in a trailer is not framing", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n", Accept),
    c("TRL-003", "RFC 9110 §6.5.1", Must, Critical, "Transfer-Encoding in a trailer is not framing", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n", Accept),
    c("TRL-004", "RFC 9110 §6.5.1", Must, High, "Host in a trailer", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nHost: other.example\r\n\r\n", Accept),
    c("TRL-005", "RFC 9112 §7.1.2", Should, Critical, "trailer line without a colon", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T 1\r\n\r\n", B400),
    c("TRL-006", "RFC 9112 §5.1", Should, Critical, "SP before the colon in a trailer", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T : 1\r\n\r\n", B400),
    c("TRL-007", "RFC 9112 §5.2", Should, Critical, "obs-fold in a trailer", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n 2\r\n\r\n", PreferReject(&[400])),
    c("TRL-008", "RFC 9112 §7.1", Should, Critical, "trailer line ended by a bare LF", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\n\r\n", PreferReject(&[400])),
    c("TRL-009", "RFC 9110 §5.5", Must, Critical, "NUL in a trailer value", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: a\x00b\r\n\r\n", PreferReject(&[400])),
    c("TRL-010", "RFC 9112 §7.1.2", Must, Medium, "three trailer fields", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", Accept),
    g("TRL-011", "RFC 9110 §5.4", Should, High, "a 128 KiB trailer section", big_trailer, Reject(&[431, 400, 413])),
    c("TRL-012", "RFC 9112 §7.1.2", Must, Critical, "bare CR in a trailer", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: a\rb\r\n\r\n", PreferReject(&[400])),
    c("TRL-013", "RFC 9112 §7.1.2", Must, Medium, "trailer with the Trailer field announced", b"POST / HTTP/1.1\r\nHost: localhost\r\nTrailer: X-T\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", Accept),
    // ---- limits (RFC 9112 §3, RFC 9110 §5.4, §15.5) ------------------------------------------------
    g("LIM-001", "RFC 9110 §15.5.15", Should, High, "a 64 KiB target: 414", long_target, Reject(&[414])),
    g("LIM-002", "RFC 9110 §5.4", Should, High, "a 64 KiB field line: 431", long_field, Reject(&[431])),
    g("LIM-003", "RFC 9110 §5.4", Should, High, "10 000 field lines: 431", many_fields, Reject(&[431])),
    g("LIM-004", "RFC 9110 §5.4", Should, High, "a 1 MiB header section of 1 KiB lines: 431", big_head, Reject(&[431])),
    c("LIM-005", "RFC 9110 §15.5.14", May, High, "Content-Length of 1 TiB: 413 or wait", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1099511627776\r\n\r\n", LimitOrWait(&[413])),
    g("LIM-006", "RFC 9112 §3", Should, Medium, "a 1000-byte method: 501", long_method, Reject(&[501, 400, 414])),
    g("LIM-007", "RFC 9112 §3", Should, Medium, "an 8000-byte request line is served", target_8000, Accept),
    g("LIM-008", "RFC 9110 §5.4", Should, Medium, "a 4000-byte field line is served", field_4000, Accept),
    g("LIM-009", "RFC 9110 §5.4", Should, Medium, "50 field lines are served", fields_50, Accept),
    g("LIM-010", "RFC 9110 §5.4", Should, High, "a 64 KiB field name: 431", long_name, Reject(&[431])),
    // ---- obs-fold (RFC 9112 §5.2) ------------------------------------------------------------------
    c("OBS-001", "RFC 9112 §5.2", Must, High, "obs-fold with SP", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n 2\r\n\r\n", PreferReject(&[400])),
    c("OBS-002", "RFC 9112 §5.2", Must, High, "obs-fold with HTAB", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n\t2\r\n\r\n", PreferReject(&[400])),
    c("OBS-003", "RFC 9112 §5.2", Must, Critical, "obs-fold inside Content-Length", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length:\r\n 5\r\n\r\nhello", PreferReject(&[400])),
    c("OBS-004", "RFC 9112 §5.2", Must, Critical, "obs-fold inside Transfer-Encoding", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", PreferReject(&[400])),
    c("OBS-005", "RFC 9112 §5.2", Must, High, "obs-fold inside Host", b"GET / HTTP/1.1\r\nHost:\r\n localhost\r\n\r\n", PreferReject(&[400])),
    c("OBS-006", "RFC 9112 §5.2", Must, High, "obs-fold inside Connection", b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n close\r\n\r\n", PreferReject(&[400])),
    c("OBS-007", "RFC 9112 §5.2", Must, Critical, "folded Transfer-Encoding line next to Content-Length", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n\r\nhello", PreferReject(&[400])),
    c("OBS-008", "RFC 9112 §5.2", Must, High, "several folded lines", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n 2\r\n 3\r\n\t4\r\n\r\n", PreferReject(&[400])),
    // ---- bare CR and LF (RFC 9112 §2.2) ------------------------------------------------------------
    c("EOL-001", "RFC 9112 §2.2", May, High, "every line ended by a bare LF", b"GET / HTTP/1.1\nHost: localhost\n\n", PreferReject(&[400])),
    c("EOL-002", "RFC 9112 §2.2", May, High, "head ended by CRLF LF", b"GET / HTTP/1.1\r\nHost: localhost\r\n\n", PreferReject(&[400])),
    c("EOL-003", "RFC 9112 §2.2", Must, Critical, "bare CR as a line end between fields", b"GET / HTTP/1.1\r\nHost: localhost\rX-A: 1\r\n\r\n", PreferReject(&[400])),
    c("EOL-004", "RFC 9112 §2.2", Must, High, "bare CR inside a field name", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-\rA: 1\r\n\r\n", B400),
    c("EOL-005", "RFC 9112 §2.2", Must, Critical, "LF-ended Content-Length among CRLF lines", b"POST / HTTP/1.1\r\nHost: localhost\nContent-Length: 5\r\n\r\nhello", PreferReject(&[400])),
    c("EOL-006", "RFC 9112 §2.2", Must, Critical, "bare CR before Transfer-Encoding", b"POST / HTTP/1.1\r\nHost: localhost\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello", PreferReject(&[400])),
    c("EOL-007", "RFC 9112 §2.2", May, High, "head ended by LF CRLF", b"GET / HTTP/1.1\r\nHost: localhost\n\r\n", PreferReject(&[400])),
    c("EOL-008", "RFC 9112 §2.2", Must, High, "CR CR LF as a line end", b"GET / HTTP/1.1\r\r\nHost: localhost\r\n\r\n", B400),
    c("EOL-009", "RFC 9112 §2.2", Must, High, "bare CR at the end of a value", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\r\n\r\n", PreferReject(&[400])),
    c("EOL-010", "RFC 9112 §2.2", May, High, "leading empty line as a bare LF", b"\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n", PreferReject(&[400])),
    c("EOL-011", "RFC 9112 §2.2", Should, High, "NUL as a line end", b"GET / HTTP/1.1\r\nHost: localhost\x00X-A: 1\r\n\r\n", B400),
    c("EOL-012", "RFC 9112 §2.2", Must, Critical, "bare CR hiding a second Content-Length", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\rContent-Length: 40\r\n\r\nhello", PreferReject(&[400])),
    // ---- Content-Length with Transfer-Encoding, and documented desync classes (RFC 9112 §6.1, §11.2)
    c("CLTE-001", "RFC 9112 §6.1", Must, Critical, "CL then TE (CL.TE)", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-002", "RFC 9112 §6.1", Must, Critical, "TE then CL (TE.CL)", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", FRAMING),
    c("CLTE-003", "RFC 9112 §6.1", Must, Critical, "TE with SP before the colon, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", B400),
    c("CLTE-004", "RFC 9112 §6.1", Must, Critical, "unknown coding xchunked, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", Reject(&[400, 501])),
    c("CLTE-005", "RFC 9112 §6.1", Must, Critical, "TE with HTAB value, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-006", "RFC 9112 §6.1", Must, Critical, "TE chunked followed by VT, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\nX", Reject(&[400, 501])),
    c("CLTE-007", "RFC 9112 §6.1", Must, Critical, "TE twice (chunked, x), and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\nX", Reject(&[400, 501])),
    c("CLTE-008", "RFC 9112 §6.1", Must, Critical, "folded TE, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-009", "RFC 9112 §6.1", Must, Critical, "HTTP/1.0 with TE and CL", b"POST / HTTP/1.0\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-010", "RFC 9112 §6.1", Must, Critical, "TE chunked, identity, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\nX", Reject(&[400, 501])),
    c("CLTE-011", "RFC 9112 §6.1", Must, Critical, "TE with a NUL, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: \x00chunked\r\n\r\n0\r\n\r\nX", Reject(&[400, 501])),
    c("CLTE-012", "RFC 9112 §6.1", Must, Critical, "two differing CL and TE", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", B400),
    c("CLTE-013", "RFC 9112 §6.1", Must, Critical, "upper-case Chunked, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: CHUNKED\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-014", "RFC 9112 §6.1", Must, Critical, "folded TE line after the request line, and CL", b"POST / HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello", PreferReject(&[400])),
    c("CLTE-015", "RFC 9112 §6.1", Must, Critical, "TE line ended by a bare LF, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\nContent-Length: 6\r\n\r\n0\r\n\r\nX", RejectElseClose(&[400])),
    c("CLTE-016", "RFC 9112 §6.1", Must, Critical, "TE chunked twice, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX", RejectElseClose(&[400, 501])),
    c("CLTE-017", "RFC 9112 §6.1", Must, Critical, "TE chunked;, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked;\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX", Reject(&[400, 501])),
    c("CLTE-018", "RFC 9112 §6.1", Must, Critical, "TE ,chunked, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: , chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-019", "RFC 9112 §6.1", Must, Critical, "Content-Length: 0 and TE on GET", b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", FRAMING),
    c("CLTE-020", "RFC 9112 §6.1", Must, Critical, "Expect: 100-continue with CL and TE", b"POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", FRAMING),
    c("CLTE-021", "RFC 9112 §6.1", Must, Critical, "TE.0: TE the server may not know, and no CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\nGET /x HTTP/1.1\r\nHost: localhost\r\n\r\n", Reject(&[400, 501])),
    c("CLTE-022", "RFC 9112 §7.1", Should, Critical, "chunk-size line hiding a request (TERM.EXT)", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2;\nxx\r\n4c\r\n0\r\n\r\n", B400),
    c("CLTE-023", "RFC 9112 §7.1", Should, Critical, "chunk data overrun hides a request (TERM.SPILL)", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nAAAAAXX2\r\n45\r\n0\r\n\r\n", B400),
    c("CLTE-024", "RFC 9112 §7.1", Should, Critical, "a one-digit size followed by LF (chunk-size LF)", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n1\nA\r\n0\r\n\r\n", B400),
    c("CLTE-025", "RFC 9112 §6.1", Must, Critical, "Content-Length with an obs-fold, and TE", b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n 7\r\n\r\n0\r\n\r\nX", Reject(&[400, 501])),
    c("CLTE-026", "RFC 9112 §6.1", Must, Critical, "TE name with a trailing NUL, and CL", b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding\x00: chunked\r\n\r\nhello", B400),
    // ---- Expect and Upgrade (RFC 9110 §10.1.1, §7.8) ------------------------------------------------
    c("EXP-001", "RFC 9110 §10.1.1", May, Low, "an unknown expectation: 417 or ignored", b"GET / HTTP/1.1\r\nHost: localhost\r\nExpect: fail\r\n\r\n", PreferReject(&[417])),
    c("EXP-002", "RFC 9110 §10.1.1", Must, Medium, "100-continue in another case, body sent at once", b"POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\nhello", Accept),
    c("EXP-003", "RFC 9110 §10.1.1", Must, Medium, "100-continue with no body", b"GET / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n\r\n", Accept),
    c("EXP-004", "RFC 9110 §10.1.1", Must, Medium, "100-continue on HTTP/1.0 is ignored", b"POST / HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", Accept),
    c("UPG-001", "RFC 9110 §7.8", Must, Medium, "Upgrade in HTTP/1.0 is ignored (no 101)", b"GET / HTTP/1.0\r\nHost: localhost\r\nConnection: Upgrade, keep-alive\r\nUpgrade: websocket\r\n\r\n", NotStatus(101)),
    c("UPG-002", "RFC 9110 §7.8", Must, Medium, "Upgrade to an unknown protocol: no 101", b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: x-h1probe/9\r\n\r\n", NotStatus(101)),
    c("UPG-003", "RFC 9110 §7.8", Must, Medium, "Upgrade without Connection: upgrade: no 101", b"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\r\n", NotStatus(101)),
];

fn post_chunked(chunks: &[u8]) -> Vec<u8> {
    let mut v = b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    v.extend_from_slice(chunks);
    v
}

fn long_chunk_ext() -> Vec<u8> {
    let mut c = b"5;a=".to_vec();
    c.extend(std::iter::repeat_n(b'x', 64 * 1024));
    c.extend_from_slice(b"\r\nhello\r\n0\r\n\r\n");
    post_chunked(&c)
}

fn many_chunk_exts() -> Vec<u8> {
    let mut c = Vec::new();
    for _ in 0..1024 {
        c.extend_from_slice(b"1;e=");
        c.extend(std::iter::repeat_n(b'x', 250));
        c.extend_from_slice(b"\r\nA\r\n");
    }
    c.extend_from_slice(b"0\r\n\r\n");
    post_chunked(&c)
}

fn many_small_chunks() -> Vec<u8> {
    let mut c = b"1\r\nA\r\n".repeat(1000);
    c.extend_from_slice(b"0\r\n\r\n");
    post_chunked(&c)
}

fn big_trailer() -> Vec<u8> {
    let mut c = b"5\r\nhello\r\n0\r\n".to_vec();
    for i in 0..128 {
        c.extend_from_slice(format!("X-T{i}: ").as_bytes());
        c.extend(std::iter::repeat_n(b'v', 1000));
        c.extend_from_slice(b"\r\n");
    }
    c.extend_from_slice(b"\r\n");
    post_chunked(&c)
}

fn get_with(target: &[u8], fields: &[u8]) -> Vec<u8> {
    let mut v = b"GET ".to_vec();
    v.extend_from_slice(target);
    v.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\n");
    v.extend_from_slice(fields);
    v.extend_from_slice(b"\r\n");
    v
}

fn long_target() -> Vec<u8> {
    let mut t = b"/?a=".to_vec();
    t.extend(std::iter::repeat_n(b'a', 64 * 1024));
    get_with(&t, b"")
}

fn target_8000() -> Vec<u8> {
    // "GET " + target + " HTTP/1.1" = 8000 bytes.
    let mut t = b"/?a=".to_vec();
    t.extend(std::iter::repeat_n(b'a', 8000 - 4 - 9 - 4));
    get_with(&t, b"")
}

fn long_field() -> Vec<u8> {
    let mut f = b"X-A: ".to_vec();
    f.extend(std::iter::repeat_n(b'a', 64 * 1024));
    f.extend_from_slice(b"\r\n");
    get_with(b"/", &f)
}

fn long_name() -> Vec<u8> {
    let mut f = b"X-".to_vec();
    f.extend(std::iter::repeat_n(b'a', 64 * 1024));
    f.extend_from_slice(b": 1\r\n");
    get_with(b"/", &f)
}

fn field_4000() -> Vec<u8> {
    let mut f = b"X-A: ".to_vec();
    f.extend(std::iter::repeat_n(b'a', 4000 - 5));
    f.extend_from_slice(b"\r\n");
    get_with(b"/", &f)
}

fn many_fields() -> Vec<u8> {
    let mut f = Vec::new();
    for i in 0..10_000 {
        f.extend_from_slice(format!("X-{i}: 1\r\n").as_bytes());
    }
    get_with(b"/", &f)
}

fn fields_50() -> Vec<u8> {
    let mut f = Vec::new();
    for i in 0..50 {
        f.extend_from_slice(format!("X-F{i}: value {i}\r\n").as_bytes());
    }
    get_with(b"/", &f)
}

fn big_head() -> Vec<u8> {
    let mut f = Vec::new();
    for i in 0..1024 {
        f.extend_from_slice(format!("X-{i}: ").as_bytes());
        f.extend(std::iter::repeat_n(b'b', 1000));
        f.extend_from_slice(b"\r\n");
    }
    get_with(b"/", &f)
}

fn long_method() -> Vec<u8> {
    let mut v = vec![b'M'; 1000];
    v.extend_from_slice(b" / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    v
}
