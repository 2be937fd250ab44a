//! Generators of valid and hostile HTTP/1 requests for fuzzing (feature `arbitrary`).
