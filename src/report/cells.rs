//! Cell formatting shared by every report: fixed-precision numbers and text cells made inert
//! for spreadsheets.

use std::fmt::Write as _;

/// Decimal places of every non-integer number in the reports.
pub const DECIMALS: usize = 4;

/// A number with `DECIMALS` (4) places and `.` decimals; empty for `None` or a non-finite value;
/// never `-0.0000`.
pub fn fixed(x: Option<f64>) -> String {
    // room for the digits of the fast path (most numbers)
    let mut s = String::with_capacity(FIXED_BYTES);
    if let Some(x) = x {
        push_fixed(&mut s, x);
    }
    s
}

/// Append `x` as [`fixed`] writes it (nothing for a non-finite value).
pub fn push_fixed(out: &mut String, x: f64) {
    if !x.is_finite() {
        return;
    }
    let mut buf = [0u8; FIXED_BYTES];
    if let Some(digits) = fixed_fast(x, &mut buf) {
        out.push_str(std::str::from_utf8(digits).unwrap_or_default());
        return;
    }
    let from = out.len();
    let _ = write!(out, "{:.*}", DECIMALS, x);
    let s = &out[from..];
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        out.remove(from);
    }
}

/// Room for what [`fixed_fast`] writes: a sign, eight digits, the point and four decimals.
const FIXED_BYTES: usize = 16;

/// `x` as [`fixed`] writes it, in `buf`, when the fast path applies: when `x * 10^4` is not
/// within 0.001 of a half, its rounding to an integer is that of the exact value (the
/// product's error is below 2^-13 for |x * 10^4| < 2^40), so the digits are those `{:.4}`
/// gives. `None` for anything else (a number near a half, a huge one, or not a number),
/// which takes the exact formatter.
#[inline]
fn fixed_fast(x: f64, buf: &mut [u8; FIXED_BYTES]) -> Option<&[u8]> {
    let y = x * 10_000.0;
    if !(y.abs() < 1e12 && ((y - y.trunc()).abs() - 0.5).abs() > 1e-3) {
        return None;
    }
    let n = y.round() as i64;
    let mut len = usize::from(n < 0);
    buf[0] = b'-';
    let n = n.unsigned_abs();
    let mut digits = itoa::Buffer::new();
    let whole = digits.format(n / 10_000).as_bytes();
    buf[len..len + whole.len()].copy_from_slice(whole);
    len += whole.len();
    buf[len] = b'.';
    // the four decimals, with their leading zeros: those of 10,000 more, but the first digit
    let frac = digits.format(n % 10_000 + 10_000).as_bytes();
    buf[len + 1..len + 5].copy_from_slice(&frac[1..]);
    Some(&buf[..len + 5])
}

/// A p-value: 4 decimals from 0.0001 up, below that 3 significant digits in scientific
/// notation (`2.514e-7`), so a small p-value never shows as `0.0000`; empty for `None`.
pub fn pvalue(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_finite() && p < 0.000_05 && p > 0.0 => format!("{p:.3e}"),
        _ => fixed(p),
    }
}

/// Builds CSV rows into bytes, a cell at a time, without a `String` per cell: text made
/// [`inert`], integers, and numbers as [`fixed`] writes them. Every report row is written by
/// it (the per-article rows, where speed matters, and through [`super::record_bytes`] the
/// others).
///
/// It writes what the `csv` crate's writer writes with CRLF line ends and the default
/// (necessary) quoting: a cell holding `,`, `"`, CR or LF is put in quotes with its quotes
/// doubled, and a row whose only cell is empty is written `""` so that it stays a row. The
/// `csv` writer is kept as the test oracle (`row_writer_quotes_as_the_csv_crate`). Doing the
/// same directly, with a vector search for the bytes that need quotes, took 6 % of all
/// instructions off a run with `hits.csv` (which is four times the input's size).
pub(crate) struct RowWriter {
    out: Vec<u8>,
    /// Where the current row starts in `out`, and whether it has a cell yet.
    row_start: usize,
    cells: bool,
    scratch: String,
}

/// Whether a cell must be quoted: it holds a delimiter, a quote or a line end. Short cells
/// (names, numbers) byte by byte; longer ones (sentences) with `memchr`'s vector search.
#[inline]
fn needs_quotes(cell: &[u8]) -> bool {
    if cell.len() < 16 || crate::plain::plain() {
        return cell
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    }
    memchr::memchr3(b',', b'"', b'\n', cell).is_some() || memchr::memchr(b'\r', cell).is_some()
}

impl RowWriter {
    pub fn new() -> RowWriter {
        RowWriter {
            out: Vec::new(),
            row_start: 0,
            cells: false,
            scratch: String::new(),
        }
    }

    /// Make room for `bytes` more bytes of rows at once, instead of growing (and copying) the
    /// buffer step by step as the rows come.
    pub fn reserve(&mut self, bytes: usize) {
        self.out.reserve(bytes);
    }

    /// A delimiter before the next cell, unless it is the row's first.
    #[inline]
    fn delimit(&mut self) {
        if self.cells {
            self.out.push(b',');
        }
        self.cells = true;
    }

    /// A cell's bytes, quoted when they must be, after a delimiter unless it is the row's
    /// first. Inlined into the rows' loops (most cells are short and need no quotes); the
    /// quoting is out of line.
    #[inline]
    fn cell(&mut self, cell: &[u8]) {
        if needs_quotes(cell) {
            self.quoted(cell);
        } else {
            self.bare(cell);
        }
    }

    /// [`cell`](Self::cell) for a cell that needs quotes (a sentence with a comma, often).
    #[inline(never)]
    fn quoted(&mut self, cell: &[u8]) {
        self.delimit();
        self.out.reserve(cell.len() + 2);
        self.out.push(b'"');
        let mut rest = cell;
        while let Some(q) = memchr::memchr(b'"', rest) {
            self.out.extend_from_slice(&rest[..=q]);
            self.out.push(b'"');
            rest = &rest[q + 1..];
        }
        self.out.extend_from_slice(rest);
        self.out.push(b'"');
    }

    /// A text cell (input text, or a name or keyword of ours: every cell is made [`inert`]).
    #[inline]
    pub fn text(&mut self, s: &str) {
        match s.as_bytes().first() {
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_number(s) => {
                let mut scratch = std::mem::take(&mut self.scratch);
                scratch.clear();
                scratch.push('\'');
                scratch.push_str(s);
                self.cell(scratch.as_bytes());
                self.scratch = scratch;
            }
            _ => self.cell(s.as_bytes()),
        }
    }

    /// A keyword of ours (a voice, a field, a kind), written as it is: it is one that neither
    /// needs quotes nor starts like a formula, which [`text`](Self::text) would check byte by
    /// byte on each of millions of rows (`word_cells_are_text_cells` checks every keyword
    /// given).
    pub fn word(&mut self, s: &'static str) {
        debug_assert!(!needs_quotes(s.as_bytes()) && inert(s) == s, "{s:?}");
        self.bare(s.as_bytes());
    }

    /// A cell that needs no quotes, after a delimiter unless it is the row's first.
    #[inline]
    fn bare(&mut self, cell: &[u8]) {
        self.delimit();
        self.out.extend_from_slice(cell);
    }

    /// An integer (digits and a sign need no quotes).
    pub fn int<N: itoa::Integer>(&mut self, n: N) {
        let mut b = itoa::Buffer::new();
        self.bare(b.format(n).as_bytes());
    }

    /// An integer, or an empty cell.
    pub fn opt_int<N: itoa::Integer>(&mut self, n: Option<N>) {
        match n {
            Some(n) => self.int(n),
            None => self.bare(b""),
        }
    }

    pub fn bool(&mut self, b: bool) {
        self.text(if b { "true" } else { "false" });
    }

    pub fn fixed(&mut self, x: Option<f64>) {
        // digits, a sign and a point need no quotes and are no formula
        let mut buf = [0u8; FIXED_BYTES];
        if let Some(digits) = x.and_then(|x| fixed_fast(x, &mut buf)) {
            self.bare(digits);
            return;
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        if let Some(x) = x {
            push_fixed(&mut scratch, x);
        }
        self.cell(scratch.as_bytes());
        self.scratch = scratch;
    }

    /// Cells rendered before, as [`take_cells`](Self::take_cells) gave them: appended as
    /// they are, after a delimiter unless they start the row. For cells that repeat on many
    /// rows (an article's id, a lexicon entry's columns), rendered once.
    pub fn rendered(&mut self, cells: &[u8]) {
        self.delimit();
        self.out.extend_from_slice(cells);
    }

    /// A [`text`](Self::text) cell, and where its bytes lie in the writer's buffer: to be
    /// written again with [`repeat`](Self::repeat) until the rows are taken.
    pub fn text_at(&mut self, s: &str) -> std::ops::Range<usize> {
        let start = self.out.len() + usize::from(self.cells);
        self.text(s);
        start..self.out.len()
    }

    /// A cell written before in the rows not yet taken, at `at` (from
    /// [`text_at`](Self::text_at)), copied instead of rendered again: the same sentence
    /// closes most of a sentence's `hits.csv` rows.
    pub fn repeat(&mut self, at: std::ops::Range<usize>) {
        self.delimit();
        self.out.extend_from_within(at);
    }

    /// The cells written since the last row ended, without a row end, leaving the writer
    /// empty: to be appended to rows later with [`rendered`](Self::rendered).
    pub fn take_cells(&mut self) -> Vec<u8> {
        self.cells = false;
        // A copy: `split_off` would hand over the whole buffer (and what was reserved in it)
        // when the row starts it.
        let cells = self.out[self.row_start..].to_vec();
        self.out.truncate(self.row_start);
        cells
    }

    /// End the row. A row of no bytes (one empty cell, or none) is written `""`, as the `csv`
    /// crate does, so that a reader sees a row and not a blank line.
    pub fn end(&mut self) {
        if self.out.len() == self.row_start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.extend_from_slice(b"\r\n");
        self.row_start = self.out.len();
        self.cells = false;
    }

    /// The rows written so far (each [`end`](Self::end)ed), leaving the writer empty for the
    /// next report's rows.
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.row_start = 0;
        self.cells = false;
        // Rows wait in the writer's queue a while: give back what was reserved and not used,
        // when that is much (shrinking a small buffer moves it to a smaller size class: a
        // copy).
        let mut rows = std::mem::take(&mut self.out);
        if rows.capacity() - rows.len() > (rows.len() / 4).max(1024) {
            rows.shrink_to_fit();
        }
        rows
    }
}

/// A cell that no spreadsheet will run as a formula: a value starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'` (the OWASP advice against CSV injection),
/// unless the whole value is a plain decimal number (`-0.5300`, `-1`, `+2`, `2.514e-7`), which a
/// spreadsheet reads as that number and never as a formula. Applying it twice changes nothing.
/// Every cell of every report goes through it (see `report::record_bytes` and
/// the per-article `RowWriter`).
pub fn inert(s: &str) -> String {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_number(s) => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A plain decimal number as the reports write them and spreadsheets read them: an optional
/// sign, digits with an optional fraction (at least one digit in all), and an optional
/// exponent (`e` or `E`, optional sign, digits). Nothing else: no spaces, no `inf`, no `NaN`.
pub fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::Strategy as _;

    #[test]
    fn numbers_are_fixed_and_never_negative_zero() {
        assert_eq!(fixed(Some(1.0 / 3.0)), "0.3333");
        assert_eq!(fixed(Some(-0.00001)), "0.0000");
        assert_eq!(fixed(Some(-1.5)), "-1.5000");
        assert_eq!(fixed(None), "");
        assert_eq!(fixed(Some(f64::NAN)), "");
    }

    #[test]
    fn the_fast_path_gives_the_exact_formatters_digits() {
        let exact = |x: f64| {
            let s = format!("{:.*}", DECIMALS, x);
            if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
                s[1..].to_string()
            } else {
                s
            }
        };
        // halves at the fourth decimal, values just beside them, tiny and large values
        let mut cases = vec![
            0.0,
            -0.0,
            0.00005,
            0.00015,
            0.12345,
            -0.12345,
            2.5e-5,
            1.00005,
            999.99995,
            12345.678949999,
            1e8,
            -1e8 - 0.00005,
            1e300,
            5e-324,
            0.1 + 0.2,
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let scale = 10f64.powi((state % 13) as i32 - 5);
            let x = (state >> 11) as f64 / (1u64 << 53) as f64 * scale;
            cases.push(if state & 1 == 0 { x } else { -x });
            // on a half of the last decimal
            cases.push(((state >> 20) % 1_000_000) as f64 / 10_000.0 + 0.00005);
        }
        // the row writer's cells are the same digits
        let (mut by_cell, mut by_text) = (RowWriter::new(), RowWriter::new());
        for &x in &cases {
            assert_eq!(fixed(Some(x)), exact(x), "{x:e}");
            by_cell.fixed(Some(x));
            by_text.text(&exact(x));
        }
        for x in [None, Some(f64::NAN), Some(f64::INFINITY)] {
            by_cell.fixed(x);
            by_text.text("");
        }
        by_cell.end();
        by_text.end();
        assert_eq!(by_cell.take_bytes(), by_text.take_bytes());
    }

    #[test]
    fn row_writer_writes_what_write_record_writes() {
        let mut r = RowWriter::new();
        r.text("=cmd");
        r.text("a, \"b\"");
        r.text("author");
        r.int(42u64);
        r.opt_int(None::<usize>);
        r.fixed(Some(-0.00001));
        r.fixed(None);
        r.bool(true);
        r.fixed(Some(-1.5));
        r.text("-2+3");
        r.end();
        let want = super::super::record_bytes([
            "=cmd", "a, \"b\"", "author", "42", "", "0.0000", "", "true", "-1.5000", "-2+3",
        ]);
        assert_eq!(r.take_bytes(), want);
        // used again, for rows of other lengths, it writes what a new writer would
        r.text("x");
        r.int(1u8);
        r.end();
        r.text("y");
        r.end();
        assert_eq!(r.take_bytes(), b"x,1\r\ny\r\n");
        assert_eq!(super::super::record_bytes(["a", "b", "c"]), b"a,b,c\r\n");
        assert_eq!(super::super::record_bytes(["d"]), b"d\r\n");
        assert!(r.take_bytes().is_empty());
    }

    /// The `csv` crate's writer, as the reports were written before [`RowWriter`] wrote them
    /// directly: the oracle of its quoting.
    fn csv_crate_bytes(rows: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(Vec::new());
        for row in rows {
            let _ = w.write_record(row.iter().map(|c| inert(c)));
        }
        w.into_inner().unwrap_or_default()
    }

    /// Every keyword written with [`RowWriter::word`] is written as [`RowWriter::text`]
    /// writes it; so are integers and missing ones.
    #[test]
    fn word_cells_are_text_cells() {
        use crate::attribution::{CueClass, QuoteKind, SpeakerKind};
        use crate::score::{Field, Voice};
        let mut words = vec!["paraphrase", ""];
        words.extend([Voice::Headline, Voice::Author, Voice::Quoted].map(Voice::as_str));
        words.extend([Field::Text, Field::Title].map(Field::as_str));
        words.extend(
            [QuoteKind::Direct, QuoteKind::Partial, QuoteKind::Scare].map(QuoteKind::as_str),
        );
        words.extend([CueClass::Neutral, CueClass::Loaded].map(CueClass::as_str));
        words.extend(
            [
                SpeakerKind::Person,
                SpeakerKind::Organisation,
                SpeakerKind::Anonymous,
                SpeakerKind::Pronoun,
                SpeakerKind::Unattributed,
            ]
            .map(SpeakerKind::as_str),
        );
        let (mut by_word, mut by_text) = (RowWriter::new(), RowWriter::new());
        for w in words {
            by_word.word(w);
            by_text.text(w);
        }
        for n in [0i64, 7, -12, i64::MIN, i64::MAX] {
            by_word.int(n);
            by_text.text(&n.to_string());
        }
        by_word.opt_int(None::<u64>);
        by_text.text("");
        by_word.end();
        by_text.end();
        assert_eq!(by_word.take_bytes(), by_text.take_bytes());
    }

    #[test]
    fn row_writer_quotes_as_the_csv_crate() {
        let edge: Vec<Vec<String>> = [
            vec![""],
            vec![],
            vec!["", ""],
            vec!["\""],
            vec!["a\"b\"\"c"],
            vec!["x,y", "line\nbreak", "cr\rhere", "crlf\r\n"],
            vec!["=1,2", "-0.5", "\t\"", "ünïcödé, “curly” quotes"],
            vec!["0123456,", "01234567\"", "012345678\n", "0123456789abcdef,"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let write = |rows: &[Vec<String>]| {
            let mut r = RowWriter::new();
            for row in rows {
                for c in row {
                    r.text(c);
                }
                r.end();
            }
            r.take_bytes()
        };
        assert_eq!(write(&edge), csv_crate_bytes(&edge));
        let alphabet = [
            'a', ',', '"', '\r', '\n', ' ', '=', '-', '1', 'é', '\t', '\'',
        ];
        let cells = proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(alphabet.to_vec()), 0..40)
                .prop_map(|cs| cs.into_iter().collect::<String>()),
            0..6,
        );
        proptest::proptest!(|(rows in proptest::collection::vec(cells, 0..5))| {
            proptest::prop_assert_eq!(write(&rows), csv_crate_bytes(&rows));
        });
    }

    /// Cells rendered once and appended to rows (`take_cells`, `rendered`; `text_at`,
    /// `repeat`) give the bytes of the same cells written on each row.
    #[test]
    fn cells_rendered_once_equal_cells_written_each_time() {
        let alphabet = ['a', ',', '"', '\n', '=', '-', '1', ' '];
        let cell = proptest::collection::vec(proptest::sample::select(alphabet.to_vec()), 0..12)
            .prop_map(|cs| cs.into_iter().collect::<String>());
        let group = proptest::collection::vec(cell.clone(), 1..4);
        let cells = proptest::collection::vec(cell, 0..4);
        let rows = proptest::collection::vec((cells.clone(), cells.clone(), cells), 0..4);
        proptest::proptest!(|(group in group, rows in rows)| {
            let mut direct = RowWriter::new();
            for (before, middle, after) in &rows {
                for c in before.iter().chain(&group).chain(middle).chain(&group).chain(after) {
                    direct.text(c);
                }
                direct.end();
            }
            let mut once = RowWriter::new();
            for c in &group {
                once.text(c);
            }
            let rendered = once.take_cells();
            for (before, middle, after) in &rows {
                for c in before {
                    once.text(c);
                }
                once.rendered(&rendered);
                for c in middle {
                    once.text(c);
                }
                once.rendered(&rendered);
                for c in after {
                    once.text(c);
                }
                once.end();
            }
            proptest::prop_assert_eq!(once.take_bytes(), direct.take_bytes());

            // a cell written once in the buffer and repeated on the later rows
            let mut again = RowWriter::new();
            let mut at = None;
            for (before, middle, after) in &rows {
                for c in before {
                    again.text(c);
                }
                match at.clone() {
                    Some(at) => again.repeat(at),
                    None => at = Some(again.text_at(&group[0])),
                }
                for c in middle.iter().chain(after) {
                    again.text(c);
                }
                again.end();
            }
            let mut plain = RowWriter::new();
            for (before, middle, after) in &rows {
                for c in before.iter().chain(&group[..1]).chain(middle).chain(after) {
                    plain.text(c);
                }
                plain.end();
            }
            proptest::prop_assert_eq!(again.take_bytes(), plain.take_bytes());
        });
    }

    #[test]
    fn small_p_values_keep_their_digits() {
        assert_eq!(pvalue(Some(0.04)), "0.0400");
        assert_eq!(pvalue(Some(0.00005)), "0.0001");
        assert_eq!(pvalue(Some(2.514e-7)), "2.514e-7");
        assert_eq!(pvalue(Some(0.0)), "0.0000");
        assert_eq!(pvalue(None), "");
    }

    #[test]
    fn formula_cells_are_made_inert() {
        for bad in [
            "=1+1",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
            "+",
            "-1-",
            "-1e",
            "-.",
            "-inf",
            "-NaN",
            "- 1",
            "=HYPERLINK(\"http://x\",\"y\")",
        ] {
            let made = inert(bad);
            assert_eq!(made, format!("'{bad}"), "{bad:?}");
            assert_eq!(inert(&made), made, "idempotent: {bad:?}");
        }
        assert_eq!(inert("Regime"), "Regime");
        assert_eq!(inert(""), "");
        assert_eq!(inert("'=x"), "'=x");
    }

    /// Through the one writer every report uses, read back as a spreadsheet reads a CSV.
    #[test]
    fn every_written_cell_is_inert() {
        let row = ["\tx", "\rx", "=1", "-0.53", "x", "-2+3", "@A1"];
        let bytes = crate::report::record_bytes(row);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        let got: Vec<&str> = rec.iter().collect();
        assert_eq!(got, ["'\tx", "'\rx", "'=1", "-0.53", "x", "'-2+3", "'@A1"]);
    }

    #[test]
    fn numbers_stay_numbers() {
        for n in [
            "-0.5300", "-1", "+2", "2.514e-7", "-1.5E+3", "-.5", "-5.", "0", "1e-5",
        ] {
            assert!(is_number(n), "{n}");
            assert_eq!(inert(n), n, "{n}");
        }
        for not in [
            "", "-", "1-2", "1e", "e5", "1.2.3", " 1", "1 ", "0x1f", "--1",
        ] {
            assert!(!is_number(not), "{not:?}");
        }
    }
}
