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

    /// `self.segments.partition_point(pred)`, for a `pred` true on a prefix, looked for from
    /// `hint` (the answer of an earlier call): a look-up in text order finds its segment at or
    /// a few past the last one, stepping forward instead of a binary search over the whole
    /// map; any other is a binary search of the part before or after the hint.
    #[inline]
    fn point_from(&self, hint: usize, pred: impl Fn(&Segment) -> bool) -> usize {
        let segs = &self.segments;
        let h = hint.min(segs.len());
        if h > 0 && !pred(&segs[h - 1]) {
            return segs[..h - 1].partition_point(pred);
        }
        let mut i = h;
        for _ in 0..8 {
            if i == segs.len() || !pred(&segs[i]) {
                return i;
            }
            i += 1;
        }
        i + segs[i..].partition_point(pred)
    }

    /// The segment index [`map_start`](Self::map_start) looks up for `pos`.
    #[inline]
    fn start_index(&self, hint: usize, pos: usize) -> usize {
        if crate::plain::plain() {
            return self.segments.partition_point(|s| s.norm_start <= pos);
        }
        self.point_from(hint, |s| s.norm_start <= pos)
    }

    /// The segment index [`map_end`](Self::map_end) looks up for `end`.
    #[inline]
    fn end_index(&self, hint: usize, end: usize) -> usize {
        if crate::plain::plain() {
            return self.segments.partition_point(|s| s.norm_start < end);
        }
        self.point_from(hint, |s| s.norm_start < end)
    }

    /// Input byte where normalised byte `pos` starts (the start of the segment piece holding it);
    /// `pos == norm_len` maps to the end of the last segment.
    fn map_start(&self, pos: usize) -> usize {
        self.map_start_at(self.segments.partition_point(|s| s.norm_start <= pos), pos)
    }

    /// [`map_start`](Self::map_start) with the segment index looked up already.
    fn map_start_at(&self, idx: usize, pos: usize) -> usize {
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
        self.map_end_at(self.segments.partition_point(|s| s.norm_start < end), end)
    }

    /// [`map_end`](Self::map_end) with the segment index looked up already.
    fn map_end_at(&self, idx: usize, end: usize) -> usize {
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

    /// [`input_range`](Self::input_range), for one of many spans looked up in text order:
    /// `hint` is the position in the map the last look-up left (0 before the first), and the
    /// segments are found from there ([`point_from`](Self::point_from)). The same ranges in any
    /// order.
    pub fn input_range_from(&self, hint: &mut usize, span: Span) -> Range<usize> {
        let len = self.norm_len();
        if len == 0 {
            return 0..0;
        }
        let start = span.start.min(len);
        let end = span.end.min(len);
        let at = self.start_index(*hint, start);
        *hint = at;
        let input_start = self.map_start_at(at, start);
        if end <= start {
            return input_start..input_start;
        }
        let input_end = self.map_end_at(self.end_index(at, end), end);
        input_start..input_end.max(input_start)
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

    proptest::proptest! {
        /// Spans looked up one after another from a hint give the ranges looked up alone,
        /// in text order or not: maps of linear and replaced segments (and deleted input
        /// between them), spans anywhere (past the end, empty).
        #[test]
        fn look_ups_from_a_hint_are_the_look_ups_alone(
            pieces in proptest::collection::vec((1usize..6, 0usize..4, proptest::prelude::any::<bool>()), 0..60),
            spans in proptest::collection::vec((0usize..200, 0usize..20), 0..40),
            in_order in proptest::prelude::any::<bool>(),
        ) {
            let mut m = OffsetMap::default();
            let (mut norm, mut input) = (0, 0);
            for (n, gap, linear) in pieces {
                // a linear piece, or one normalised byte for a replaced run of input
                let (norm_len, input_len) = if linear { (n, n) } else { (1, n) };
                input += gap;
                m.push(norm, input, norm_len, input_len);
                norm += norm_len;
                input += input_len;
            }
            let mut spans: Vec<Span> =
                spans.into_iter().map(|(s, l)| Span::new(s, s + l)).collect();
            if in_order {
                spans.sort_by_key(|s| s.start);
            }
            let mut hint = 0;
            for s in spans {
                proptest::prop_assert_eq!(m.input_range_from(&mut hint, s), m.input_range(s), "{:?}", s);
            }
        }
    }

    #[test]
    fn empty_map() {
        let m = OffsetMap::default();
        assert_eq!(m.input_range(Span::new(0, 5)), 0..0);
    }
}
