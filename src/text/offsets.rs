//! The offset map: a compact, run-length map from normalised-text bytes back to input bytes.

use std::ops::Range;

use crate::span::Span;

/// One run of the offset map: `norm_len` bytes of normalised text starting at `norm_start`
/// were produced by `input_len` bytes of input starting at `input_start`.
///
/// A segment with `norm_len == input_len` is *linear*: byte `norm_start + k` came from byte
/// `input_start + k` (verbatim copies, and 1-byte-for-1-byte replacements such as tab to
/// space). Every other segment is a single replaced character or a collapsed whitespace run
/// (`norm_len == 1`) and maps as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub norm_start: usize,
    pub input_start: usize,
    pub norm_len: usize,
    pub input_len: usize,
}

impl Segment {
    #[inline]
    fn is_linear(&self) -> bool {
        self.norm_len == self.input_len
    }
    #[inline]
    fn norm_end(&self) -> usize {
        self.norm_start + self.norm_len
    }
    #[inline]
    fn input_end(&self) -> usize {
        self.input_start + self.input_len
    }
}

/// Ordered segments covering the normalised text without gaps.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// An empty map with room for `capacity` segments.
    pub fn with_capacity(capacity: usize) -> OffsetMap {
        OffsetMap {
            segments: Vec::with_capacity(capacity),
        }
    }

    /// Appends a segment; linear segments that continue the previous linear segment in both
    /// texts are coalesced into it.
    #[inline]
    pub fn push(
        &mut self,
        norm_start: usize,
        input_start: usize,
        norm_len: usize,
        input_len: usize,
    ) {
        debug_assert_eq!(
            norm_start,
            self.segments.last().map_or(0, Segment::norm_end)
        );
        if let Some(last) = self.segments.last_mut()
            && norm_len == input_len
            && last.is_linear()
            && last.input_end() == input_start
        {
            last.norm_len += norm_len;
            last.input_len += input_len;
            return;
        }
        self.segments.push(Segment {
            norm_start,
            input_start,
            norm_len,
            input_len,
        });
    }

    /// Number of segments (after coalescing).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// Length of the normalised text the map covers.
    fn norm_len(&self) -> usize {
        self.segments.last().map_or(0, Segment::norm_end)
    }

    /// Input byte where normalised byte `pos` starts (the start of the segment piece holding it);
    /// `pos == norm_len` maps to the end of the last segment.
    fn map_start(&self, pos: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.norm_start <= pos);
        let seg = &self.segments[idx.saturating_sub(1)];
        if pos >= seg.norm_end() {
            seg.input_end()
        } else if seg.is_linear() {
            seg.input_start + (pos - seg.norm_start)
        } else {
            seg.input_start
        }
    }

    /// Input byte where the normalised char ending at `end` (exclusive, `end > 0`) ends.
    fn map_end(&self, end: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.norm_start < end);
        let seg = &self.segments[idx.saturating_sub(1)];
        if seg.is_linear() {
            seg.input_start + (end.min(seg.norm_end()) - seg.norm_start)
        } else {
            seg.input_end()
        }
    }

    /// Input bytes that produced `span` of the normalised text. Out-of-range spans are clamped;
    /// an empty span maps to an empty range at its mapped start.
    pub fn input_range(&self, span: Span) -> Range<usize> {
        let len = self.norm_len();
        if len == 0 {
            return 0..0;
        }
        let start = span.start.min(len);
        let end = span.end.min(len);
        let input_start = self.map_start(start);
        if end <= start {
            return input_start..input_start;
        }
        input_start..self.map_end(end).max(input_start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_segments_coalesce() {
        let mut m = OffsetMap::default();
        m.push(0, 0, 3, 3);
        m.push(3, 3, 1, 1);
        m.push(4, 4, 1, 3); // replaced char
        m.push(5, 7, 2, 2);
        m.push(7, 9, 2, 2);
        assert_eq!(m.len(), 3);
        assert_eq!(m.input_range(Span::new(0, 4)), 0..4);
        assert_eq!(m.input_range(Span::new(4, 5)), 4..7);
        assert_eq!(m.input_range(Span::new(2, 6)), 2..8);
        assert_eq!(m.input_range(Span::new(9, 9)), 11..11);
        assert_eq!(m.input_range(Span::new(5, 100)), 7..11);
    }

    #[test]
    fn gap_in_input_breaks_coalescing() {
        let mut m = OffsetMap::default();
        m.push(0, 0, 2, 2);
        m.push(2, 4, 2, 2); // two deleted bytes in between
        assert_eq!(m.len(), 2);
        assert_eq!(m.input_range(Span::new(0, 2)), 0..2);
        assert_eq!(m.input_range(Span::new(1, 3)), 1..5);
        assert_eq!(m.input_range(Span::new(2, 4)), 4..6);
    }

    #[test]
    fn empty_map() {
        let m = OffsetMap::default();
        assert_eq!(m.input_range(Span::new(0, 5)), 0..0);
    }
}
