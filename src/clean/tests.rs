//! The cleaning rules on small texts written for the tests.

use super::*;

fn cleaner() -> Cleaner {
    Cleaner {
        markup: true,
        chrome: true,
        boilerplate: patterns::load(true, &[]).expect("shipped patterns"),
        repeated: None,
    }
}

/// `(line, signal, reason)` of every removed line, and the text that is left.
fn run(text: &str, title: &str, source: &str) -> (Vec<(usize, &'static str, String)>, String) {
    let c = cleaner().clean(text, title, source);
    let lines = c
        .removals
        .iter()
        .filter(|r| r.signal != Signal::Markup)
        .map(|r| (r.line, r.signal.as_str(), r.reason.clone()))
        .collect();
    let doc = crate::text::Document::with_edits(text, &c.edits);
    (lines, doc.text)
}

#[test]
fn page_chrome_around_a_story() {
    let text = "18 C\nLondon\n\nCouncil Approves Budget\n\nShare this:\n\n\
        The council approved the budget on Tuesday after a long debate, officials said.\n\n\
        Read Also: Storm closes coastal roads\n\n\
        The mayor said the plan would protect services.\n\n\
        *\n\nLeave a Reply\n\nGreat article, thanks!\n\nTotally disagree with this.\n";
    let (removed, left) = run(text, "Council Approves Budget", "The Daily");
    assert_eq!(
        left,
        "Council Approves Budget\nThe council approved the budget on Tuesday after a long debate, officials said.\nThe mayor said the plan would protect services."
    );
    let reasons: Vec<(usize, &str)> = removed.iter().map(|(l, s, _)| (*l, *s)).collect();
    assert_eq!(
        reasons,
        [
            (1, "boilerplate"),
            (2, "structure"),
            (6, "boilerplate"),
            (10, "boilerplate"),
            (14, "structure"),
            (16, "boilerplate"),
            (18, "structure"),
            (20, "structure"),
        ]
    );
    assert_eq!(removed[7].2, "after_end_of_body");
}

#[test]
fn reporting_is_kept() {
    // Sentences that mention sharing, comments or newsletters are reporting, not chrome; a
    // short heading inside the body stays; so do hard-wrapped lines.
    let text = "Ministers Meet\n\nThe ministers met on Monday.\n\nTalks on Trade\n\n\
        Officials said readers could share their views in a public comment period.\n\
        The newsletter of the union said members would\nvote on Friday.\n\nRelated costs rose.\n";
    let (removed, left) = run(text, "Ministers Meet", "X");
    assert!(removed.is_empty(), "{removed:?}");
    assert!(left.contains("Talks on Trade"));
    assert!(left.contains("members would vote on Friday."));
}

#[test]
fn no_body_no_structure_rule() {
    // Only short lines: nothing tells where a body is, so none are removed as structure.
    let (removed, _) = run("First line\nSecond line\nThird line", "", "X");
    assert!(removed.is_empty(), "{removed:?}");
}

#[test]
fn untitled_headline_is_kept() {
    let text = "Storm Closes Coastal Roads Overnight\n\nThe storm closed roads, police said.\n";
    let (removed, left) = run(text, "", "X");
    assert!(removed.is_empty(), "{removed:?}");
    assert!(left.starts_with("Storm Closes"));
}

#[test]
fn markdown_and_dateline() {
    let text =
        "Trade Explodes to \\$50 Billion\n\nSputnikOn Monday, [Ahmed Adel](#) wrote **this**.\n";
    let c = cleaner().clean(text, "Trade Explodes to $50 Billion", "Sputnik India");
    let doc = crate::text::Document::with_edits(text, &c.edits);
    assert_eq!(
        doc.text,
        "Trade Explodes to $50 Billion\nOn Monday, Ahmed Adel wrote this."
    );
    let kinds: Vec<&str> = c.removals.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        kinds,
        ["escape", "dateline", "link", "link", "emphasis", "emphasis"]
    );
    assert_eq!(c.markup_edits, 6);
    assert_eq!(c.removed_lines, 0);
    // Offsets still point into the input.
    let on = doc.text.find("On Monday").unwrap_or(0);
    let r = doc.input_range(crate::span::Span::new(on, on + 2));
    assert_eq!(&text[r], "On");
}

#[test]
fn datelines_need_an_opener_and_a_dateline_word() {
    assert_eq!(
        dateline("SputnikOn the first day", "Sputnik India"),
        Some(7)
    );
    assert_eq!(dateline("MOSCOWThe minister said", "Any"), Some(6));
    assert_eq!(dateline("LinkedIn announced cuts", "Tech Daily"), None);
    assert_eq!(dateline("McDonald said", "Sputnik"), None);
    assert_eq!(
        dateline("ReutersOn", "Reuters"),
        None,
        "no space after the opener"
    );
    assert_eq!(dateline("The minister", "X"), None);
}

#[test]
fn repetition_removes_an_outlets_furniture() {
    let mut counter = LineCounter::default();
    let furniture = "Our journalism is free for all readers, always.";
    let texts: Vec<String> = (0..4)
        .map(|i| format!("Story {i} begins with this sentence, officials said.\n\n{furniture}\n"))
        .collect();
    for t in &texts {
        counter.add_article("Outlet", t);
    }
    let c = Cleaner {
        repeated: Some(counter.finish()),
        ..cleaner()
    };
    let out = c.clean(&texts[0], "", "Outlet");
    assert_eq!(out.removals.len(), 1);
    assert_eq!(out.removals[0].signal, Signal::Repetition);
    assert_eq!(out.removals[0].detail, "in 4 of the outlet's 4 articles");
    assert_eq!(out.removed_words, 8);
    // Another outlet's article with the same line keeps it.
    assert!(c.clean(&texts[0], "", "Other").removals.is_empty());
}

#[test]
fn disabled_and_keep_boilerplate() {
    let text = "Share post:\n\nThe council met \\$5 later.";
    assert_eq!(
        Cleaner::disabled().clean(text, "", "X"),
        Cleaning::default()
    );
    let keep = Cleaner {
        chrome: false,
        ..cleaner()
    };
    let c = keep.clean(text, "", "X");
    assert_eq!(c.removed_lines, 0);
    assert_eq!(c.markup_edits, 1);
}

#[test]
fn never_panics_on_odd_text() {
    let c = cleaner();
    for text in [
        "",
        "\n\n\n",
        "\r\n\r",
        "*",
        "[",
        "](",
        "\\",
        "é\u{2028}\u{FEFF}x",
        "Related articles",
        "A\nRelated articles\nB",
    ] {
        let out = c.clean(text, "", "X");
        let _ = crate::text::Document::with_edits(text, &out.edits);
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static CLEANER: LazyLock<Cleaner> = LazyLock::new(cleaner);

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// On any text the edits are ordered, disjoint and on char boundaries, every removal
        /// lies inside the text, and the cleaned document never grows.
        #[test]
        fn cleaning_any_text_is_well_formed(
            text in "(?s)([a-zA-Z .,!?*_#>\\[\\]()\\\\\n\r-]|é|\u{2028}|Share post:|Related articles|Read Also: x|SputnikOn |[A-Z]{3}The ){0,60}",
            title in "[A-Za-z ]{0,12}",
        ) {
            let c = CLEANER.clean(&text, &title, "Sputnik");
            let mut end = 0;
            for e in &c.edits {
                prop_assert!(e.start >= end && e.start <= e.end && e.end <= text.len());
                prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
                end = e.end;
            }
            for r in &c.removals {
                prop_assert!(r.start <= r.end && r.end <= text.len());
            }
            let doc = crate::text::Document::with_edits(&text, &c.edits);
            prop_assert!(doc.text.len() <= text.len() + 1);
        }
    }
}

/// Lines are split where the byte loop first written split them (`\r\n`, `\r` and `\n` each
/// one break), now that line ends are found with a vector search.
#[test]
fn lines_split_as_the_byte_loop() {
    use proptest::prelude::*;
    fn by_byte(text: &str) -> Vec<(usize, usize, usize)> {
        let (b, mut out) = (text.as_bytes(), Vec::new());
        let (mut start, mut number, mut i) = (0, 1, 0);
        loop {
            if i >= b.len() || b[i] == b'\n' || b[i] == b'\r' {
                out.push((number, start, i));
                if i >= b.len() {
                    break;
                }
                if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                i += 1;
                start = i;
                number += 1;
            } else {
                i += 1;
            }
        }
        out
    }
    proptest!(ProptestConfig::with_cases(2_000), |(text in "[a \r\n]{0,40}")| {
        let got: Vec<(usize, usize, usize)> = split_lines(&text, 1)
            .iter()
            .map(|l| (l.number, l.start, l.end))
            .collect();
        // the byte loop's raw lines, trimmed as split_lines trims them
        let want: Vec<(usize, usize, usize)> = by_byte(&text)
            .into_iter()
            .map(|(n, s, e)| {
                let raw = &text[s..e];
                let lead = raw.len() - raw.trim_start().len();
                (n, s + lead, s + lead + raw.trim().len())
            })
            .collect();
        prop_assert_eq!(got, want);
    });
}
