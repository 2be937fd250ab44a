//! The request side: finding a head ([`scan`]), parsing it once ([`parse`]) into a [`RequestHead`]
//! ([`head`]), the field-value rules ([`fields`]), the body framing decision ([`framing`]) and the
//! chunked decoder ([`chunked`]).

pub(crate) mod chunked;
pub(crate) mod fields;
pub(crate) mod framing;
pub(crate) mod head;
pub(crate) mod parse;
pub(crate) mod scan;
