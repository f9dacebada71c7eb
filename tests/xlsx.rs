//! End-to-end tests of `analyze --xlsx` (issue 10): the workbook mirrors the CSVs cell for
//! cell, is listed in the manifest, is removed by a run without --xlsx, is recognised as ours
//! (and another file by its name is not), cuts over-long cells, keeps the previous set when it
//! cannot be written, and gives the same bytes run to run.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use calamine::{Data, Reader, Xlsx, open_workbook};

const BIN: &str = env!("CARGO_BIN_EXE_framescope");

/// The sheets of the sample's workbook, in order.
const SHEETS: [&str; 11] = [
    "About", "sources", "compare", "keyness", "frames", "speakers", "articles", "quotes", "hits",
    "cleaning", "skipped",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::null())
        .output()
        .expect("binary starts");
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn analyze(input: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "analyze",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Every record of a CSV, the header included.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    if !range.is_empty() {
        assert_eq!(range.start(), Some((0, 0)), "sheet {name} starts at A1");
    }
    range.rows().map(<[Data]>::to_vec).collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
}

/// A part of the workbook's zip archive, as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// A value the reports write as a number and a spreadsheet keeps as one: an integer, or a
/// number with 4 decimals, or a p-value in scientific notation; no leading zero.
fn looks_like_a_report_number(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exp) = match unsigned.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && int.len() <= 12
        && (frac.is_empty() && exp.is_none() || frac.len() == 4 || exp.is_some())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && exp.is_none_or(|e| e.strip_prefix('-').unwrap_or(e).parse::<u32>().is_ok())
}

/// Each sheet of the workbook in `out` holds its CSV's rows, cell for cell: an empty CSV cell
/// is an empty cell, a number is a number of the same value, any other text the same text.
/// Returns the number of cells compared and of numbers among them.
fn assert_mirrors(out: &Path, sheets: &[&str]) -> (usize, usize) {
    let book = out.join("framescope.xlsx");
    let (mut cells, mut numbers) = (0, 0);
    for name in sheets.iter().filter(|s| **s != "About") {
        let csv = csv_rows(&out.join(format!("{name}.csv")));
        let rows = sheet(&book, name);
        assert_eq!(
            rows.len(),
            csv.len(),
            "{name}: rows of the sheet and the CSV"
        );
        for (r, (want, got)) in csv.iter().zip(&rows).enumerate() {
            for (c, text) in want.iter().enumerate() {
                cells += 1;
                let cell = got.get(c).unwrap_or(&Data::Empty);
                let at = format!("{name} row {} column {}", r + 1, c + 1);
                match cell {
                    Data::Empty => assert_eq!(text, "", "{at}: an empty cell"),
                    Data::Float(x) => {
                        numbers += 1;
                        assert!(r > 0, "{at}: the header is text");
                        let parsed: f64 = text
                            .parse()
                            .unwrap_or_else(|_| panic!("{at}: {text:?} is a number"));
                        assert_eq!(*x, parsed, "{at}: {text:?}");
                    }
                    Data::String(s) => {
                        assert_eq!(s, text, "{at}");
                        assert!(
                            r == 0 || !looks_like_a_report_number(text),
                            "{at}: {text:?} should be a number"
                        );
                    }
                    other => panic!("{at}: unexpected {other:?} for {text:?}"),
                }
            }
            assert!(
                got.len() <= want.len() || got[want.len()..].iter().all(|d| *d == Data::Empty),
                "{name} row {}: no cells past the CSV's",
                r + 1
            );
        }
    }
    (cells, numbers)
}

/// The README's sample corpus with --xlsx: every sheet, in order, mirrors its CSV; the CSVs
/// are those of a run without --xlsx; the manifest lists the workbook; headers are frozen and
/// filtered, numbers carry fixed formats, the indices a colour scale.
#[test]
fn workbook_mirrors_every_report_of_the_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reports");
    let r = run(&[
        "analyze",
        "examples/india-russia-2023",
        "--out",
        out.to_str().unwrap(),
        "--xlsx",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let book = out.join("framescope.xlsx");
    assert_eq!(sheet_names(&book), SHEETS);
    let (cells, numbers) = assert_mirrors(&out, &SHEETS);
    assert!(
        cells > 20_000 && numbers > 10_000,
        "{cells} cells, {numbers} numbers"
    );

    // The CSVs are the committed ones: --xlsx changes nothing in them.
    for name in SHEETS.iter().filter(|s| **s != "About") {
        let file = format!("{name}.csv");
        assert!(
            std::fs::read(out.join(&file)).unwrap()
                == std::fs::read(repo().join("reports").join(&file)).unwrap(),
            "{file} differs from reports/{file}"
        );
    }

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<&str> = manifest["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(listed.contains(&"framescope.xlsx"), "{listed:?}");
    assert_eq!(listed.last(), Some(&"manifest.json"));
    assert_eq!(manifest["options"]["xlsx"], true);

    // The About sheet: the run, then one row per sheet with its CSV, in order.
    let about = sheet(&book, "About");
    let text: Vec<String> = about.iter().flatten().map(|d| d.to_string()).collect();
    assert!(text.contains(&"examples/india-russia-2023".to_string()));
    let header = about
        .iter()
        .position(|r| r.first() == Some(&Data::String("Sheet".into())))
        .expect("the sheet table");
    for (i, name) in SHEETS[1..].iter().enumerate() {
        let row = &about[header + 1 + i];
        assert_eq!(row[0], Data::String(name.to_string()));
        assert_eq!(row[1], Data::String(format!("{name}.csv")));
        let rows = csv_rows(&out.join(format!("{name}.csv"))).len() - 1;
        assert_eq!(row[3], Data::Float(rows as f64), "{name}: data rows");
    }
    let all = text.join("\n");
    for note in [
        "reports/README.md",
        "1,048,576 rows",
        "32,767 characters",
        "No cell was cut",
    ] {
        assert!(all.contains(note), "About lacks {note:?}:\n{all}");
    }
    let workbook = part(&book, "xl/workbook.xml");
    assert!(workbook.contains("<sheet name=\"About\" sheetId=\"1\""));
    // The About links lead to the sheets, inside the workbook.
    let about_xml = part(&book, "xl/worksheets/sheet1.xml");
    for name in &SHEETS[1..] {
        assert!(
            about_xml.contains(&format!("location=\"'{name}'!A1\" display=\"{name}\"")),
            "{name}"
        );
    }

    // Frozen header and an autofilter over every row on each data sheet.
    for (i, name) in SHEETS.iter().enumerate().skip(1) {
        let xml = part(&book, &format!("xl/worksheets/sheet{}.xml", i + 1));
        assert!(xml.contains("state=\"frozen\""), "{name}");
        let rows = csv_rows(&out.join(format!("{name}.csv"))).len();
        let filter = xml
            .split("<autoFilter ref=\"A1:")
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no autofilter"));
        let end: String = filter.chars().take_while(|c| *c != '"').collect();
        assert!(
            end.trim_start_matches(|c: char| c.is_ascii_uppercase()) == rows.to_string(),
            "{name}: autofilter to {end}, {rows} rows"
        );
    }
    let styles = part(&book, "xl/styles.xml");
    for format in ["formatCode=\"0.0000\"", "formatCode=\"0.000E+00\""] {
        assert!(styles.contains(format), "{format}");
    }
    // The colour scale on the index columns of sources and articles.
    let sources = part(&book, "xl/worksheets/sheet2.xml");
    let articles = part(&book, "xl/worksheets/sheet7.xml");
    assert_eq!(sources.matches("<colorScale>").count(), 9, "{sources}");
    assert_eq!(articles.matches("<colorScale>").count(), 3);
    // in the colours of the sides: advocacy ends red, neutral green, balance runs green to red
    let scales: Vec<&str> = articles.split("<colorScale>").skip(1).collect();
    assert!(
        scales[0].contains("<color rgb=\"FFF8696B\"/></colorScale>"),
        "{}",
        scales[0]
    );
    assert!(
        scales[1].contains("<color rgb=\"FF63BE7B\"/></colorScale>"),
        "{}",
        scales[1]
    );
    assert!(
        scales[2].contains(
            "<color rgb=\"FF63BE7B\"/><color rgb=\"FFFCFCFF\"/><color rgb=\"FFF8696B\"/>"
        )
    );
    assert!(!part(&book, "xl/worksheets/sheet9.xml").contains("<colorScale>"));
}

/// The workbook of a run is replaced by the next run with --xlsx, and removed by a run
/// without it; a file named framescope.xlsx that framescope did not write is refused without
/// --force and replaced with it.
#[test]
fn workbook_comes_and_goes_with_the_flag_and_a_foreign_one_needs_force() {
    let tmp = tempfile::tempdir().unwrap();
    let input = repo().join("examples/india-russia-2023");
    let out = tmp.path().join("out");
    assert_eq!(analyze(&input, &out, &["--xlsx"]).code, 0);
    assert!(out.join("framescope.xlsx").exists());
    // Our own workbook is not in the way.
    let r = analyze(&input, &out, &["--xlsx", "--no-hits"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!sheet_names(&out.join("framescope.xlsx")).contains(&"hits".to_string()));
    assert!(!out.join("hits.csv").exists());
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !out.join("framescope.xlsx").exists(),
        "a run without --xlsx removes the older workbook"
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("framescope.xlsx"), "{manifest}");

    // Someone else's workbook by that name: another program's, and one that is no workbook.
    let mut other = rust_xlsxwriter::Workbook::new();
    other.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_custom_property("framescope_workbook_copy", "framescope"),
    );
    other
        .add_worksheet()
        .write_string(0, 0, "framescope_workbook")
        .unwrap();
    let foreign = other.save_to_buffer().unwrap();
    for bytes in [foreign.as_slice(), b"not a workbook".as_slice()] {
        std::fs::write(out.join("framescope.xlsx"), bytes).unwrap();
        for flags in [&[][..], &["--xlsx"][..]] {
            let r = analyze(&input, &out, flags);
            assert_eq!(r.code, 2, "{}", r.stderr);
            assert!(
                r.stderr.contains(
                    "`framescope.xlsx` (named like a report, but not one framescope wrote)"
                ),
                "{}",
                r.stderr
            );
            assert!(r.stderr.contains("--force"), "{}", r.stderr);
            assert_eq!(std::fs::read(out.join("framescope.xlsx")).unwrap(), bytes);
        }
    }
    let r = analyze(&input, &out, &["--xlsx", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(sheet_names(&out.join("framescope.xlsx")), SHEETS);
}

/// A CSV corpus with cells that test the mirror: formulas made inert, a line break with a
/// carriage return, ids with a leading zero or 20 digits, emoji, negative numbers and
/// scientific notation in a carried column; and a carried note longer than a cell holds.
fn awkward_corpus(dir: &Path) -> (PathBuf, String) {
    let long = "words 😀 and more words é ".repeat(1_500) + "end";
    let path = dir.join("awkward.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "source", "title", "author", "text", "score", "note"])
        .unwrap();
    w.write_record([
        "007",
        "=Wire",
        "-2+3",
        "@me",
        "The minister said the talks went well.\r\nCritics claimed the so-called deal was a shocking failure.",
        "-0.53",
        "line one\r\nline two",
    ])
    .unwrap();
    w.write_record([
        "12345678901234567890",
        "Wire",
        "@SUM(A1) 😀",
        "",
        "The so-called regime said the shocking end had come.",
        "+5",
        long.as_str(),
    ])
    .unwrap();
    w.write_record([
        "n3",
        "Post",
        "-1",
        "",
        "Officials said, according to the ministry, that the talks were held. Activists insisted the regime must go.",
        "2.514e-7",
        "",
    ])
    .unwrap();
    w.flush().unwrap();
    (path, long)
}

/// Awkward cells come through as they are in the CSV; the over-long note is cut to fit,
/// marked, and counted on the About sheet, while articles.csv keeps it whole.
#[test]
fn awkward_cells_are_mirrored_and_a_long_one_is_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, long) = awkward_corpus(tmp.path());
    let out = tmp.path().join("out");
    let r = analyze(&input, &out, &["--xlsx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let book = out.join("framescope.xlsx");
    let names = sheet_names(&book);
    let sheets: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(sheets, SHEETS);

    let articles_csv = csv_rows(&out.join("articles.csv"));
    let note = articles_csv[0]
        .iter()
        .position(|h| h == "meta.note")
        .unwrap();
    assert!(
        articles_csv[2][note] == long,
        "the CSV holds the whole note"
    );
    assert!(long.encode_utf16().count() > 32_767);
    let articles = sheet(&book, "articles");
    let Data::String(cut) = &articles[2][note] else {
        panic!("{:?}", articles[2][note])
    };
    assert!(cut.encode_utf16().count() <= 32_767);
    assert!(cut.encode_utf16().count() > 32_700, "uses the room");
    let (kept, marker) = cut.rsplit_once("… [cut: ").unwrap();
    assert!(long.starts_with(kept), "a prefix of the note");
    let n = long.chars().count() - kept.chars().count();
    assert_eq!(
        marker,
        format!("{n} characters; full text in articles.csv]"),
        "the marker counts what was cut"
    );
    let about: String = sheet(&book, "About")
        .iter()
        .flatten()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        about.contains("Cells cut in this workbook: 1 (1 on articles)"),
        "{about}"
    );

    // Every other cell of every sheet mirrors its CSV exactly.
    let mut edited = articles_csv.clone();
    edited[2][note] = cut.clone();
    let mut w = csv::Writer::from_path(out.join("articles.csv")).unwrap();
    for row in &edited {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    assert_mirrors(&out, &SHEETS);
    let header: Vec<String> = articles[0].iter().map(|d| d.to_string()).collect();
    let at = |row: usize, name: &str| {
        let c = header.iter().position(|h| h == name).unwrap();
        articles[row][c].clone()
    };
    assert_eq!(at(1, "id"), Data::String("007".into()), "a code stays text");
    assert_eq!(at(2, "id"), Data::String("12345678901234567890".into()));
    assert_eq!(at(1, "source"), Data::String("'=Wire".into()));
    assert_eq!(at(1, "title"), Data::String("'-2+3".into()));
    assert_eq!(at(1, "author"), Data::String("'@me".into()));
    assert_eq!(
        at(1, "meta.note"),
        Data::String("line one\r\nline two".into())
    );
    assert_eq!(at(1, "meta.score"), Data::Float(-0.53));
    assert_eq!(at(2, "meta.score"), Data::Float(5.0));
    assert_eq!(at(3, "meta.score"), Data::Float(2.514e-7));
    assert_eq!(at(3, "title"), Data::Float(-1.0));
    assert_eq!(at(1, "headline_in_text"), Data::String("false".into()));
}

/// The same corpus gives the same workbook bytes whatever the thread count.
#[test]
fn workbook_bytes_are_the_same_run_to_run() {
    let tmp = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    for i in 0..300 {
        let line = serde_json::json!({
            "id": format!("a{i}"),
            "source": format!("Outlet {}", i % 5),
            "text": format!("The minister said the talks went well on day {i}. Critics claimed the so-called deal was a shocking failure, {} times.", i % 17),
        });
        jsonl.push_str(&format!("{line}\n"));
    }
    let input = tmp.path().join("c.jsonl");
    std::fs::write(&input, jsonl).unwrap();
    let mut books = Vec::new();
    for threads in ["1", "3"] {
        let out = tmp.path().join(format!("out{threads}"));
        let r = analyze(&input, &out, &["--xlsx", "--threads", threads, "--pairs"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        books.push(std::fs::read(out.join("framescope.xlsx")).unwrap());
    }
    assert!(books[0] == books[1], "the workbooks differ");
    assert!(
        part(
            &tmp.path().join("out1/framescope.xlsx"),
            "docProps/core.xml"
        )
        .contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2000-01-01T00:00:00Z")
    );
}

/// A workbook that cannot be written (its temporary name taken by a folder, as a full disk
/// would fail it) fails the run with exit 2, naming framescope.xlsx, and leaves the previous
/// set as it was, without temporary files.
#[test]
fn a_workbook_that_cannot_be_written_leaves_the_previous_set() {
    let tmp = tempfile::tempdir().unwrap();
    let input = repo().join("examples/india-russia-2023");
    let out = tmp.path().join("out");
    assert_eq!(analyze(&input, &out, &["--xlsx"]).code, 0);
    let snapshot = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                (e.file_name().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&out);
    let blocker = out.join(".framescope.xlsx.framescope-tmp");
    std::fs::create_dir(&blocker).unwrap();
    let r = analyze(&input, &out, &["--xlsx", "--no-hits"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("framescope.xlsx"), "{}", r.stderr);
    assert!(r.stderr.contains("previous reports"), "{}", r.stderr);
    std::fs::remove_dir(&blocker).unwrap();
    assert!(snapshot(&out) == before, "the previous set is untouched");
}

/// `analyze --help` explains the flag: what the workbook holds and that the CSVs stay primary.
#[test]
fn help_explains_the_workbook() {
    let out = Command::new(BIN)
        .args(["analyze", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "--xlsx",
        "framescope.xlsx",
        "About sheet",
        "stay the primary output",
    ] {
        assert!(help.contains(words), "{words:?} missing from {help}");
    }
}
