//! Reading one JSON Lines line with bounded memory. A line is read byte by byte through a small
//! JSON string scanner: a string (other than a top-level key) longer than the limit keeps its first `max_string` bytes (never
//! splitting a character or an escape) and the rest is counted and dropped, so a 50 MB `text`
//! value costs `max_string` bytes of memory, and the line still parses as JSON, with every
//! field before and after the cut. A line that is still too long (many long values, or no
//! JSON at all) is consumed to its end and reported as such.

use std::io::{self, BufRead};

/// A top-level field of the line, and how much of its value was cut; or (with `key: None`) a
/// string nested deeper that was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut {
    /// The field's key (`None` for a cut string nested deeper).
    pub key: Option<String>,
    /// Bytes of the value's text (UTF-8, escapes decoded) that were dropped; 0 when its value
    /// was read whole.
    pub dropped: u64,
}

/// What reading one line did.
#[derive(Debug, Default)]
pub(crate) struct Line {
    /// Bytes consumed from the stream, line end included; 0 at the end of the stream.
    pub consumed: u64,
    /// Every top-level key in order (a key given twice is there twice: the last one is the
    /// value JSON readers keep), with what was cut of its value, and cut strings nested deeper.
    /// Empty when the line was read in one piece without the scanner: nothing was cut.
    pub cuts: Vec<Cut>,
    /// Bytes of the line (beyond what was kept) dropped because the line was longer than
    /// `max_line` even with long strings cut: the line is then unusable.
    pub overflow: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Esc {
    None,
    /// After a backslash.
    Backslash,
    /// Inside `\uXXXX`, with the digits seen so far and their value.
    Unicode(u8, u32),
}

/// The scanner's state between bytes.
struct Scan {
    in_string: bool,
    esc: Esc,
    /// Nesting depth of objects and arrays outside strings.
    depth: u32,
    /// The last byte outside strings that was not whitespace.
    prev: u8,
    /// Where the current string's opening quote is in the output.
    open_at: usize,
    /// The current string is a value of a top-level key (at depth 1, after `:`).
    is_value: bool,
    /// The current string is a top-level key (at depth 1, after `{` or `,`).
    is_key: bool,
    /// Dropping the rest of the current string; the decoded bytes dropped so far.
    dropping: Option<u64>,
    /// The last complete escape of the kept string was a leading surrogate, ending here.
    high_surrogate_end: Option<usize>,
}

/// UTF-8 length of what a `\uXXXX` escape decodes to (each half of a surrogate pair counts 2).
fn escape_len(v: u32) -> u64 {
    match v {
        0..=0x7F => 1,
        0x80..=0x7FF => 2,
        0xD800..=0xDFFF => 2,
        _ => 3,
    }
}

/// Reads one line (up to and without its `\n`; a trailing `\r` is kept, for the caller to
/// strip) into `out`, which is cleared first. Strings are cut to `max_string` bytes and the
/// line to `max_line` bytes, as the module says.
///
/// A line that lies whole in the reader's buffer and is no longer than either limit (so
/// nothing in it can be cut) is copied as it is, without the scanner, and its
/// [`Line::cuts`] are left empty: that is nearly every line, and the scanner stopped at every
/// quote and escape, on the reading thread that every worker waits for (in the first pass it
/// took a third of a core). Not on the plain paths ([`crate::plain`]).
pub(crate) fn read_line(
    r: &mut dyn BufRead,
    out: &mut Vec<u8>,
    max_string: usize,
    max_line: usize,
) -> io::Result<Line> {
    if !crate::plain::plain() {
        out.clear();
        let buf = loop {
            match r.fill_buf() {
                Ok(b) => break b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if let Some(k) = memchr::memchr(b'\n', buf)
            && k <= max_string
            && k <= max_line
        {
            out.extend_from_slice(&buf[..k]);
            r.consume(k + 1);
            return Ok(Line {
                consumed: k as u64 + 1,
                ..Line::default()
            });
        }
    }
    scan_line(r, out, max_string, max_line)
}

/// [`read_line`] through the scanner.
fn scan_line(
    r: &mut dyn BufRead,
    out: &mut Vec<u8>,
    max_string: usize,
    max_line: usize,
) -> io::Result<Line> {
    out.clear();
    let mut line = Line::default();
    let mut s = Scan {
        in_string: false,
        esc: Esc::None,
        depth: 0,
        prev: 0,
        open_at: 0,
        is_value: false,
        is_key: false,
        dropping: None,
        high_surrogate_end: None,
    };
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            finish(&mut s, &mut line);
            return Ok(line);
        }
        let mut i = 0;
        let mut ended = false;
        while i < buf.len() {
            // Fast paths: runs of plain bytes inside a string, and anything once the line has
            // overflowed.
            if line.overflow > 0 {
                match memchr::memchr(b'\n', &buf[i..]) {
                    Some(k) => {
                        line.overflow += k as u64;
                        i += k + 1;
                        ended = true;
                    }
                    None => {
                        line.overflow += (buf.len() - i) as u64;
                        i = buf.len();
                    }
                }
                break;
            }
            if s.in_string && s.esc == Esc::None {
                let run = memchr::memchr3(b'"', b'\\', b'\n', &buf[i..]).unwrap_or(buf.len() - i);
                if run > 0 {
                    plain_run(
                        &mut s,
                        &mut line,
                        out,
                        &buf[i..i + run],
                        max_string,
                        max_line,
                    );
                    i += run;
                    continue;
                }
            }
            let b = buf[i];
            i += 1;
            if b == b'\n' {
                ended = true;
                break;
            }
            byte(&mut s, &mut line, out, b, max_string, max_line);
        }
        line.consumed += i as u64;
        r.consume(i);
        if ended {
            finish(&mut s, &mut line);
            return Ok(line);
        }
    }
}

/// End of line: a string still being dropped is recorded as cut (the line is broken JSON).
fn finish(s: &mut Scan, line: &mut Line) {
    if let Some(dropped) = s.dropping.take() {
        record_cut(s, line, dropped);
    }
}

/// A cut string: a top-level value adds to its key's entry, anything else gets its own.
fn record_cut(s: &Scan, line: &mut Line, dropped: u64) {
    match line.cuts.last_mut() {
        Some(field) if s.is_value && field.key.is_some() => field.dropped += dropped,
        _ => line.cuts.push(Cut { key: None, dropped }),
    }
}

fn push(line: &mut Line, out: &mut Vec<u8>, bytes: &[u8], max_line: usize) {
    if out.len() + bytes.len() > max_line {
        line.overflow += bytes.len() as u64;
    } else {
        out.extend_from_slice(bytes);
    }
}

/// A run of bytes inside a string with no quote, backslash or line end.
fn plain_run(
    s: &mut Scan,
    line: &mut Line,
    out: &mut Vec<u8>,
    run: &[u8],
    max_string: usize,
    max_line: usize,
) {
    if let Some(d) = s.dropping.as_mut() {
        *d += run.len() as u64;
        return;
    }
    let used = out.len().saturating_sub(s.open_at + 1);
    let room = if s.is_key {
        usize::MAX // keys are kept whole; the line limit bounds them
    } else {
        max_string.saturating_sub(used)
    };
    if run.len() <= room {
        push(line, out, run, max_line);
        s.high_surrogate_end = None;
        return;
    }
    if room > 0 {
        push(line, out, &run[..room], max_line);
        s.high_surrogate_end = None;
    }
    start_dropping(s, out, Esc::None, run.get(room).copied());
    if let Some(d) = s.dropping.as_mut() {
        *d += (run.len() - room) as u64;
    }
}

/// The kept part of the current string is full: take back a partial character or escape at
/// its end (`esc` is the escape state after the last kept byte) and a leading surrogate left
/// without its pair, and start dropping. `next` is the first byte that did not fit.
fn start_dropping(s: &mut Scan, out: &mut Vec<u8>, esc: Esc, next: Option<u8>) {
    let floor = s.open_at + 1;
    let mut dropped = 0u64;
    match esc {
        Esc::Backslash => out.truncate(out.len().saturating_sub(1).max(floor)),
        Esc::Unicode(n, _) => out.truncate(out.len().saturating_sub(2 + n as usize).max(floor)),
        Esc::None => {
            if next.is_some_and(|b| b & 0xC0 == 0x80) {
                // `next` continues a character: drop its start too.
                while out.len() > floor && out[out.len() - 1] & 0xC0 == 0x80 {
                    out.pop();
                    dropped += 1;
                }
                if out.len() > floor && out[out.len() - 1] >= 0xC0 {
                    out.pop();
                    dropped += 1;
                }
            }
        }
    }
    if s.high_surrogate_end == Some(out.len()) && out.len() >= floor + 6 {
        out.truncate(out.len() - 6);
        dropped += 2;
    }
    s.high_surrogate_end = None;
    s.dropping = Some(dropped);
}

fn byte(
    s: &mut Scan,
    line: &mut Line,
    out: &mut Vec<u8>,
    b: u8,
    max_string: usize,
    max_line: usize,
) {
    if !s.in_string {
        match b {
            b'"' => {
                s.in_string = true;
                s.esc = Esc::None;
                s.open_at = out.len();
                s.is_value = s.depth == 1 && s.prev == b':';
                s.is_key = s.depth == 1 && matches!(s.prev, b'{' | b',');
                s.high_surrogate_end = None;
            }
            b'{' | b'[' => s.depth = s.depth.saturating_add(1),
            b'}' | b']' => s.depth = s.depth.saturating_sub(1),
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            s.prev = b;
        }
        push(line, out, &[b], max_line);
        return;
    }
    // Inside a string.
    let before = s.esc;
    let closing = s.esc == Esc::None && b == b'"';
    // Decoded bytes this byte completes (for counting what is dropped).
    let mut decoded = 0u64;
    let mut completed_high = false;
    s.esc = match (s.esc, b) {
        (Esc::None, b'\\') => Esc::Backslash,
        (Esc::None, _) => {
            if !closing {
                decoded = 1;
            }
            Esc::None
        }
        (Esc::Backslash, b'u') => Esc::Unicode(0, 0),
        (Esc::Backslash, _) => {
            decoded = 1;
            Esc::None
        }
        (Esc::Unicode(n, v), _) => {
            let digit = (b as char).to_digit(16).unwrap_or(0);
            let v = v * 16 + digit;
            if n == 3 {
                decoded = escape_len(v);
                completed_high = (0xD800..0xDC00).contains(&v);
                Esc::None
            } else {
                Esc::Unicode(n + 1, v)
            }
        }
    };
    if closing {
        if let Some(dropped) = s.dropping.take() {
            record_cut(s, line, dropped);
        }
        push(line, out, b"\"", max_line);
        s.in_string = false;
        if s.is_key {
            line.cuts.push(Cut {
                key: out
                    .get(s.open_at..)
                    .and_then(|k| serde_json::from_slice::<String>(k).ok()),
                dropped: 0,
            });
        }
        s.prev = b'"';
        return;
    }
    if let Some(d) = s.dropping.as_mut() {
        *d += decoded;
        return;
    }
    let used = out.len().saturating_sub(s.open_at + 1);
    if used >= max_string && !s.is_key {
        start_dropping(s, out, before, Some(b));
        if let Some(d) = s.dropping.as_mut() {
            *d += decoded;
        }
        return;
    }
    push(line, out, &[b], max_line);
    if completed_high {
        s.high_surrogate_end = Some(out.len());
    } else if s.esc == Esc::None {
        s.high_surrogate_end = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max_string: usize, max_line: usize) -> (String, Line) {
        let mut r = io::BufReader::with_capacity(7, input);
        let mut out = Vec::new();
        let line = read_line(&mut r, &mut out, max_string, max_line).unwrap();
        (String::from_utf8_lossy(&out).into_owned(), line)
    }

    #[test]
    fn short_lines_pass_through() {
        let (out, line) = read(b"{\"a\":\"x\\\"y\"}\nnext", 100, 1000);
        assert_eq!(out, "{\"a\":\"x\\\"y\"}");
        assert_eq!(line.consumed, 13);
        assert_eq!(
            line.cuts,
            [Cut {
                key: Some("a".into()),
                dropped: 0
            }]
        );
        assert_eq!(line.overflow, 0);
    }

    #[test]
    fn a_long_value_is_cut_and_the_line_still_parses() {
        let text = "word ".repeat(1000);
        let input = format!("{{\"id\":\"1\",\"text\":\"{text}\",\"source\":\"S\"}}\n");
        let (out, line) = read(input.as_bytes(), 100, 1000);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["text"].as_str().unwrap(), &text[..100]);
        assert_eq!(v["source"], "S");
        let cut = |k: &str, dropped: usize| Cut {
            key: Some(k.into()),
            dropped: dropped as u64,
        };
        assert_eq!(
            line.cuts,
            [
                cut("id", 0),
                cut("text", text.len() - 100),
                cut("source", 0)
            ]
        );
        assert_eq!(line.consumed, input.len() as u64);
    }

    #[test]
    fn cuts_never_split_characters_or_escapes() {
        for (value, max) in [
            ("aé", 2),
            ("a\\u00e9b", 3),
            ("ab\\nc", 3),
            ("a\\ud83d\\ude00b", 8),
            ("a\\ud83d\\ude00b", 7),
            ("a😀b", 3),
        ] {
            let input = format!("{{\"text\":\"{value}\"}}");
            let full: serde_json::Value = serde_json::from_str(&input).unwrap();
            let full = full["text"].as_str().unwrap().to_owned();
            let (out, line) = read(input.as_bytes(), max, 1000);
            let v: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{value} {max}: {out}: {e}"));
            let kept = v["text"].as_str().unwrap();
            assert!(full.starts_with(kept), "{value} {max}");
            assert_eq!(
                kept.len() as u64 + line.cuts[0].dropped,
                full.len() as u64,
                "{value} {max}"
            );
        }
    }

    /// Regression (found by fuzzing, `fuzz_jsonl_reader`): with a key given twice JSON keeps
    /// the last value, but the cut of the first was counted against it.
    #[test]
    fn a_repeated_key_counts_the_cut_of_its_last_value() {
        let long = "x".repeat(500);
        let input = format!("{{\"text\":\"{long}\",\"source\":1,\"text\":\"the\"}}");
        let (_, line) = read(input.as_bytes(), 100, 1000);
        let last = line
            .cuts
            .iter()
            .rev()
            .find(|c| c.key.as_deref() == Some("text"));
        assert_eq!(last.map(|c| c.dropped), Some(0));
        assert_eq!(line.cuts[0].dropped, 400);
    }

    /// Every line of `input`, read by `read` through a buffer of `capacity` bytes: what it
    /// kept, consumed and overflowed, and the bytes cut from each key's last value.
    type Lines = Vec<(Vec<u8>, u64, u64, Vec<(String, u64)>)>;
    fn read_all(
        input: &[u8],
        capacity: usize,
        max_string: usize,
        max_line: usize,
        read: fn(&mut dyn BufRead, &mut Vec<u8>, usize, usize) -> io::Result<Line>,
    ) -> Lines {
        let mut r = io::BufReader::with_capacity(capacity, input);
        let mut out = Vec::new();
        let mut lines = Vec::new();
        loop {
            let line = read(&mut r, &mut out, max_string, max_line).unwrap();
            if line.consumed == 0 {
                return lines;
            }
            // What the JSON Lines reader takes from the cuts: each key's last value's cut,
            // and none when nothing was cut.
            let mut cut: Vec<(String, u64)> = Vec::new();
            for c in line.cuts.iter().rev() {
                if let Some(k) = &c.key
                    && !cut.iter().any(|(seen, _)| seen == k)
                {
                    cut.push((k.clone(), c.dropped));
                }
            }
            cut.retain(|(_, dropped)| *dropped > 0);
            cut.sort();
            lines.push((out.clone(), line.consumed, line.overflow, cut));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// A line found whole in the buffer is copied as the scanner would have kept it.
        #[test]
        fn lines_read_whole_are_what_the_scanner_keeps(
            parts in proptest::collection::vec(proptest::sample::select(&[
                "{", "}", "\"text\":", "\"id\":", "\"", "\\", "\\n", "\\u00e9", "\\ud83d",
                "é", "😀", "word ", ",", "[", "]", "\n", "\r\n", "\n\n", "x", "  ",
            ][..]), 0..60),
            capacity in 1usize..64,
            max_string in 1usize..40,
            max_line in 1usize..80,
        ) {
            let input = parts.concat();
            let fast = read_all(input.as_bytes(), capacity, max_string, max_line, read_line);
            let scanned = read_all(input.as_bytes(), capacity, max_string, max_line, scan_line);
            proptest::prop_assert_eq!(fast, scanned, "{:?}", input);
        }
    }

    #[test]
    fn a_short_line_in_the_buffer_is_read_whole() {
        let mut r = io::BufReader::with_capacity(64, &b"{\"text\":\"a \\\"b\\\"\"}\r\nnext"[..]);
        let mut out = Vec::new();
        let line = read_line(&mut r, &mut out, 100, 100).unwrap();
        assert_eq!(out, b"{\"text\":\"a \\\"b\\\"\"}\r");
        assert_eq!((line.consumed, line.overflow), (20, 0));
        assert!(line.cuts.is_empty());
    }

    #[test]
    fn a_line_too_long_overflows_and_is_consumed() {
        let (_, line) = read(&[b'x'; 5000], 100, 1000);
        assert!(line.overflow > 0);
        assert_eq!(line.consumed, 5000);
    }
}
