//! RFC 5234 (ABNF) operators as plain functions, the core rules of its Appendix B.1, and the
//! common rules of RFC 9110 §5.6 built from them.
//!
//! A rule here is a function `(input, start) -> Ends`: the set of every position where the rule can
//! end when it starts at `start`. An ABNF rule names a set of strings, and a rule such as
//! `*pchar` or `[ h16 ] "::"` can match more than one prefix of the input; keeping every end (no
//! ordered choice, no greedy repetition) makes concatenation, alternation and repetition mean what
//! RFC 5234 §3 says, so a recogniser can be written as the ABNF reads.
//!
//! The set may also hold [`MORE`]: the input ran out inside the rule, so more input could still
//! complete it. That answers "could this partial line still become valid?" with the same rules.

use std::collections::BTreeSet;

/// Every position where a rule can end.
pub type Ends = BTreeSet<usize>;

/// An end meaning: the input stopped inside the rule, and a longer input might match.
pub const MORE: usize = usize::MAX;

/// A rule: from `start` in the input, every position where it can end.
pub trait Rule: Fn(&[u8], usize) -> Ends {}
impl<F: Fn(&[u8], usize) -> Ends> Rule for F {}

fn one(end: usize) -> Ends {
    Ends::from([end])
}

/// True when `rule` matches the whole of `input`.
pub fn matches(rule: impl Rule, input: &[u8]) -> bool {
    rule(input, 0).contains(&input.len())
}

/// True when `input` is the start of something `rule` matches: a whole match, or the input ran
/// out inside the rule.
pub fn could_begin(rule: impl Rule, input: &[u8]) -> bool {
    let ends = rule(input, 0);
    ends.contains(&input.len()) || ends.contains(&MORE)
}

// ---- RFC 5234 §3: the operators --------------------------------------------------------------------

/// One octet from a class (a value range `%xNN-MM`, or a rule of one octet such as `DIGIT`).
pub fn octet(class: impl Fn(u8) -> bool) -> impl Rule {
    move |s, at| match s.get(at) {
        None => one(MORE),
        Some(&b) if class(b) => one(at + 1),
        Some(_) => Ends::new(),
    }
}

/// A quoted literal `"..."`: case-insensitive US-ASCII (RFC 5234 §2.3).
pub fn text(lit: &'static str) -> impl Rule {
    move |s, at| literal(s, at, lit.as_bytes(), true)
}

/// A literal written as `%x..` octets or `%s"..."` (RFC 7405): case-sensitive.
pub fn exact(lit: &'static [u8]) -> impl Rule {
    move |s, at| literal(s, at, lit, false)
}

fn literal(s: &[u8], at: usize, lit: &[u8], nocase: bool) -> Ends {
    let rest = s.get(at..).unwrap_or_default();
    let n = rest.len().min(lit.len());
    let same = if nocase {
        rest[..n].eq_ignore_ascii_case(&lit[..n])
    } else {
        rest[..n] == lit[..n]
    };
    match (same, n == lit.len()) {
        (false, _) => Ends::new(),
        (true, true) => one(at + lit.len()),
        (true, false) => one(MORE),
    }
}

/// Concatenation of two rules (RFC 5234 §3.1); the `cat!` macro chains more.
pub fn cat2(first: impl Rule, then: impl Rule) -> impl Rule {
    move |s, at| {
        let mut out = Ends::new();
        for mid in first(s, at) {
            if mid == MORE {
                out.insert(MORE);
            } else {
                out.extend(then(s, mid));
            }
        }
        out
    }
}

/// Alternation of two rules (RFC 5234 §3.2): every end of either; the `alt!` macro chains more.
pub fn alt2(a: impl Rule, b: impl Rule) -> impl Rule {
    move |s, at| {
        let mut out = a(s, at);
        out.extend(b(s, at));
        out
    }
}

/// Variable repetition `min*max rule` (RFC 5234 §3.6); `None` for no upper bound.
pub fn rep(min: usize, max: Option<usize>, rule: impl Rule) -> impl Rule {
    move |s, at| {
        let mut out = Ends::new();
        let mut reached = one(at);
        let mut count = 0;
        loop {
            if count >= min {
                // A position already reached with an allowed count has nothing new to offer.
                reached.retain(|p| !out.contains(p));
                out.extend(reached.iter().copied());
            }
            if reached.is_empty() || max == Some(count) {
                return out;
            }
            let mut next = Ends::new();
            for &p in &reached {
                for e in rule(s, p) {
                    if e == MORE {
                        out.insert(MORE);
                    } else {
                        next.insert(e);
                    }
                }
            }
            reached = next;
            count += 1;
        }
    }
}

/// `*rule`
pub fn star(rule: impl Rule) -> impl Rule {
    rep(0, None, rule)
}

/// `1*rule`
pub fn plus(rule: impl Rule) -> impl Rule {
    rep(1, None, rule)
}

/// `[ rule ]` (RFC 5234 §3.8)
pub fn opt(rule: impl Rule) -> impl Rule {
    rep(0, Some(1), rule)
}

/// `n rule`: exactly n times (RFC 5234 §3.7)
pub fn times(n: usize, rule: impl Rule) -> impl Rule {
    rep(n, Some(n), rule)
}

/// `rule1 rule2 ...`: concatenation of any number of rules.
macro_rules! cat {
    ($a:expr $(,)?) => { $a };
    ($a:expr, $($rest:expr),+ $(,)?) => { $crate::model::abnf::cat2($a, $crate::model::abnf::cat!($($rest),+)) };
}

/// `rule1 / rule2 / ...`: alternation of any number of rules.
macro_rules! alt {
    ($a:expr $(,)?) => { $a };
    ($a:expr, $($rest:expr),+ $(,)?) => { $crate::model::abnf::alt2($a, $crate::model::abnf::alt!($($rest),+)) };
}

pub(crate) use {alt, cat};

// ---- RFC 5234 Appendix B.1: core rules (one octet each) -------------------------------------------

/// ALPHA = %x41-5A / %x61-7A
pub fn alpha(b: u8) -> bool {
    matches!(b, 0x41..=0x5A | 0x61..=0x7A)
}

/// DIGIT = %x30-39
pub fn digit(b: u8) -> bool {
    matches!(b, 0x30..=0x39)
}

/// HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F" (quoted, so either case: RFC 5234 §2.3)
pub fn hexdig(b: u8) -> bool {
    digit(b) || b"ABCDEFabcdef".contains(&b)
}

/// VCHAR = %x21-7E
pub fn vchar(b: u8) -> bool {
    matches!(b, 0x21..=0x7E)
}

/// SP = %x20
pub fn sp(b: u8) -> bool {
    b == 0x20
}

/// HTAB = %x09
pub fn htab(b: u8) -> bool {
    b == 0x09
}

/// DQUOTE = %x22
pub fn dquote(b: u8) -> bool {
    b == 0x22
}

/// CTL = %x00-1F / %x7F
pub fn ctl(b: u8) -> bool {
    matches!(b, 0x00..=0x1F | 0x7F)
}

// ---- RFC 9110 §5.6: common rules -------------------------------------------------------------------

/// RFC 9110 §5.6.2: "Delimiters are chosen from the set of US-ASCII visual characters not allowed
/// in a token (DQUOTE and "(),/:;<=>?@[\]{}")."
const DELIMITERS: &[u8] = b"\"(),/:;<=>?@[\\]{}";

/// RFC 9110 §5.6.2: tchar is "any VCHAR, except delimiters".
pub fn tchar(b: u8) -> bool {
    vchar(b) && !DELIMITERS.contains(&b)
}

/// RFC 9110 §5.6.2: token = 1*tchar
pub fn token(s: &[u8], at: usize) -> Ends {
    plus(octet(tchar))(s, at)
}

/// True when all of `s` is a token.
pub fn is_token(s: &[u8]) -> bool {
    matches(token, s)
}

/// RFC 9110 §5.5: obs-text = %x80-FF
pub fn obs_text(b: u8) -> bool {
    b >= 0x80
}

/// RFC 9110 §5.5: field-vchar = VCHAR / obs-text
pub fn field_vchar(b: u8) -> bool {
    vchar(b) || obs_text(b)
}

/// SP / HTAB: the octet of OWS, RWS and BWS (RFC 9110 §5.6.3).
pub fn wsp(b: u8) -> bool {
    sp(b) || htab(b)
}

/// RFC 9110 §5.6.3: OWS = *( SP / HTAB ); BWS = OWS
pub fn ows(s: &[u8], at: usize) -> Ends {
    star(octet(wsp))(s, at)
}

/// `s` without the OWS on either side (what a field value is, RFC 9112 §5.1).
pub fn trim_ows(s: &[u8]) -> &[u8] {
    let lead = s.iter().take_while(|&&b| wsp(b)).count();
    let trail = s[lead..].iter().rev().take_while(|&&b| wsp(b)).count();
    &s[lead..s.len() - trail]
}

/// RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
fn qdtext(b: u8) -> bool {
    htab(b) || sp(b) || b == 0x21 || matches!(b, 0x23..=0x5B | 0x5D..=0x7E) || obs_text(b)
}

/// RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
fn quoted_pair(s: &[u8], at: usize) -> Ends {
    cat![text("\\"), octet(|b| htab(b) || sp(b) || vchar(b) || obs_text(b))](s, at)
}

/// RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
pub fn quoted_string(s: &[u8], at: usize) -> Ends {
    cat![
        octet(dquote),
        star(alt![octet(qdtext), quoted_pair]),
        octet(dquote)
    ](s, at)
}

/// The members of a list-valued field line (RFC 9110 §5.6.1.2, what a recipient parses):
/// `#element => [ element ] *( OWS "," OWS [ element ] )`, each member without its OWS and empty
/// members dropped ("a recipient MUST parse and ignore a reasonable number of empty list
/// elements"). A comma inside a quoted-string does not separate members (RFC 9110 §5.6.4: a quoted
/// string "is parsed as a single value"). Whether each member is a valid `element` is the caller's
/// to check: elements neither begin nor end with whitespace, so the trimmed member is the element.
pub fn list_members(value: &[u8]) -> Vec<&[u8]> {
    let mut members = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, &b) in value.iter().enumerate() {
        match (quoted, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (_, false, b'"') => quoted = !quoted,
            (false, _, b',') => {
                members.push(trim_ows(&value[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    members.push(trim_ows(&value[start..]));
    members.retain(|m| !m.is_empty());
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9110 §5.6.2 also spells tchar out as ABNF; both readings give the same octets.
    #[test]
    fn rfc9110_5_6_2_tchar_two_readings() {
        let listed = |b: u8| alpha(b) || digit(b) || b"!#$%&'*+-.^_`|~".contains(&b);
        for b in 0..=255u8 {
            assert_eq!(tchar(b), listed(b), "{b:#04x}");
        }
    }

    #[test]
    fn operators() {
        let h16 = rep(1, Some(4), octet(hexdig));
        assert!(matches(&h16, b"ffff"));
        assert!(!matches(&h16, b"fffff"));
        assert!(could_begin(&h16, b"ff"));
        assert!(matches(quoted_string, b"\"a\\\"b\""));
        assert!(!could_begin(quoted_string, b"\"a\x01"));
        assert!(could_begin(quoted_string, b"\"a"));
        assert_eq!(list_members(b" a ,, \"b,c\" ,"), vec![&b"a"[..], b"\"b,c\""]);
    }
}
