//! The common JSON line read in one scan: a flat object whose values are strings, `null`,
//! `true` or `false`. [`pick`] returns the values of the keys asked for, or `None` for
//! anything else (a number, an array or object value, a tab or control character anywhere,
//! an escape it does not decode, any syntax error), and the caller then parses the line with
//! `serde_json`, which stays the definition of how a line reads and says what is wrong with
//! one. What `pick` accepts it reads as `serde_json` does (property tests compare the two on
//! generated lines); it only skips building a tree of every value, growing a buffer for each
//! string and copying the text once more.

use serde_json::{Map, Value};

/// The values of the keys asked for, in the order asked, as `serde_json` would have them in
/// the object's map: the last value of a key given twice. `None` when the line is not a flat
/// object this reader takes (see the module).
pub(crate) fn pick(line: &str, names: &[&str]) -> Option<Map<String, Value>> {
    let b = line.as_bytes();
    // A control character is never allowed unescaped in a string, and only tab (as well as
    // the line end, not part of the line) between tokens: decline them all at once, so that
    // a string's content ends at the next quote or backslash.
    if has_control(b) {
        return None;
    }
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut map = Map::new();
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then_some(map);
    }
    loop {
        let (key, end) = string(line, i)?;
        i = skip_ws(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let wanted = names.iter().any(|n| *n == key);
        let value = match b.get(i)? {
            b'"' => {
                let (s, end) = string(line, i)?;
                i = end;
                Value::String(s)
            }
            b'n' if b[i..].starts_with(b"null") => {
                i += 4;
                Value::Null
            }
            b't' if b[i..].starts_with(b"true") => {
                i += 4;
                Value::Bool(true)
            }
            b'f' if b[i..].starts_with(b"false") => {
                i += 5;
                Value::Bool(false)
            }
            _ => return None,
        };
        if wanted {
            map.insert(key, value);
        }
        i = skip_ws(b, i);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => return (skip_ws(b, i + 1) == b.len()).then_some(map),
            _ => return None,
        }
    }
}

/// Whether any byte is below 0x20; 32 bytes at a time with no early exit, which the compiler
/// turns into vector compares.
fn has_control(b: &[u8]) -> bool {
    b.chunks(32)
        .any(|chunk| chunk.iter().fold(false, |seen, &c| seen | (c < 0x20)))
}

/// The first byte at or after `i` that is not JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The JSON string starting at the quote `line[at]`, decoded, and the index past its closing
/// quote, in a line without control characters. `None` for an unknown escape, a `\u` escape that
/// is not four hex digits, or a surrogate not in a high-low pair (`serde_json` rejects all
/// of these in a string), and for a string without its closing quote.
fn string(line: &str, at: usize) -> Option<(String, usize)> {
    let b = line.as_bytes();
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    let mut out = String::new();
    loop {
        let start = i;
        // the line holds no control character (checked in `pick`)
        i = memchr::memchr2(b'"', b'\\', &b[i..]).map_or(b.len(), |k| i + k);
        // `i` is at an ASCII byte or the end, so both ends are char boundaries
        let plain = line.get(start..i)?;
        match b.get(i)? {
            // no escape: the content copied once, at its size
            b'"' if out.capacity() == 0 => return Some((plain.to_owned(), i + 1)),
            b'"' => {
                out.push_str(plain);
                return Some((out, i + 1));
            }
            b'\\' => {
                if out.capacity() == 0 {
                    // decoding never lengthens: the rest of the line is room enough
                    out.reserve(b.len() - at);
                }
                out.push_str(plain);
                let c = match b.get(i + 1)? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let hi = hex4(b, i + 2)?;
                        i += 6;
                        if (0xD800..0xDC00).contains(&hi) {
                            if b.get(i..i + 2)? != b"\\u" {
                                return None;
                            }
                            let lo = hex4(b, i + 2)?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return None;
                            }
                            i += 6;
                            out.push(char::from_u32(
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                            )?);
                        } else {
                            // a lone low surrogate is no char: `None`
                            out.push(char::from_u32(hi)?);
                        }
                        continue;
                    }
                    _ => return None,
                };
                out.push(c);
                i += 2;
            }
            _ => return None,
        }
    }
}

/// The four hex digits at `b[at..]`, as a number.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = b.get(at..at + 4)?;
    let mut n = 0;
    for &d in digits {
        n = n * 16 + char::from(d).to_digit(16)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NAMES: [&str; 4] = ["id", "text", "source", "k\"y"];

    /// What `serde_json` makes of the line, restricted to the keys asked for.
    fn oracle(line: &str) -> Option<Map<String, Value>> {
        match serde_json::from_str::<Value>(line).ok()? {
            Value::Object(m) => Some(
                m.into_iter()
                    .filter(|(k, _)| NAMES.contains(&k.as_str()))
                    .collect(),
            ),
            _ => None,
        }
    }

    #[test]
    fn reads_flat_objects_as_serde_json_does() {
        let lines = [
            r#"{"id":"a","text":"x\ny \"q\" \u00e9\ud83d\ude00 \/ \\ \b\f\r\t","source":"S"}"#,
            r#"  { "id" : null , "text":true,"source":false, "other": "o" }  "#,
            r#"{"text":"first","text":"second"}"#,
            r#"{"k\"y":"escaped key","t\u0065xt":"escaped name"}"#,
            r#"{}"#,
            "{\"text\":\"caf\u{e9} \u{1F600}\"}",
        ];
        for line in lines {
            assert_eq!(pick(line, &NAMES), oracle(line), "{line}");
            assert!(pick(line, &NAMES).is_some(), "{line}");
        }
    }

    #[test]
    fn declines_what_it_does_not_read() {
        let lines = [
            r#"{"id":1,"text":"x"}"#,
            r#"{"id":[1],"text":"x"}"#,
            r#"{"id":{},"text":"x"}"#,
            r#"{"text":"lone \ud800 high"}"#,
            r#"{"text":"lone \udc00 low"}"#,
            r#"{"text":"high then not low \ud800\u0041"}"#,
            r#"{"text":"bad \x escape"}"#,
            r#"{"text":"short \u12"}"#,
            "{\"text\":\"raw\ttab\"}",
            r#"{"text":"x"} trailing"#,
            r#"{"text":"x",}"#,
            r#"{"text":"unclosed}"#,
            r#"{"text" "x"}"#,
            r#"["text"]"#,
            r#"{"text":nul}"#,
            "",
        ];
        for line in lines {
            assert_eq!(pick(line, &NAMES), None, "{line}");
        }
    }

    /// A JSON string of plain text, every escape, surrogates, control characters and broken
    /// escapes.
    fn string_piece() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a b".to_string()),
                Just("é".to_string()),
                Just("😀".to_string()),
                Just("\\n".to_string()),
                Just("\\\"".to_string()),
                Just("\\\\".to_string()),
                Just("\\/".to_string()),
                Just("\\b".to_string()),
                Just("\\f".to_string()),
                Just("\\r".to_string()),
                Just("\\t".to_string()),
                Just("\\u0000".to_string()),
                Just("\\u00e9".to_string()),
                Just("\\u00E9".to_string()),
                Just("\\uD83D".to_string()),
                Just("\\ude00".to_string()),
                Just("\\u12".to_string()),
                Just("\\q".to_string()),
                Just("\u{1}".to_string()),
                Just("\u{1f}".to_string()),
                Just("\u{7f}".to_string()),
                Just("\\".to_string()),
            ],
            0..6,
        )
        .prop_map(|v| format!("\"{}\"", v.concat()))
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\"id\"".to_string()),
            Just("\"text\"".to_string()),
            Just("\"source\"".to_string()),
            Just("\"k\\\"y\"".to_string()),
            Just("\"t\\u0065xt\"".to_string()),
            Just("null".to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            Just("12".to_string()),
            Just("[]".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just(":".to_string()),
            Just(",".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            string_piece(),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => string_piece(),
            1 => Just("null".to_string()),
            1 => Just("true".to_string()),
            1 => Just("false".to_string()),
            1 => Just("-1.5e3".to_string()),
            1 => Just("[\"a\"]".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever `pick` accepts, `serde_json` reads the same; and a flat object of the
        /// generated pieces that `serde_json` reads, `pick` reads too unless it holds a
        /// number, array, object or tab.
        #[test]
        fn agrees_with_serde_json(pieces in proptest::collection::vec(piece(), 0..14)) {
            let line = format!("{{{}}}", pieces.concat());
            let got = pick(&line, &NAMES);
            if got.is_some() {
                prop_assert_eq!(&got, &oracle(&line), "{}", line);
            }
            // declined by design: nesting, numbers, and a tab even between tokens
            let declined = line[1..].contains(['{', '[']) || line.contains("12") || line.contains('\t');
            if !declined && oracle(&line).is_some() {
                prop_assert!(got.is_some(), "declined {}", line);
            }
        }

        /// Objects of generated keys and values: `pick` declines only a number, array or
        /// object value, or a string `serde_json` rejects, and otherwise reads the same.
        #[test]
        fn agrees_on_objects(fields in proptest::collection::vec(
            (0usize..5, value()), 0..6)) {
            let body: Vec<String> = fields.iter().map(|(k, v)| {
                let key = NAMES.get(*k).map_or_else(|| "\"other\"".to_string(),
                    |n| serde_json::to_string(n).unwrap());
                format!("{key}: {v}")
            }).collect();
            let line = format!("{{{}}}", body.join(", "));
            let got = pick(&line, &NAMES);
            let want = oracle(&line);
            if got.is_some() {
                prop_assert_eq!(&got, &want, "{}", line);
            }
            let flat = fields.iter().all(|(_, v)| v.starts_with('"') || v.starts_with(['n', 't', 'f']));
            prop_assert_eq!(got.is_some(), flat && want.is_some(), "{}", line);
        }
    }
}
