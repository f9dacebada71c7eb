//! `framescope.xlsx` (`analyze --xlsx`): the CSV reports of a run as one workbook.
//!
//! The workbook is built from the finished CSV files themselves (their temporary copies, flushed
//! to disk, read back with the `csv` crate), so it holds the CSVs' cells by construction: the
//! CSVs stay the primary output and the workbook is a view of them. An `About` sheet comes first
//! (the run, one row per sheet with a link to it, the notes below); then one sheet per report,
//! named after it without `.csv`, with a bold frozen header row, an autofilter, column widths
//! from the header and the first rows, and a colour scale on the index columns.
//!
//! Cells: an empty CSV cell stays an empty cell (never 0). A cell that is a plain decimal number
//! ([`super::cells::is_number`]) which a 64-bit float holds as written (no leading zero, at most
//! 15 significant digits, finite) is stored as a number, with the format its text has: `0` for
//! integers, `0.0000` for four decimals (`0.00` for two...), `0.000E+00` for scientific
//! notation (the small p-values). Everything else, `true`/`false` included, is text exactly as
//! in the CSV, with the leading `'` the CSV puts before a cell a spreadsheet would run as a
//! formula (`super::cells::inert`): the workbook mirrors the CSV's cells.
//!
//! Excel's limits are handled, and said on the `About` sheet: a sheet holds at most 1,048,576
//! rows, so a longer report continues on `hits (2)`, `hits (3)`, ..., each with the header
//! repeated; a cell holds at most 32,767 characters (UTF-16 code units), so a longer text is cut
//! at a character boundary and ends with `… [cut: N characters; full text in hits.csv]`.
//!
//! Memory stays flat: data sheets use rust_xlsxwriter's constant-memory mode (each row goes to
//! an unnamed temporary file in the output folder as soon as the next one starts), and only the
//! first [`WIDTH_SAMPLE_ROWS`] rows of a report are held at once, to size its columns. The
//! workbook's creation date is fixed, so the same run gives the same bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, DocProperties, ExcelDateTime, Format, FormatAlign, Url,
    Workbook, Worksheet, XlsxError,
};

use super::cells::is_number;
use super::{ReportError, RunInfo};

/// Rows a sheet holds, the header included (Excel's limit).
pub(crate) const EXCEL_MAX_ROWS: u32 = 1_048_576;
/// UTF-16 code units a cell holds (Excel's limit of 32,767 characters).
pub(crate) const EXCEL_MAX_CELL: usize = 32_767;
/// Columns a sheet holds (Excel's limit).
const EXCEL_MAX_COLS: usize = 16_384;
/// Rows of a report (after the header) that size its columns.
pub(crate) const WIDTH_SAMPLE_ROWS: usize = 1_000;
/// Column widths, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// Custom document property that marks a workbook framescope wrote (see [`is_our_workbook`]).
const MARKER: &str = "framescope_workbook";
/// The index columns that get a colour scale (`articles`), with the suffixes of their
/// per-outlet figures (`sources`).
const INDEX_COLUMNS: [&str; 3] = ["advocacy_index", "neutral_index", "balance"];
const INDEX_SUFFIXES: [&str; 4] = ["", "_pooled", "_mean", "_median"];

/// One finished CSV report to mirror: its name (`hits.csv`) and the file holding its bytes.
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub path: &'a Path,
}

/// What the `About` sheet says of one sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SheetInfo {
    sheet: String,
    csv: String,
    rows: u64,
    columns: usize,
    cut_cells: u64,
}

/// Why the workbook could not be written.
#[derive(Debug)]
enum Failure {
    Xlsx(XlsxError),
    Read { csv: PathBuf, error: csv::Error },
    TooManyColumns { csv: String, columns: usize },
}

impl From<XlsxError> for Failure {
    fn from(e: XlsxError) -> Failure {
        Failure::Xlsx(e)
    }
}

impl Failure {
    /// The report error naming `framescope.xlsx` (`dest`) and what went wrong.
    fn into_report_error(self, dest: &Path) -> ReportError {
        let reason = match self {
            // A failed write (a full disk, a folder that cannot be written) is an I/O error
            // like any report's.
            Failure::Xlsx(XlsxError::IoError(source)) => {
                return ReportError::Io {
                    path: dest.to_path_buf(),
                    source,
                };
            }
            Failure::Xlsx(XlsxError::TempFileError(dir, source)) => {
                return ReportError::Io {
                    path: dest.to_path_buf(),
                    source: std::io::Error::new(
                        source.kind(),
                        format!(
                            "cannot make a temporary file for a sheet in {}: {source}",
                            dir.display()
                        ),
                    ),
                };
            }
            Failure::Xlsx(e) => format!("the workbook library refused it: {e}"),
            Failure::Read { csv, error } => {
                format!("cannot read back {}: {error}", csv.display())
            }
            Failure::TooManyColumns { csv, columns } => format!(
                "{csv} has {columns} columns and a sheet holds at most {EXCEL_MAX_COLS}; run \
                 without --xlsx (the CSV reports hold everything)"
            ),
        };
        ReportError::Workbook {
            path: dest.to_path_buf(),
            reason,
        }
    }
}

/// Write the workbook of `sources` (in sheet order) to `tmp`, flushed to disk; errors name
/// `dest` (`framescope.xlsx`). Sheets keep their rows in unnamed temporary files in `tempdir`
/// until the workbook is saved.
pub(crate) fn write_workbook(
    tmp: &Path,
    dest: &Path,
    tempdir: &Path,
    sources: &[Source<'_>],
    info: &RunInfo,
) -> Result<(), ReportError> {
    let result = (|| -> Result<(), Failure> {
        let mut workbook = build(sources, info, tempdir, EXCEL_MAX_ROWS, EXCEL_MAX_CELL)?;
        let mut file = File::create(tmp).map_err(XlsxError::IoError)?;
        workbook.save_to_writer(&mut file)?;
        file.flush().map_err(XlsxError::IoError)?;
        file.sync_all().map_err(XlsxError::IoError)?;
        Ok(())
    })();
    result.map_err(|f| f.into_report_error(dest))
}

/// Number formats, one per look a number has in the CSV.
struct Formats {
    header: Format,
    integer: Format,
    scientific: Format,
    /// `0.0`, `0.00`, ... by the number of decimals (index 0 unused).
    decimals: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            integer: Format::new().set_num_format("0"),
            scientific: Format::new().set_num_format("0.000E+00"),
            decimals: (0..=MAX_DECIMALS)
                .map(|d| Format::new().set_num_format(format!("0.{}", "0".repeat(d.max(1)))))
                .collect(),
        }
    }

    fn of(&self, look: Look) -> &Format {
        match look {
            Look::Integer => &self.integer,
            Look::Decimals(d) => &self.decimals[usize::from(d)],
            Look::Scientific => &self.scientific,
        }
    }
}

/// Decimals a number may have to be stored as a number (a float holds no more digits).
const MAX_DECIMALS: usize = 15;

/// How a number is written in the CSV, and so how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Integer,
    /// With this many decimals (1 to 15).
    Decimals(u8),
    Scientific,
}

/// The value of a CSV cell that is a plain decimal number a float holds as written, and how
/// it looks; `None` for text (and for a number such as `007` or a 20-digit id, which would not
/// survive as a number).
fn as_number(s: &str) -> Option<(f64, Look)> {
    if !is_number(s) {
        return None;
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mantissa = unsigned.split(['e', 'E']).next().unwrap_or_default();
    let b = mantissa.as_bytes();
    if b.len() > 1 && b[0] == b'0' && b[1].is_ascii_digit() {
        return None; // a leading zero: an id or a code, not a quantity
    }
    let significant = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&d| d == b'0')
        .count();
    if significant > 15 {
        return None;
    }
    let x: f64 = s.parse().ok()?;
    if !x.is_finite() {
        return None;
    }
    let look = if unsigned.contains(['e', 'E']) {
        Look::Scientific
    } else {
        match mantissa.split_once('.') {
            Some((_, frac)) if !frac.is_empty() => {
                if frac.len() > MAX_DECIMALS {
                    return None;
                }
                Look::Decimals(frac.len() as u8)
            }
            _ => Look::Integer,
        }
    };
    Some((x, look))
}

/// The end of a cut cell: how much was cut and where the whole text is.
fn cut_marker(cut_chars: usize, csv: &str) -> String {
    format!("… [cut: {cut_chars} characters; full text in {csv}]")
}

/// `text` cut to at most `max` UTF-16 code units, at a character boundary, ending with
/// [`cut_marker`]; `None` when it fits as it is.
fn fit_cell(text: &str, csv: &str, max: usize) -> Option<String> {
    // UTF-8 takes at least as many bytes as UTF-16 takes code units.
    if text.len() <= max || text.encode_utf16().count() <= max {
        return None;
    }
    let total = text.chars().count();
    // The marker's count is at most `total`, so this much room is always enough for it.
    let budget = max.saturating_sub(cut_marker(total, csv).encode_utf16().count());
    let (mut used, mut end, mut kept) = (0, 0, 0);
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
        kept += 1;
    }
    Some(format!("{}{}", &text[..end], cut_marker(total - kept, csv)))
}

/// The name of the `n`th sheet (from 1) of a report.
fn sheet_name(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base} ({n})")
    }
}

/// Whether a column gets the colour scale.
fn is_index_column(name: &str) -> bool {
    INDEX_COLUMNS.iter().any(|base| {
        name.strip_prefix(base)
            .is_some_and(|rest| INDEX_SUFFIXES.contains(&rest))
    })
}

/// The colour scale of an index column, in the colours `report.html` and `explain` give the
/// sides: advocacy white to red, neutral white to green, balance (advocacy minus neutral share)
/// green through white to red.
fn index_scale(name: &str) -> ConditionalFormat3ColorScale {
    const RED: u32 = 0xF8696B;
    const GREEN: u32 = 0x63BE7B;
    const WHITE: u32 = 0xFCFCFF;
    let (low, high) = if name.starts_with("advocacy_index") {
        (WHITE, RED)
    } else if name.starts_with("neutral_index") {
        (WHITE, GREEN)
    } else {
        (GREEN, RED)
    };
    let mid = if low == WHITE {
        // a two-colour scale drawn with three stops
        mix(low, high)
    } else {
        WHITE
    };
    ConditionalFormat3ColorScale::new()
        .set_minimum_color(Color::RGB(low))
        .set_midpoint_color(Color::RGB(mid))
        .set_maximum_color(Color::RGB(high))
}

/// The colour halfway between two.
fn mix(a: u32, b: u32) -> u32 {
    [16, 8, 0]
        .iter()
        .map(|&sh| ((((a >> sh) & 0xFF) + ((b >> sh) & 0xFF)) / 2) << sh)
        .sum()
}

/// The workbook: `About` first, then one sheet per source (more for one with more than
/// `max_rows - 1` rows), cells cut to `max_cell` UTF-16 code units.
fn build(
    sources: &[Source<'_>],
    info: &RunInfo,
    tempdir: &Path,
    max_rows: u32,
    max_cell: usize,
) -> Result<Workbook, Failure> {
    let mut workbook = Workbook::new();
    workbook.set_tempdir(tempdir)?;
    // A fixed creation date: the same run gives the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("framescope reports")
            .set_comment(
                "The CSV reports of one framescope run, as a workbook; the CSVs are the primary \
                 output and hold the same cells.",
            )
            .set_creation_datetime(&created)
            .set_custom_property(MARKER, env!("CARGO_PKG_VERSION")),
    );
    workbook.add_worksheet().set_name("About")?;
    let formats = Formats::new();
    let mut sheets = Vec::new();
    for source in sources {
        sheets.extend(write_report(
            &mut workbook,
            source,
            &formats,
            max_rows,
            max_cell,
        )?);
    }
    write_about(
        workbook.worksheet_from_index(0)?,
        info,
        &sheets,
        &formats,
        max_rows,
    )?;
    Ok(workbook)
}

/// Write one report's sheets; what each holds.
fn write_report(
    workbook: &mut Workbook,
    source: &Source<'_>,
    formats: &Formats,
    max_rows: u32,
    max_cell: usize,
) -> Result<Vec<SheetInfo>, Failure> {
    let read_err = |error| Failure::Read {
        csv: source.path.to_path_buf(),
        error,
    };
    let file = File::open(source.path).map_err(|e| read_err(e.into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, file));
    let mut record = csv::ByteRecord::new();
    reader.read_byte_record(&mut record).map_err(read_err)?;
    let header: Vec<String> = record
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    if header.len() > EXCEL_MAX_COLS {
        return Err(Failure::TooManyColumns {
            csv: source.name.to_string(),
            columns: header.len(),
        });
    }
    // The first rows, held to size the columns, then written like the rest.
    let mut sample = Vec::new();
    while sample.len() < WIDTH_SAMPLE_ROWS {
        let mut r = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut r).map_err(read_err)? {
            break;
        }
        sample.push(r);
    }
    let widths = column_widths(&header, &sample);
    let indices: Vec<(u16, ConditionalFormat3ColorScale)> = (0..header.len())
        .filter(|&c| is_index_column(&header[c]))
        .map(|c| (c as u16, index_scale(&header[c])))
        .collect();
    let base = source.name.trim_end_matches(".csv");
    let last_col = header.len().saturating_sub(1) as u16;

    let mut sheets = Vec::new();
    let mut index = start_sheet(workbook, &sheet_name(base, 1), &header, &widths, formats)?;
    let mut info = SheetInfo {
        sheet: sheet_name(base, 1),
        csv: source.name.to_string(),
        rows: 0,
        columns: header.len(),
        cut_cells: 0,
    };
    let mut row: u32 = 1;
    let mut sample = sample.into_iter();
    loop {
        let next = match sample.next() {
            Some(r) => Some(r),
            None => {
                if reader.read_byte_record(&mut record).map_err(read_err)? {
                    Some(std::mem::take(&mut record))
                } else {
                    None
                }
            }
        };
        let Some(rec) = next else { break };
        if row >= max_rows {
            finish_sheet(workbook, index, row - 1, last_col, &indices)?;
            let n = sheets.len() + 2;
            sheets.push(std::mem::replace(
                &mut info,
                SheetInfo {
                    sheet: sheet_name(base, n),
                    csv: source.name.to_string(),
                    rows: 0,
                    columns: header.len(),
                    cut_cells: 0,
                },
            ));
            index = start_sheet(workbook, &sheet_name(base, n), &header, &widths, formats)?;
            row = 1;
        }
        let sheet = workbook.worksheet_from_index(index)?;
        for (col, cell) in rec.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
            let text = String::from_utf8_lossy(cell);
            if let Some((x, look)) = as_number(&text) {
                sheet.write_number_with_format(row, col, x, formats.of(look))?;
            } else if let Some(cut) = fit_cell(&text, source.name, max_cell) {
                info.cut_cells += 1;
                sheet.write_string(row, col, cut)?;
            } else {
                sheet.write_string(row, col, text)?;
            }
        }
        // Give the record's buffer back to the reader.
        record = rec;
        info.rows += 1;
        row += 1;
    }
    finish_sheet(workbook, index, row - 1, last_col, &indices)?;
    sheets.push(info);
    Ok(sheets)
}

/// Column widths in characters: the widest of the header (with room for the filter button)
/// and the sample rows' cells, within [`MIN_WIDTH`] and [`MAX_WIDTH`].
fn column_widths(header: &[String], sample: &[csv::ByteRecord]) -> Vec<f64> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count() + 3).collect();
    for rec in sample {
        for (w, cell) in widths.iter_mut().zip(rec.iter()) {
            let chars = String::from_utf8_lossy(cell).chars().count();
            *w = (*w).max(chars + 1);
        }
    }
    widths
        .into_iter()
        .map(|w| w.clamp(MIN_WIDTH, MAX_WIDTH) as f64)
        .collect()
}

/// Add a data sheet (constant-memory mode) with its header row; its index in the workbook.
fn start_sheet(
    workbook: &mut Workbook,
    name: &str,
    header: &[String],
    widths: &[f64],
    formats: &Formats,
) -> Result<usize, Failure> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (col, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &formats.header)?;
    }
    Ok(workbook.worksheets_mut().len() - 1)
}

/// The autofilter over the header and `last_row`, and the colour scale on the index columns.
fn finish_sheet(
    workbook: &mut Workbook,
    index: usize,
    last_row: u32,
    last_col: u16,
    indices: &[(u16, ConditionalFormat3ColorScale)],
) -> Result<(), Failure> {
    let sheet = workbook.worksheet_from_index(index)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    if last_row >= 1 {
        for (col, scale) in indices {
            sheet.add_conditional_format(1, *col, last_row, *col, scale)?;
        }
    }
    Ok(())
}

/// What one row of each report is.
fn row_meaning(csv: &str) -> &'static str {
    match csv {
        super::SOURCES => "one outlet: the per-outlet scorecard, highest mean advocacy index first",
        super::COMPARE => "one pair of outlets on one article measure, with its test",
        super::KEYNESS => "one term in one comparison (an outlet against the rest, or a pair)",
        super::FRAMES => "one outlet and issue frame",
        super::SPEAKERS => "one speaker and outlet",
        super::ARTICLES => "one scored article, in input order",
        super::QUOTES => "one quotation or paraphrase, in article order",
        super::HITS => "one lexicon match: the evidence behind every count",
        super::CLEANING => "one piece of text left out before scoring",
        super::SKIPPED => "one input that was not scored, with the reason",
        _ => "",
    }
}

/// `1048576` as `1,048,576`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The `About` sheet: the run, a row per sheet (linked), and the notes.
/// The height of one line of text in the default font, in points.
const ROW_POINTS: f64 = 15.0;

fn write_about(
    sheet: &mut Worksheet,
    info: &RunInfo,
    sheets: &[SheetInfo],
    formats: &Formats,
    max_rows: u32,
) -> Result<(), Failure> {
    let bold = &formats.header;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let bold_top = bold.clone().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 18)?;
    sheet.set_column_width(2, 90)?;
    sheet.set_column_width(3, 12)?;
    sheet.set_column_width(4, 10)?;
    sheet.write_string_with_format(0, 0, "framescope reports", bold)?;
    // Wrapped text does not make its row taller by itself in every spreadsheet program: give
    // such rows the height of their lines.
    let lines = |text: &str, width: f64| {
        (text.chars().count() as f64 / (width * 0.95))
            .ceil()
            .max(1.0)
    };
    let intro = "framescope measures framing and source bias in news: loaded language, attribution \
         and voice, per article and per outlet, with the evidence behind every number. This \
         workbook mirrors the CSV reports the same run wrote beside it, cell for cell; the CSVs \
         are the primary output.";
    sheet.merge_range(1, 0, 1, 4, intro, &wrap)?;
    sheet.set_row_height(1, ROW_POINTS * lines(intro, 150.0))?;
    let mut row = 3;
    for (label, value) in [("Input", &info.input), ("Input kind", &info.input_kind)] {
        sheet.write_string_with_format(row, 0, label, bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    for (label, n) in [
        ("Inputs", info.inputs),
        ("Scored", info.scored),
        ("Skipped", info.skipped),
    ] {
        sheet.write_string_with_format(row, 0, label, bold)?;
        sheet.write_number_with_format(row, 1, n as f64, &formats.integer)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "framescope version", bold)?;
    sheet.write_string(row, 1, env!("CARGO_PKG_VERSION"))?;
    row += 1;
    row += 1;
    for (col, h) in ["Sheet", "Mirrors", "One row is", "Data rows", "Columns"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(row, col as u16, *h, bold)?;
    }
    row += 1;
    for s in sheets {
        let link = Url::new(format!("internal:'{}'!A1", s.sheet)).set_text(&s.sheet);
        sheet.write_url(row, 0, link)?;
        sheet.write_string(row, 1, &s.csv)?;
        let meaning = if s.sheet.ends_with(')') {
            format!("{} (continued)", row_meaning(&s.csv))
        } else {
            row_meaning(&s.csv).to_string()
        };
        sheet.write_string(row, 2, meaning)?;
        sheet.write_number_with_format(row, 3, s.rows as f64, &formats.integer)?;
        sheet.write_number_with_format(row, 4, s.columns as f64, &formats.integer)?;
        row += 1;
    }
    row += 1;

    // Notes: which sheets continue on others, and which cells were cut.
    let mut parts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in sheets {
        *parts.entry(s.csv.as_str()).or_default() += 1;
    }
    let split: Vec<String> = sheets
        .iter()
        .filter(|s| parts[s.csv.as_str()] > 1 && !s.sheet.ends_with(')'))
        .map(|s| format!("{} ({} sheets)", s.csv, parts[s.csv.as_str()]))
        .collect();
    let split = if split.is_empty() {
        "No report was split in this workbook.".to_string()
    } else {
        format!("Split in this workbook: {}.", split.join(", "))
    };
    let cut: Vec<String> = sheets
        .iter()
        .filter(|s| s.cut_cells > 0)
        .map(|s| format!("{} on {}", thousands(s.cut_cells), s.sheet))
        .collect();
    let cut_total: u64 = sheets.iter().map(|s| s.cut_cells).sum();
    let cut = if cut.is_empty() {
        "No cell was cut in this workbook.".to_string()
    } else {
        format!(
            "Cells cut in this workbook: {} ({}).",
            thousands(cut_total),
            cut.join(", ")
        )
    };
    let notes = [
        (
            "Columns",
            "reports/README.md (the report reference, in the framescope repository) describes \
             every column of every CSV."
                .to_string(),
        ),
        (
            "Numbers",
            "A CSV cell that is a plain number is a number here, shown as the CSV writes it: \
             integers as 0, four decimals as 0.0000, small p-values in scientific notation as \
             0.000E+00. An empty CSV cell is an empty cell, never 0. true/false, and numbers a \
             spreadsheet would change (a leading zero, more than 15 digits), stay text."
                .to_string(),
        ),
        (
            "Text",
            "Text is as in the CSV, including the leading ' the CSV puts before a cell starting \
             with =, +, -, @, a tab or a carriage return, so that no spreadsheet runs it as a \
             formula."
                .to_string(),
        ),
        (
            "Row limit",
            format!(
                "A sheet holds at most {} rows: the header and {} data rows. A longer report \
                 continues on sheets named like \"hits (2)\", \"hits (3)\", ..., each with the \
                 header repeated. {split}",
                thousands(u64::from(max_rows)),
                thousands(u64::from(max_rows) - 1),
            ),
        ),
        (
            "Cell limit",
            format!(
                "A cell holds at most {} characters. A longer text is cut and ends with \
                 \"… [cut: N characters; full text in NAME.csv]\". {cut}",
                thousands(EXCEL_MAX_CELL as u64),
            ),
        ),
        (
            "Colours",
            "The index columns (advocacy_index, neutral_index, balance, and their _pooled, \
             _mean and _median figures per outlet) carry a colour scale in the colours of the \
             sides: advocacy indices white to red, neutral indices white to green, balance green \
             (lowest) through white (median) to red (highest)."
                .to_string(),
        ),
    ];
    for (label, text) in notes {
        sheet.write_string_with_format(row, 0, label, &bold_top)?;
        sheet.merge_range(row, 1, row, 4, &text, &wrap)?;
        sheet.set_row_height(row, ROW_POINTS * lines(&text, 130.0))?;
        row += 1;
    }
    Ok(())
}

/// Whether the file at `path` is a workbook framescope wrote: a zip archive whose
/// `docProps/custom.xml` carries framescope's marker property. Only the archive's directory
/// (at its end) and that one small part are read, so a large file costs no more than a small
/// one; a part over 64 KiB is not ours.
pub(crate) fn is_our_workbook(path: &Path) -> bool {
    const MAX_PART: u64 = 64 << 10;
    let Ok(file) = File::open(path) else {
        return false;
    };
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return false;
    };
    let Ok(part) = archive.by_name("docProps/custom.xml") else {
        return false;
    };
    if part.size() > MAX_PART {
        return false;
    }
    let mut xml = Vec::new();
    if part.take(MAX_PART).read_to_end(&mut xml).is_err() {
        return false;
    }
    let needle = format!("name=\"{MARKER}\"");
    xml.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    fn info() -> RunInfo {
        RunInfo {
            input: "corpus.jsonl".into(),
            input_kind: "JSONL".into(),
            options: serde_json::json!({}),
            inputs: 7,
            scored: 6,
            skipped: 1,
        }
    }

    fn save(dir: &Path, sources: &[Source<'_>], max_rows: u32, max_cell: usize) -> PathBuf {
        let mut wb = build(sources, &info(), dir, max_rows, max_cell).unwrap();
        let path = dir.join("w.xlsx");
        wb.save(&path).unwrap();
        path
    }

    fn rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
        let mut wb: Xlsx<_> = open_workbook(path).unwrap();
        let range = wb.worksheet_range(sheet).unwrap();
        range.rows().map(|r| r.to_vec()).collect()
    }

    fn about_text(path: &Path) -> String {
        rows(path, "About")
            .iter()
            .flatten()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn numbers_are_numbers_only_when_they_survive() {
        assert_eq!(as_number("727"), Some((727.0, Look::Integer)));
        assert_eq!(as_number("-0.5300"), Some((-0.53, Look::Decimals(4))));
        assert_eq!(as_number("2.514e-7"), Some((2.514e-7, Look::Scientific)));
        assert_eq!(as_number("0"), Some((0.0, Look::Integer)));
        assert_eq!(as_number("0.1111"), Some((0.1111, Look::Decimals(4))));
        assert_eq!(as_number("+2"), Some((2.0, Look::Integer)));
        assert_eq!(as_number("5."), Some((5.0, Look::Integer)));
        assert_eq!(
            as_number("123456789012345"),
            Some((123456789012345.0, Look::Integer))
        );
        for text in [
            "007",
            "1234567890123456",
            "1e999",
            "true",
            "",
            "'-2+3",
            "2023-12-27",
            "0.1234567890123456",
        ] {
            assert_eq!(as_number(text), None, "{text}");
        }
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary_with_a_marker() {
        assert_eq!(fit_cell("short", "hits.csv", EXCEL_MAX_CELL), None);
        // Exactly at the limit, in UTF-16 code units: kept whole.
        let emoji = "😀"; // 4 bytes, 2 UTF-16 code units
        let at_limit = emoji.repeat(EXCEL_MAX_CELL / 2) + "a";
        assert_eq!(at_limit.encode_utf16().count(), EXCEL_MAX_CELL);
        assert_eq!(fit_cell(&at_limit, "hits.csv", EXCEL_MAX_CELL), None);
        // One unit over, with 2-unit characters where the cut falls.
        let over = "é".repeat(10) + &emoji.repeat(EXCEL_MAX_CELL / 2);
        let total = over.chars().count();
        let cut = fit_cell(&over, "hits.csv", EXCEL_MAX_CELL).unwrap();
        let units = cut.encode_utf16().count();
        assert!(units <= EXCEL_MAX_CELL, "{units}");
        assert!(units >= EXCEL_MAX_CELL - 60, "uses the room: {units}");
        let (kept, marker) = cut.split_once('…').unwrap();
        assert!(over.starts_with(kept));
        let n = total - kept.chars().count();
        assert_eq!(
            marker,
            format!(" [cut: {n} characters; full text in hits.csv]")
        );
        // A small limit, and a 3-byte character at the boundary.
        let cut = fit_cell(&"€".repeat(100), "quotes.csv", 60).unwrap();
        assert!(cut.encode_utf16().count() <= 60, "{cut}");
        assert!(cut.starts_with("€€€€€€"), "{cut}");
        assert!(
            cut.ends_with(&cut_marker(
                100 - cut.chars().take_while(|&c| c == '€').count(),
                "quotes.csv"
            )),
            "{cut}"
        );
    }

    #[test]
    fn a_long_report_continues_on_numbered_sheets_with_the_header() {
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("x.csv");
        let mut text = String::from("id,advocacy_index,note\r\n");
        for i in 0..7 {
            text.push_str(&format!("a{i},{i}.5000,\r\n"));
        }
        std::fs::write(&csv, text).unwrap();
        let empty = tmp.path().join("e.csv");
        std::fs::write(&empty, "only,a,header\r\n").unwrap();
        let sources = [
            Source {
                name: "x.csv",
                path: &csv,
            },
            Source {
                name: "skipped.csv",
                path: &empty,
            },
        ];
        // 3 rows a sheet: the header and 2 data rows.
        let path = save(tmp.path(), &sources, 3, EXCEL_MAX_CELL);
        let wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(
            wb.sheet_names(),
            ["About", "x", "x (2)", "x (3)", "x (4)", "skipped"]
        );
        let mut seen = Vec::new();
        for sheet in ["x", "x (2)", "x (3)", "x (4)"] {
            let r = rows(&path, sheet);
            assert_eq!(
                r[0][..2],
                [
                    Data::String("id".into()),
                    Data::String("advocacy_index".into())
                ],
                "{sheet}"
            );
            assert!(r.len() <= 3, "{sheet}: {}", r.len());
            for row in &r[1..] {
                seen.push((row[0].to_string(), row[1].clone()));
            }
        }
        let want: Vec<(String, Data)> = (0..7)
            .map(|i| (format!("a{i}"), Data::Float(i as f64 + 0.5)))
            .collect();
        assert_eq!(seen, want, "every row once, in order");
        assert_eq!(rows(&path, "skipped").len(), 1, "a header-only report");
        let about = about_text(&path);
        assert!(about.contains("x.csv (4 sheets)"), "{about}");
        assert!(
            about.contains("at most 3 rows: the header and 2 data rows"),
            "{about}"
        );
        assert!(about.contains("x (4)"), "{about}");
        assert!(about.contains("No cell was cut"), "{about}");
    }

    #[test]
    fn cut_cells_are_counted_on_the_about_sheet() {
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("hits.csv");
        std::fs::write(
            &csv,
            format!(
                "id,sentence\r\n1,{}\r\n2,short\r\n3,{}\r\n",
                "ж".repeat(90),
                "y".repeat(80)
            ),
        )
        .unwrap();
        let sources = [Source {
            name: "hits.csv",
            path: &csv,
        }];
        let path = save(tmp.path(), &sources, EXCEL_MAX_ROWS, 70);
        let r = rows(&path, "hits");
        let first = r[1][1].to_string();
        assert!(first.encode_utf16().count() <= 70, "{first}");
        assert!(first.ends_with("full text in hits.csv]"), "{first}");
        assert_eq!(r[2][1], Data::String("short".into()));
        let about = about_text(&path);
        assert!(
            about.contains("Cells cut in this workbook: 2 (2 on hits)"),
            "{about}"
        );
    }

    #[test]
    fn our_workbooks_are_recognised_and_others_are_not() {
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("a.csv");
        std::fs::write(&csv, "a\r\n1\r\n").unwrap();
        let ours = save(
            tmp.path(),
            &[Source {
                name: "a.csv",
                path: &csv,
            }],
            EXCEL_MAX_ROWS,
            EXCEL_MAX_CELL,
        );
        assert!(is_our_workbook(&ours));
        // Another program's workbook, with document properties of its own.
        let other = tmp.path().join("other.xlsx");
        let mut wb = Workbook::new();
        wb.set_properties(&DocProperties::new().set_custom_property("framescope", "no"));
        wb.add_worksheet()
            .write_string(0, 0, "framescope_workbook")
            .unwrap();
        wb.save(&other).unwrap();
        assert!(!is_our_workbook(&other));
        let text = tmp.path().join("text.xlsx");
        std::fs::write(&text, "name=\"framescope_workbook\"").unwrap();
        assert!(!is_our_workbook(&text));
        assert!(!is_our_workbook(&tmp.path().join("missing.xlsx")));
    }

    #[test]
    fn helpers() {
        assert_eq!(thousands(1_048_576), "1,048,576");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert!(is_index_column("advocacy_index"));
        assert!(is_index_column("balance_median"));
        assert!(is_index_column("neutral_index_pooled"));
        assert!(!is_index_column("advocacy_index_sd"));
        assert!(!is_index_column("balance_n"));
        assert_eq!(mix(0xFFFFFF, 0x000000), 0x7F7F7F);
        assert_eq!(mix(0xF8696B, 0xF8696B), 0xF8696B);
        assert_eq!(sheet_name("hits", 1), "hits");
        assert_eq!(sheet_name("hits", 2), "hits (2)");
    }
}
