//! The connection's buffers. It makes their allocations itself, so it knows their sizes and
//! [`Connection::heap_bytes`](super::Connection::heap_bytes) is exact:
//!
//! - [`InBuf`]: input, and the field-position tables. Heads and body pieces are handed out as
//!   zero-copy [`bytes::Bytes`] slices of it; when it must grow while such slices still hold its
//!   allocation, a new one is made and the old one counts as *retired* until the connection holds
//!   no slice of it (nothing queued, no event pending). What the application keeps is its own.
//! - [`OutBuf`]: output, never shared: a `Vec` and how much of it was written.

use alloc::vec::Vec;

use bytes::BytesMut;
use core::ops::{Deref, DerefMut};

use crate::request::head::FieldPos;

/// The first field-position buffer of a connection, and the least it grows by.
const FIELDS_ALLOC_MIN: usize = 512;

/// The header `bytes` allocates for a buffer once slices share it (a `Vec<u8>`, the original
/// capacity and a reference count); `tests/heap_accounting.rs` checks the figure against a counting
/// allocator.
const SHARED_HEADER: usize = core::mem::size_of::<Vec<u8>>() + 2 * core::mem::size_of::<usize>();

/// A growable byte buffer whose allocations are made here, with their sizes.
#[derive(Debug, Default)]
pub(crate) struct InBuf {
    pub(crate) buf: BytesMut,
    /// Size of the allocation behind `buf` (0: none).
    alloc: usize,
    /// Slices were taken from `buf` since it was allocated: `bytes` then keeps a shared header.
    split: bool,
    /// Sizes of earlier allocations that slices still held when `buf` moved to a new one.
    retired: usize,
}

impl InBuf {
    /// Room for `n` more bytes: the spare capacity, the whole allocation again once no slice holds
    /// it, or a new allocation (at least `min`, at least double the last one, at most `max` unless
    /// `n` needs more). An earlier allocation that slices still hold counts as retired when
    /// `held_by_us` (the connection's own queued items hold it), else it is the application's.
    pub(crate) fn reserve(&mut self, n: usize, min: usize, max: usize, held_by_us: bool) {
        if self.buf.try_reclaim(n) {
            return;
        }
        let need = self.buf.len() + n;
        let cap = self.alloc.saturating_mul(2).max(min).min(max).max(need);
        let mut fresh = BytesMut::with_capacity(cap);
        fresh.extend_from_slice(&self.buf);
        let mut old = core::mem::replace(&mut self.buf, fresh);
        old.clear();
        // Empty and unique, the old allocation can be reclaimed whole; otherwise a slice holds it.
        if held_by_us && self.alloc > 0 && !old.try_reclaim(self.alloc) {
            self.retired += self.heap_of_current();
        }
        self.alloc = cap;
        self.split = false;
    }

    /// Room for up to `n` more bytes without giving the connection a second allocation while its
    /// own queued items still hold slices of this one (`held_by_us`): then only the spare capacity
    /// is offered. Returns how many bytes fit.
    pub(crate) fn room(&mut self, n: usize, min: usize, max: usize, held_by_us: bool) -> usize {
        if self.buf.try_reclaim(n) {
            return n;
        }
        if held_by_us && self.alloc > 0 {
            return self.spare();
        }
        self.reserve(n, min, max, false);
        n
    }

    /// Room for the positions of `count` field lines (see `FieldTable`), the buffer then handed to
    /// the parser; `held` as for [`reserve`](Self::reserve).
    pub(crate) fn reserve_fields(&mut self, count: usize, held: bool) -> &mut BytesMut {
        self.reserve(count * FieldPos::SIZE, FIELDS_ALLOC_MIN, usize::MAX, held);
        self.split = true;
        &mut self.buf
    }

    /// Bytes that fit without any allocation or move.
    pub(crate) fn spare(&self) -> usize {
        self.buf.capacity() - self.buf.len()
    }

    /// The current allocation, with `bytes`' shared header once slices were taken.
    fn heap_of_current(&self) -> usize {
        self.alloc + if self.split { SHARED_HEADER } else { 0 }
    }

    /// Takes the first `n` bytes as a slice of the buffer.
    pub(crate) fn split_to(&mut self, n: usize) -> BytesMut {
        self.split = true;
        self.buf.split_to(n)
    }

    /// Takes every byte as a slice of the buffer.
    pub(crate) fn split(&mut self) -> BytesMut {
        self.split = true;
        self.buf.split()
    }

    /// Slices were taken by code that works on the inner `BytesMut`.
    pub(crate) fn mark_split(&mut self) {
        self.split = true;
    }

    /// The slices that held retired allocations are gone (or belong to the application now).
    pub(crate) fn forget_retired(&mut self) {
        self.retired = 0;
    }

    /// Heap bytes held: the allocation (with `bytes`' shared header once sliced) and the retired
    /// ones.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.heap_of_current() + self.retired
    }

    /// Gives every allocation back.
    pub(crate) fn release(&mut self) {
        *self = InBuf::default();
    }
}

impl Deref for InBuf {
    type Target = BytesMut;
    fn deref(&self) -> &BytesMut {
        &self.buf
    }
}

impl DerefMut for InBuf {
    fn deref_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }
}

/// Output waiting to be written: `buf[sent..]`.
#[derive(Debug, Default)]
pub(crate) struct OutBuf {
    buf: Vec<u8>,
    sent: usize,
}

impl OutBuf {
    /// The bytes not yet written.
    #[inline]
    pub(crate) fn pending(&self) -> &[u8] {
        &self.buf[self.sent..]
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.buf.len() - self.sent
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// The first `n` pending bytes were written (`n <= len()`).
    pub(crate) fn written(&mut self, n: usize) {
        self.sent += n;
        if self.sent == self.buf.len() {
            self.buf.clear();
            self.sent = 0;
        }
    }

    /// The buffer to append to; written bytes are dropped from its front first when they are at
    /// least half of it.
    pub(crate) fn append(&mut self) -> &mut Vec<u8> {
        if self.sent > 0 && self.sent >= self.buf.len() / 2 {
            self.buf.drain(..self.sent);
            self.sent = 0;
        }
        &mut self.buf
    }

    /// Gives the allocation back (only when nothing is pending, or the output is void).
    pub(crate) fn release(&mut self) {
        *self = OutBuf::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_buf_reclaims_when_no_slice_holds_it_and_retires_when_one_does() {
        let mut b = InBuf::default();
        b.reserve(10, 64, 1024, true);
        assert_eq!(b.heap_bytes(), 64);
        b.buf.extend_from_slice(&[1; 40]);
        let held = b.split_to(40).freeze();
        assert_eq!(
            b.room(100, 64, 1024, true),
            24,
            "no second allocation while ours hold it"
        );
        b.reserve(100, 64, 1024, true);
        let retired = 64 + SHARED_HEADER;
        assert_eq!(
            b.heap_bytes(),
            128 + retired,
            "the old allocation is retired while held"
        );
        drop(held);
        b.forget_retired();
        b.buf.extend_from_slice(&[2; 30]);
        let gone = b.split_to(30).freeze();
        drop(gone);
        b.reserve(120, 64, 1024, true);
        assert_eq!(b.heap_bytes(), 128 + SHARED_HEADER, "reclaimed, not reallocated");
    }

    #[test]
    fn out_buf_keeps_what_is_not_written() {
        let mut o = OutBuf::default();
        o.append().extend_from_slice(b"abcdef");
        o.written(4);
        assert_eq!(o.pending(), b"ef");
        o.append().extend_from_slice(b"gh");
        assert_eq!(o.pending(), b"efgh");
        o.written(4);
        assert!(o.is_empty());
    }
}
