//! Document-level tests: paragraphs on real layouts, the offset map, and property tests of the
//! invariants the rest of the crate relies on.

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use super::*;

fn paragraphs(d: &Document) -> Vec<&str> {
    d.paragraphs.iter().map(|p| p.of(&d.text)).collect()
}

fn sentences(d: &Document) -> Vec<&str> {
    d.sentences.iter().map(|s| s.of(&d.text)).collect()
}

#[test]
fn blank_lines_end_paragraphs() {
    let d = Document::new("\n\nFirst paragraph\nstill first.\n\n\n  Second one.  \n \t\nThird.\n");
    assert_eq!(
        paragraphs(&d),
        ["First paragraph still first.", "Second one.", "Third."]
    );
    assert_eq!(d.text, "First paragraph still first.\nSecond one.\nThird.");
}

#[test]
fn hard_wrapped_layout() {
    // Layout of seed 004: hard-wrapped sentences and one paragraph per line, no blank lines.
    let input = "How US Tried but Failed to Disrupt India-Russia Relations\n\
        Indian EAM S. Jaishankar's ongoing five-day visit to Russia is one of his most extensive bilateral trips this year.\n\
        The\n\
        critical year-end visit of the Indian foreign minister takes place against the backdrop of attempts to pressure India into draw down its\n\
        relations with Russia.\n\
        US Attempts to Disrupt India-Russia Relations\n\
        The Biden administration has told foreign governments that it is not time for \"business as usual\" with Russia.\n\
        Russian foreign minister Sergey Lavrov has said that India and Russia are developing an\n\
        \"alternative\" to SWIFT.\n\
        \u{201C}The oil trade is booming,\n\
        Russia's exports of other energy resources have been also on the rise,\u{201D} remarked Zakharov.\n\
        In fact,\n\
        Russia-India trade turnover has crossed $50 billion.\n\
        What is Driving India and Russia Ties?\n\
        Besides convergence on bilateral issues, Asthana highlighted it.";
    let d = Document::new(input);
    assert_eq!(
        paragraphs(&d),
        [
            "How US Tried but Failed to Disrupt India-Russia Relations",
            "Indian EAM S. Jaishankar's ongoing five-day visit to Russia is one of his most extensive bilateral trips this year.",
            "The critical year-end visit of the Indian foreign minister takes place against the backdrop of attempts to pressure India into draw down its relations with Russia.",
            "US Attempts to Disrupt India-Russia Relations",
            "The Biden administration has told foreign governments that it is not time for \"business as usual\" with Russia.",
            "Russian foreign minister Sergey Lavrov has said that India and Russia are developing an \"alternative\" to SWIFT.",
            "\"The oil trade is booming, Russia's exports of other energy resources have been also on the rise,\" remarked Zakharov.",
            "In fact, Russia-India trade turnover has crossed $50 billion.",
            "What is Driving India and Russia Ties?",
            "Besides convergence on bilateral issues, Asthana highlighted it.",
        ]
    );
}

#[test]
fn dateline_lines_stay_apart() {
    let d = Document::new("20.1 C\nNew Delhi\n\nIndia, Russia comes closer\n\n\nShare post:\n");
    assert_eq!(
        paragraphs(&d),
        [
            "20.1 C",
            "New Delhi",
            "India, Russia comes closer",
            "Share post:"
        ]
    );
}

#[test]
fn sentences_of_a_document() {
    let d = Document::new(
        "Mr. Putin met S. Jaishankar on Dec. 28. Trade crossed $50 billion.\n\n\
         Russia was \u{201C}successful\u{201D} due to India\u{2019}s \u{201C}direct support.\u{201D} He also extended an invitation.",
    );
    assert_eq!(
        sentences(&d),
        [
            "Mr. Putin met S. Jaishankar on Dec. 28.",
            "Trade crossed $50 billion.",
            "Russia was \"successful\" due to India's \"direct support.\"",
            "He also extended an invitation.",
        ]
    );
    assert_eq!(d.sentences_in(0), 0..2);
    assert_eq!(d.sentences_in(1), 2..4);
    assert_eq!(d.sentences_in(2), 4..4);
    assert_eq!(d.sentences_in(usize::MAX), 4..4);
    assert_eq!(d.sentence_index(0), Some(0));
    assert_eq!(d.sentence_index(d.sentences[1].start), Some(1));
    assert_eq!(d.sentence_index(d.sentences[0].end), None);
    assert_eq!(d.sentence_index(d.text.len()), None);
    assert_eq!(d.paragraph_index(d.sentences[3].start), Some(1));
    assert_eq!(d.paragraph_index(d.paragraphs[0].end), None);
}

#[test]
fn empty_documents() {
    for input in ["", " ", "\n\n\r\n", "\u{00A0}\u{200B}\u{FEFF}\t", "\u{AD}"] {
        let d = Document::new(input);
        assert_eq!(d.text, "");
        assert!(d.paragraphs.is_empty() && d.sentences.is_empty());
        assert_eq!(d.input_range(Span::new(0, 0)), 0..0);
        assert_eq!(d.sentence_index(0), None);
        assert_eq!(d.sentences_in(0), 0..0);
    }
}

#[test]
fn input_range_maps_back() {
    let input = "\u{FEFF}  It\u{2019}s a so\u{2011}called \u{201C}deal\u{201D}.\r\n\r\nNext\u{00A0}\u{00A0}one\u{00AD}s.";
    let d = Document::new(input);
    assert_eq!(d.text, "It's a so-called \"deal\".\nNext ones.");
    let find = |needle: &str| {
        let start = d.text.find(needle).unwrap();
        Span::new(start, start + needle.len())
    };
    let back = |needle: &str| &input[d.input_range(find(needle))];
    assert_eq!(back("It'"), "It\u{2019}");
    assert_eq!(back("'s"), "\u{2019}s");
    assert_eq!(back("so-called"), "so\u{2011}called");
    assert_eq!(back("\"deal\""), "\u{201C}deal\u{201D}");
    assert_eq!(back(".\nN"), ".\r\n\r\nN");
    assert_eq!(back("Next one"), "Next\u{00A0}\u{00A0}one");
    assert_eq!(back("ones."), "one\u{00AD}s.");
    assert_eq!(d.input_range(d.paragraphs[0]), 5..input.find('\r').unwrap());
    assert_eq!(d.input_range(d.paragraphs[1]).end, input.len());
    assert_eq!(
        d.input_range(Span::new(d.text.len(), d.text.len())),
        input.len()..input.len()
    );
}

/// Characters the normaliser treats specially, plus some it must leave alone.
const SPECIAL: &[char] = &[
    '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{2032}', '\u{201C}', '\u{201D}', '\u{201E}',
    '\u{201F}', '\u{2033}', '\u{00AB}', '\u{00BB}', '\u{2039}', '\u{203A}', '\u{2010}', '\u{2011}',
    '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}', '\u{00A0}', '\u{2000}', '\u{2009}',
    '\u{200A}', '\u{202F}', '\u{205F}', '\u{3000}', '\t', '\u{00AD}', '\u{200B}', '\u{200C}',
    '\u{200D}', '\u{2060}', '\u{FEFF}', '\r', '\n', '\u{000B}', '\u{000C}', '\u{0085}', '\u{2028}',
    '\u{2029}', '\u{1680}', '\u{2026}', '😀', '👩', 'é', 'İ', '\u{0301}', '.', '!', '?', ':', ',',
    ';', '-', '"', '\'', '(', ')', '$', '0', '9',
];

fn text_strategy() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        6 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        3 => Just(' '),
        1 => Just('\n'),
        4 => proptest::sample::select(SPECIAL),
        1 => any::<char>(),
    ];
    proptest::collection::vec(ch, 0..160).prop_map(|v| v.into_iter().collect())
}

fn check_document(input: &str) -> Result<(), TestCaseError> {
    let d = Document::new(input);
    let text = &d.text;
    prop_assert_eq!(text.trim(), text.as_str());
    prop_assert!(!text.contains("  ") && !text.contains("\n\n"));
    prop_assert!(!text.contains(" \n") && !text.contains("\n "));
    for c in text.chars() {
        let class = normalize::classify(c);
        let ok = class == normalize::Class::Keep || c == ' ' || c == '\n';
        prop_assert!(ok, "{:?} survived normalisation", c);
    }
    // Paragraphs tile the text.
    let joined: Vec<&str> = d.paragraphs.iter().map(|p| p.of(text)).collect();
    prop_assert_eq!(joined.join("\n"), text.as_str());
    // Sentences tile their paragraphs.
    prop_assert_eq!(
        d.sentences_in(d.paragraphs.len()),
        d.sentences.len()..d.sentences.len()
    );
    for (pi, para) in d.paragraphs.iter().enumerate() {
        prop_assert!(!para.is_empty() && !para.of(text).contains('\n'));
        let range = d.sentences_in(pi);
        let parts: Vec<&str> = d.sentences[range.clone()]
            .iter()
            .map(|s| s.of(text))
            .collect();
        prop_assert_eq!(parts.join(" "), para.of(text));
        for si in range {
            let s = d.sentences[si];
            prop_assert!(!s.is_empty() && para.contains(s));
            prop_assert_eq!(s.of(text).trim(), s.of(text));
            prop_assert_eq!(d.sentence_index(s.start), Some(si));
            prop_assert_eq!(d.sentence_index(s.end - 1), Some(si));
            prop_assert_eq!(d.paragraph_index(s.start), Some(pi));
        }
        // A paragraph maps back to input that normalises to it.
        let r = d.input_range(*para);
        prop_assert!(input.is_char_boundary(r.start) && input.is_char_boundary(r.end));
        prop_assert_eq!(normalize_fragment(&input[r]), para.of(text));
    }
    // Word pieces map back to input that normalises to them, monotonically.
    let mut last_end = 0;
    for (start, piece) in text.split_word_bound_indices() {
        let span = Span::new(start, start + piece.len());
        let r = d.input_range(span);
        prop_assert!(r.start <= r.end && r.end <= input.len());
        prop_assert!(input.is_char_boundary(r.start) && input.is_char_boundary(r.end));
        prop_assert!(r.start >= last_end, "ranges overlap at {:?}", span);
        last_end = r.end;
        if !piece.chars().any(char::is_whitespace) {
            prop_assert_eq!(normalize_fragment(&input[r]), piece);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn prop_document_invariants(input in text_strategy()) {
        check_document(&input)?;
    }

    #[test]
    fn prop_document_any_string(input in any::<String>()) {
        check_document(&input)?;
    }

    #[test]
    fn prop_fold_case_preserves_offsets(s in any::<String>()) {
        let folded = fold_case(&s);
        prop_assert_eq!(folded.len(), s.len());
        for i in 0..=s.len() {
            prop_assert_eq!(folded.is_char_boundary(i), s.is_char_boundary(i));
        }
        prop_assert_eq!(fold_case(&s.to_ascii_uppercase()), folded.to_ascii_lowercase());
    }

    #[test]
    fn prop_fold_case_special(s in text_strategy()) {
        let folded = fold_case(&s);
        prop_assert_eq!(folded.len(), s.len());
        for (a, b) in s.char_indices().zip(folded.char_indices()) {
            prop_assert_eq!(a.0, b.0);
            prop_assert_eq!(a.1.len_utf8(), b.1.len_utf8());
        }
    }

    #[test]
    fn prop_char_offsets(s in text_strategy(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..20)) {
        let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        let mut bytes: Vec<usize> = picks.iter().map(|p| boundaries[p.index(boundaries.len())]).collect();
        bytes.sort_unstable();
        let expected: Vec<usize> = bytes.iter().map(|&b| s[..b].chars().count()).collect();
        prop_assert_eq!(char_offsets(&s, &bytes), expected);
    }

    /// A cursor asked for byte offsets in any order (inside chars and past the end too)
    /// counts the chars before each.
    #[test]
    fn prop_char_cursor(s in text_strategy(), picks in proptest::collection::vec(0usize..200, 0..20)) {
        let mut cursor = CharCursor::default();
        for b in picks {
            let expected = s.char_indices().take_while(|&(i, _)| i < b).count();
            prop_assert_eq!(cursor.chars_at(&s, b), expected, "{:?} at {}", s, b);
        }
    }
}
