//! Fuzz targets, as property tests (proptest: runs on stable Rust, shrinks a failure to a small
//! input, and replays it from `tests/fuzz.proptest-regressions`). Each target feeds one parser
//! arbitrary bytes and structure-aware near-valid input (lexicon and dictionary lines,
//! JSON Lines and CSV rows, quotation marks of every kind, balanced and not, Markdown and HTML
//! fragments, multi-byte characters, CRLF, byte-order marks, UTF-16) and checks what must hold
//! for any input: no panic, problems and skips that name their file and line, offsets on
//! character boundaries, every hit's text equal to the slice it points at.
//!
//! Cases per target: `FRAMESCOPE_FUZZ_CASES` (default 64, so `cargo test` stays quick; `.ci/run`
//! runs a bounded larger run; see the README for a long run). A failure found becomes a
//! regression test named after what it found (in the module it concerns, or at the end here).

use std::sync::OnceLock;

use framescope::corpus::{
    Article, Encoding, FieldMap, HtmlMode, InputFormat, InputSpec, Item, Origin, decode, read_bytes,
};
use framescope::lexicon::import::{DictFormat, import};
use framescope::lexicon::{LexiconSet, parse};
use framescope::quotes::find_quotes;
use framescope::score::{Analyzer, Field};
use framescope::text::Document;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    let cases = std::env::var("FRAMESCOPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        // Shrinking a failure can take long; a bound keeps CI bounded too.
        max_shrink_iters: 2000,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..Config::default()
    }
}

// ------------------------------------------------------------------------------------------
// Generators.

/// Pieces of news text: words, punctuation, every kind of quotation mark and apostrophe,
/// whitespace of every kind, Markdown and HTML remnants, multi-byte characters, lexicon words.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "the", "minister", "said", "claimed", "regime", "so-called", "shocking", "officials",
            "according to", "told", "reporters", "We", "us", "must", "very", "Mr.", "U.S.",
            "Dec.", "No. 1", "I", "it's", "don't", "rock 'n' roll", "'90s", "talks", "went",
            "well", "Putin", "Modi", "India", "Russia", "deal", "failure", "fed up", "café",
            "naïve", "Zürich", "東京", "مرحبا", "😀", "👍🏽",
        ])
        .prop_map(str::to_owned),
        3 => prop::sample::select(vec![
            " ", " ", "  ", ". ", ", ", "; ", ": ", "! ", "? ", "... ", "…", " - ", " — ", "–",
            "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\t", "\u{a0}", "\u{2009}", "\u{200b}",
            "\u{ad}", "\u{feff}", "\u{2028}", "\u{2029}", "\u{0085}", "\u{000b}", "\u{000c}",
        ])
        .prop_map(str::to_owned),
        3 => prop::sample::select(vec![
            "\"", "\"", "'", "\u{201c}", "\u{201d}", "\u{2018}", "\u{2019}", "\u{201e}",
            "\u{201a}", "\u{201b}", "\u{201f}", "\u{2032}", "\u{2033}", "«", "»", "‹", "›",
            "« ", " »", "`", "``", "''",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec![
            "[link](#)", "**bold**", "# Heading\n", "> quote\n", "\\$50", "<b>", "</p>",
            "<script>x()</script>", "&amp;", "&nbsp;", "![img](x.png)", "* item\n", "1. item\n",
            "SputnikOn", "Read also:", "Share this", "(", ")", "[", "]",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

/// A text of up to `n` pieces.
fn text(n: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..n).prop_map(|v| v.concat())
}

/// Quoted passages: balanced (a mark, words, its closing mark) or not, nested or not.
fn quoted_text() -> impl Strategy<Value = String> {
    let pair = prop::sample::select(vec![
        ("\"", "\""),
        ("\u{201c}", "\u{201d}"),
        ("\u{2018}", "\u{2019}"),
        ("'", "'"),
        ("«", "»"),
        ("»", "«"),
        ("‹", "›"),
        ("\u{201e}", "\u{201c}"),
    ]);
    let quote =
        (pair, text(8), any::<u8>()).prop_map(|((open, close), inner, how)| match how % 4 {
            0 => format!("{open}{inner}"),  // never closed
            1 => format!("{inner}{close}"), // never opened
            _ => format!("{open}{inner}{close}"),
        });
    prop::collection::vec(prop_oneof![quote, text(6)], 0..10).prop_map(|v| v.join(" "))
}

/// Bytes of a text in one of the encodings the readers meet.
fn encoded(s: &str, how: u8) -> Vec<u8> {
    match how % 6 {
        0 | 1 => s.as_bytes().to_vec(),
        2 => [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat(),
        3 => {
            let mut v = vec![0xFF, 0xFE];
            v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
            v
        }
        4 => {
            let mut v = vec![0xFE, 0xFF];
            v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
            v
        }
        _ => encoding_rs::WINDOWS_1252.encode(s).0.into_owned(),
    }
}

/// Arbitrary bytes, or a structured text encoded somehow, or a structured text with a few
/// bytes flipped.
fn bytes_from(lines: BoxedStrategy<String>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..600),
        3 => (lines.clone(), any::<u8>()).prop_map(|(s, how)| encoded(&s, how)),
        1 => (lines, prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)).prop_map(
            |(s, flips)| {
                let mut b = s.into_bytes();
                for (at, v) in flips {
                    if !b.is_empty() {
                        let i = at % b.len();
                        b[i] = v;
                    }
                }
                b
            }
        ),
    ]
}

fn join_lines(lines: Vec<String>, crlf: bool) -> String {
    lines.join(if crlf { "\r\n" } else { "\n" })
}

/// Near-valid lines of a framescope lexicon file.
fn lexicon_text() -> BoxedStrategy<String> {
    let line = prop_oneof![
        prop::sample::select(vec![
            "#! side: advocacy",
            "#! side: neutral",
            "#! side: none",
            "#! side: sideways",
            "#! weight: 1.5",
            "#! weight: -2",
            "#! weight: heavy",
            "#! weight: NaN",
            "#! case: sensitive",
            "#! case: insensitive",
            "#! case: maybe",
            "#! role: cue",
            "#! role: speaker",
            "#! role: frame",
            "#! role: nope",
            "#! description: x",
            "#! group: g",
            "#! id: fam.cat",
            "#! id: Bad Id",
            "#! unknown: 1",
            "#!",
            "#",
            "",
            "   ",
            "# comment",
        ])
        .prop_map(str::to_owned),
        text(4),
        (
            text(3),
            prop::sample::select(vec!["*", "**", " *", "", " = 2", " = -1", " = x", "="])
        )
            .prop_map(|(t, s)| format!("{t}{s}")),
        text(3).prop_map(|t| format!("!{t}")),
    ];
    (prop::collection::vec(line, 0..20), any::<bool>())
        .prop_map(|(l, crlf)| join_lines(l, crlf))
        .boxed()
}

/// Near-valid dictionary lines of every format (LIWC, weighted, YAML, CSV, plain).
fn dictionary_text() -> BoxedStrategy<String> {
    let liwc = (
        prop::collection::vec(
            (
                0u32..300,
                prop::sample::select(vec!["posemo", "negemo", "", "a b", "x"]),
            ),
            0..5,
        ),
        prop::collection::vec(
            (
                text(2),
                prop::collection::vec(
                    prop_oneof![
                        (0u32..300).prop_map(|n| n.to_string()),
                        Just("0125".to_owned()),
                        Just("<of>131/125".to_owned()),
                        Just("(02 134)125/464".to_owned()),
                        Just("x".to_owned()),
                    ],
                    0..4,
                ),
            ),
            0..12,
        ),
        prop::sample::select(vec!["%", " % ", "%%", ""]),
    )
        .prop_map(|(cats, terms, pct)| {
            let mut s = format!("{pct}\n");
            for (id, name) in cats {
                s.push_str(&format!("{id}\t{name}\n"));
            }
            s.push_str(&format!("{pct}\n"));
            for (term, ids) in terms {
                s.push_str(&format!("{term}\t{}\n", ids.join("\t")));
            }
            s
        });
    let weighted = prop::collection::vec(
        (
            text(2),
            prop::sample::select(vec![
                "1.5",
                "-2",
                "0",
                "x",
                "",
                "1e400",
                "NaN",
                "-0.5\t0.8\t[1, 2]",
            ]),
        ),
        0..12,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(t, w)| format!("{t}\t{w}\n"))
            .collect::<String>()
    });
    let yaml_line = prop_oneof![
        text(2).prop_map(|t| format!("{t}:")),
        text(2).prop_map(|t| format!("  - {t}")),
        text(2).prop_map(|t| format!("  {t}:")),
        text(2).prop_map(|t| format!("    - \"{t}\"")),
        prop::sample::select(vec![
            "---",
            "...",
            "- x",
            "a: [b, c]",
            "a: {b: c}",
            "&a x",
            "*a",
            "!!str",
            "? k",
            "\t- tab"
        ])
        .prop_map(str::to_owned),
    ];
    let yaml = prop::collection::vec(yaml_line, 0..14).prop_map(|l| l.join("\n"));
    let csv_rows = prop::collection::vec(
        (
            text(2),
            text(1),
            prop::sample::select(vec!["", ",1", ",-1", ",x", ",,", ",\"2\""]),
        ),
        0..12,
    )
    .prop_map(|rows| {
        let mut s = "term,category,weight\n".to_owned();
        for (t, c, w) in rows {
            s.push_str(&format!("{t},{c}{w}\n"));
        }
        s
    });
    prop_oneof![liwc, weighted, yaml, csv_rows, text(30)].boxed()
}

/// Near-valid JSON Lines: objects with the usual keys, values of every JSON type, escapes,
/// long strings, truncated lines, blank lines, CRLF.
fn jsonl_text() -> BoxedStrategy<String> {
    let value = prop_oneof![
        3 => text(12).prop_map(|t| serde_json::to_string(&t).unwrap()),
        1 => text(4).prop_map(|t| {
            // \u escapes, surrogate pairs included
            t.chars().map(|c| {
                let mut b = [0u16; 2];
                c.encode_utf16(&mut b).iter().map(|u| format!("\\u{u:04x}")).collect::<String>()
            }).collect::<String>()
        }).prop_map(|e| format!("\"{e}\"")),
        1 => (text(3), 1usize..300).prop_map(|(t, n)| serde_json::to_string(&t.repeat(n)).unwrap()),
        1 => prop::sample::select(vec!["1", "-0.5", "true", "null", "[1,2]", "{\"a\":1}", "\"\"", "\"   \""]).prop_map(str::to_owned),
    ];
    let key = prop::sample::select(vec![
        "id", "source", "title", "text", "date", "url", "author", "body", "x",
    ]);
    let object = prop::collection::vec((key, value), 0..7).prop_map(|fields| {
        let inner: Vec<String> = fields
            .into_iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        format!("{{{}}}", inner.join(","))
    });
    let line = prop_oneof![
        6 => object.clone(),
        1 => (object, any::<usize>()).prop_map(|(o, cut)| {
            let mut end = cut % (o.len() + 1);
            while !o.is_char_boundary(end) { end -= 1; }
            o[..end].to_owned()
        }),
        1 => text(6),
        1 => Just(String::new()),
    ];
    (prop::collection::vec(line, 0..12), any::<bool>())
        .prop_map(|(l, crlf)| join_lines(l, crlf))
        .boxed()
}

/// Near-valid CSV: a header, rows with the right and wrong number of fields, quoted fields
/// with commas, quotes and line breaks, stray quotes.
fn csv_text() -> BoxedStrategy<String> {
    let field = prop_oneof![
        3 => text(6),
        2 => text(8).prop_map(|t| format!("\"{}\"", t.replace('"', "\"\""))),
        1 => text(3).prop_map(|t| format!("\"{t}")),
        1 => text(3).prop_map(|t| format!("{t}\"x\"")),
    ];
    let row = prop::collection::vec(field, 0..6).prop_map(|f| f.join(","));
    let header = prop::sample::select(vec![
        "id,source,text",
        "text",
        "source,title,text,extra",
        "id,source,body",
        "text,text",
        "",
    ]);
    (header, prop::collection::vec(row, 0..10), any::<bool>())
        .prop_map(|(h, rows, crlf)| {
            let mut l = vec![h.to_owned()];
            l.extend(rows);
            join_lines(l, crlf)
        })
        .boxed()
}

// ------------------------------------------------------------------------------------------
// Checks shared by targets.

fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1
}

/// What every problem of a lexicon or dictionary file must be: it names the file, its line
/// is a line of the file, and it prints as `origin:line:` (or `origin:` for the whole file).
fn check_problems(origin: &str, bytes: &[u8], problems: &[framescope::lexicon::Problem]) {
    // A UTF-16 file has its line breaks in 2-byte units; count generously.
    let lines = line_count(bytes);
    for p in problems {
        assert_eq!(p.origin, origin);
        assert!(p.line <= lines, "line {} of {lines}: {p}", p.line);
        let shown = p.to_string();
        if p.line > 0 {
            assert!(
                shown.starts_with(&format!("{origin}:{}: ", p.line)),
                "{shown}"
            );
        } else {
            assert!(shown.starts_with(&format!("{origin}: ")), "{shown}");
        }
        assert!(!p.message.is_empty());
    }
}

fn spec(name: &str, format: InputFormat, max: usize) -> InputSpec {
    InputSpec {
        path: name.into(),
        format,
        fields: FieldMap::default(),
        html: HtmlMode::Auto,
        max_article_bytes: max,
    }
}

/// Every item a stream reader yields names the file and a line of it; every article is
/// non-empty text within the limit; every skip says why.
fn check_items(name: &str, bytes: &[u8], items: &[Item], max: usize) {
    let lines = line_count(bytes) as u64;
    for item in items {
        match item {
            Item::Article(a) => {
                assert_eq!(a.origin.path.to_str(), Some(name));
                let line = a.origin.line.expect("an article of a stream has a line");
                assert!(line >= 1 && line <= lines, "line {line} of {lines}");
                assert!(!a.text.trim().is_empty());
                assert!(!a.source.trim().is_empty());
                assert!(a.text.len() <= max, "{} > {max}", a.text.len());
            }
            Item::Skip(s) => {
                assert_eq!(s.origin.path.to_str(), Some(name));
                if let Some(line) = s.origin.line {
                    assert!(line >= 1 && line <= lines + 1, "line {line} of {lines}");
                }
                assert!(!s.reason.trim().is_empty());
            }
        }
    }
}

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::new(LexiconSet::load(true, &[]).unwrap()).unwrap())
}

fn article(title: String, text: String) -> Article {
    Article {
        id: "fuzz".into(),
        source: "Fuzz".into(),
        title,
        date: String::new(),
        url: String::new(),
        author: String::new(),
        text,
        encoding: Encoding::Utf8,
        origin: Origin {
            path: "fuzz.txt".into(),
            line: None,
        },
        extra: vec![],
        html_dropped: vec![],
        cut_bytes: 0,
    }
}

/// The document's spans are on char boundaries, ordered, inside their paragraphs, and map back
/// to char boundaries of the input.
fn check_document(input: &str, doc: &Document) {
    let t = &doc.text;
    let mut prev_end = 0;
    for p in &doc.paragraphs {
        assert!(p.start < p.end && p.end <= t.len(), "{p:?}");
        assert!(t.is_char_boundary(p.start) && t.is_char_boundary(p.end));
        assert!(p.start >= prev_end);
        prev_end = p.end;
    }
    let mut prev_end = 0;
    for (i, s) in doc.sentences.iter().enumerate() {
        assert!(s.start < s.end && s.end <= t.len(), "{s:?}");
        assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
        assert!(s.start >= prev_end);
        prev_end = s.end;
        assert_eq!(doc.sentence_index(s.start), Some(i));
        let r = doc.input_range(*s);
        assert!(r.start <= r.end && r.end <= input.len(), "{r:?}");
        assert!(input.is_char_boundary(r.start) && input.is_char_boundary(r.end));
    }
}

// ------------------------------------------------------------------------------------------
// Targets.

proptest! {
    #![proptest_config(config())]

    /// The lexicon parser: any bytes, and near-valid lexicon files.
    #[test]
    fn fuzz_lexicon_parser(bytes in bytes_from(lexicon_text())) {
        let text = String::from_utf8_lossy(&bytes);
        let (lexicon, problems) = parse("mine/cat.txt", Some("mine.cat"), &text);
        check_problems("mine/cat.txt", text.as_bytes(), &problems);
        let errors = problems.iter().any(|p| p.severity == framescope::lexicon::Severity::Error);
        prop_assert_eq!(lexicon.is_some(), !errors, "a lexicon exactly when there is no error");
        if let Some(l) = lexicon {
            for e in &l.entries {
                prop_assert!(e.line >= 1 && e.line <= line_count(text.as_bytes()));
            }
        }
    }

    /// Every dictionary format reader: any bytes, and near-valid files of each format, read as
    /// each format (and detected).
    #[test]
    fn fuzz_dictionary_readers(bytes in bytes_from(dictionary_text()), which in 0u8..6) {
        let format = [
            Some(DictFormat::Liwc),
            Some(DictFormat::Weighted),
            Some(DictFormat::Yaml),
            Some(DictFormat::Csv),
            Some(DictFormat::Plain),
            None,
        ][which as usize];
        let origin = "dict/moral.dic";
        let imported = import(origin, "moral", &bytes, format);
        check_problems(origin, &bytes, &imported.problems);
        if let Some(f) = format {
            prop_assert_eq!(imported.format, f);
        }
        for c in &imported.categories {
            for e in &c.entries {
                prop_assert!(e.line <= line_count(&bytes), "entry line {}", e.line);
                prop_assert!(!e.term.trim().is_empty(), "empty term in {}", c.name);
            }
        }
    }

    /// The decoder: never panics; the text never holds NUL unless UTF-16 says so; valid UTF-8
    /// comes back as it was.
    #[test]
    fn fuzz_decoder(bytes in bytes_from(text(40).boxed())) {
        match decode(&bytes) {
            Ok(d) => {
                let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
                if !utf16 {
                    prop_assert!(!d.text.contains('\0'));
                }
                if let Ok(s) = std::str::from_utf8(&bytes)
                    && !utf16 {
                        prop_assert_eq!(d.text.as_str(), s.strip_prefix('\u{feff}').unwrap_or(s));
                    }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// The JSON Lines reader: each non-blank line is exactly one article or skip, on its line;
    /// a text longer than the limit is a prefix of the text as written, and its length plus
    /// `cut_bytes` is the length of the whole text.
    #[test]
    fn fuzz_jsonl_reader(bytes in bytes_from(jsonl_text()), max in prop::sample::select(vec![1024usize, 1 << 20])) {
        let name = "feed.jsonl";
        let Ok(items) = read_bytes(&spec(name, InputFormat::Jsonl, max), bytes.clone()) else {
            return Ok(()); // refused as a whole (binary, a JSON array...): exit code 2
        };
        check_items(name, &bytes, &items, max);
        let plain = !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF");
        if plain {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
            let non_blank = lines.iter().filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
            prop_assert_eq!(items.len(), non_blank, "one item per non-blank line");
            for item in &items {
                let Item::Article(a) = item else { continue };
                let line = lines[a.origin.line.unwrap() as usize - 1];
                let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(line) else {
                    continue;
                };
                if let Some(serde_json::Value::String(full)) = map.get("text") {
                    if crate_is_html(full) {
                        continue;
                    }
                    prop_assert!(full.starts_with(a.text.as_str()));
                    prop_assert_eq!(a.text.len() as u64 + a.cut_bytes, full.len() as u64);
                }
            }
        }
    }

    /// The CSV reader: every record is an article or a skip on its line, within the limit.
    #[test]
    fn fuzz_csv_reader(bytes in bytes_from(csv_text()), max in prop::sample::select(vec![1024usize, 1 << 20])) {
        let name = "table.csv";
        if let Ok(items) = read_bytes(&spec(name, InputFormat::Csv, max), bytes.clone()) {
            check_items(name, &bytes, &items, max);
        }
    }

    /// The text pipeline: the document's spans are on char boundaries and map back into the
    /// input; every hit's text is the slice of the field it points at, with matching char
    /// offsets; every quotation row points at char boundaries of the text.
    #[test]
    fn fuzz_text_pipeline(title in text(6), body in prop_oneof![text(60), quoted_text()]) {
        let doc = Document::new(&body);
        check_document(&body, &doc);
        let a = article(title, body);
        let Ok(analysis) = analyzer().analyze(&a, true) else {
            return Ok(()); // no body text: a skip with its reason
        };
        for h in &analysis.hits {
            let field = match h.field {
                Field::Text => &a.text,
                Field::Title => &a.title,
            };
            prop_assert!(field.is_char_boundary(h.bytes.start) && field.is_char_boundary(h.bytes.end));
            // a hit is some text: the matched words, or a scare-quoted phrase
            prop_assert!(!h.matched(&a).is_empty());
            prop_assert_eq!(field[..h.bytes.start].chars().count(), h.chars.start);
            prop_assert_eq!(field[..h.bytes.end].chars().count(), h.chars.end);
        }
        for q in &analysis.quotes {
            prop_assert!(q.bytes.start <= q.bytes.end);
            let field = if q.in_headline && q.bytes.end > a.text.len() { &a.title } else { &a.text };
            prop_assert!(q.bytes.end <= field.len().max(a.title.len()));
            if q.bytes.end <= field.len() {
                prop_assert!(field.is_char_boundary(q.bytes.start) && field.is_char_boundary(q.bytes.end));
            }
        }
    }

    /// The quotation finder: spans inside the text on char boundaries, the quoted words inside
    /// the span and never empty, in order of start; a closed quotation ends with a mark.
    #[test]
    fn fuzz_quotation_finder(input in quoted_text()) {
        let doc = Document::new(&input);
        let quotes = find_quotes(&doc, &input);
        let t = &doc.text;
        let mut prev = 0;
        for q in &quotes {
            prop_assert!(q.span.start <= q.span.end && q.span.end <= t.len());
            prop_assert!(t.is_char_boundary(q.span.start) && t.is_char_boundary(q.span.end));
            prop_assert!(q.inner.start >= q.span.start && q.inner.end <= q.span.end);
            prop_assert!(q.inner.start < q.inner.end, "empty quotation {q:?}");
            prop_assert!(t.is_char_boundary(q.inner.start) && t.is_char_boundary(q.inner.end));
            prop_assert!(q.span.start >= prev, "sorted by start");
            prev = q.span.start;
            prop_assert!(q.paragraphs >= 1);
            if q.closed {
                let last = t[..q.span.end].chars().next_back().unwrap();
                prop_assert!(matches!(last, '"' | '\'' | '«' | '»' | '‹' | '›'), "closed by {last:?}");
            }
        }
    }

    /// Balanced straight double quotes around words, one pair per paragraph: each is found and
    /// closed, with exactly the words inside.
    #[test]
    fn fuzz_balanced_quotations(paras in prop::collection::vec(("[A-Z][a-z]{1,8}( [a-z]{1,8}){0,4}", "[a-z]{2,8}( [a-z]{2,8}){0,6}"), 1..6)) {
        let input: Vec<String> = paras
            .iter()
            .map(|(before, inner)| format!("{before} said: \"{inner}.\""))
            .collect();
        let input = input.join("\n\n");
        let doc = Document::new(&input);
        let quotes = find_quotes(&doc, &input);
        prop_assert_eq!(quotes.len(), paras.len(), "{:?}", quotes);
        for (q, (_, inner)) in quotes.iter().zip(&paras) {
            prop_assert!(q.closed);
            prop_assert_eq!(&doc.text[q.inner.start..q.inner.end], format!("{inner}."));
        }
    }

    /// The web page extractor: any markup, never a panic, text without tags' angle brackets
    /// left over from the markup it was given.
    #[test]
    fn fuzz_html_extractor(page in prop::collection::vec(prop_oneof![
        prop::sample::select(vec![
            "<html>", "<body>", "<article>", "</article>", "<p>", "</p>", "<div class=\"share\">",
            "</div>", "<script>", "</script>", "<style>", "</style>", "<nav>", "</nav>", "<a href=\"#\">",
            "</a>", "<h1>", "</h1>", "<title>", "</title>", "<meta property=\"og:title\" content=\"T\">",
            "<!-- c -->", "<![CDATA[x]]>", "<br>", "<p", "</", "&amp;", "&#x1F600;", "&bogus;",
        ]).prop_map(str::to_owned),
        text(5),
    ], 0..40)) {
        let html = page.concat();
        let page = framescope::html::extract(&html);
        prop_assert!(!page.text.contains("<script>"));
    }
}

/// The corpus stage reads a text field that looks like HTML as a web page, so its text is not
/// the field as written.
fn crate_is_html(s: &str) -> bool {
    framescope::html::looks_like_html(s)
}
