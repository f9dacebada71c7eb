//! `report.html`: the reports as one self-contained page to look at. Charts are inline SVG
//! drawn here; there is no script, no external resource (a Content-Security-Policy forbids
//! any), and every piece of input text is escaped. Every number on the page is a cell of a
//! CSV report, shown as the CSV writes it (the charts place marks by the same values), so a
//! figure on the page can be found in `sources.csv`, `frames.csv`, `keyness.csv` or
//! `compare.csv`. The articles (the first `--report-html-articles` of the input) are shown
//! with their hits, quotations and removed page chrome marked, as `framescope explain` does.

use std::fmt::Write as _;

use crate::corpus::Article;
use crate::lexicon::{LexiconSet, Role, Side};
use crate::marks::{Kind, Mark, Painter, Tone, field_marks, is_marked, quote_note, tone};
use crate::score::{Analysis, Field, MEASURES, side_sum};

use super::RunInfo;
use super::cells::fixed;

/// The name of the page.
pub const REPORT_HTML: &str = "report.html";

/// The mark that tells a page framescope wrote from another file of that name (in the
/// first 4 KiB of the file).
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"framescope\">";

/// Text escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_esc(&mut out, s);
    out
}

fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and line breaks are not allowed in HTML text.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A report table as its CSV holds it: header and rows of cells.
pub struct Table<'a> {
    pub header: &'a [String],
    pub rows: &'a [Vec<String>],
}

impl Table<'_> {
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// A row's cell by column name ("" when there is no such column).
    fn cell<'r>(&self, row: &'r [String], name: &str) -> &'r str {
        self.col(name)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }

    fn num(&self, row: &[String], name: &str) -> Option<f64> {
        self.cell(row, name)
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
    }
}

/// Everything the page is made of, beside the articles.
pub struct Tables<'a> {
    pub sources: Table<'a>,
    pub frames: Table<'a>,
    pub keyness: Table<'a>,
    pub compare: Table<'a>,
}

/// The articles shown on the page, rendered while the corpus streams by.
#[derive(Debug, Default)]
pub struct PageArticles {
    /// How many articles the page shows at most.
    pub limit: usize,
    /// Rendered articles, in input order.
    pub shown: Vec<String>,
    /// Bytes of `shown`.
    pub bytes: usize,
    /// Scored articles not shown (past the limit, or past [`PAGE_ARTICLE_BYTES`]).
    pub left_out: u64,
}

/// At most this many bytes of rendered articles go on the page, whatever the limit: a page
/// of more is too slow for a browser to be of use (and would hold memory).
pub const PAGE_ARTICLE_BYTES: usize = 48 << 20;

impl PageArticles {
    /// Add the next scored article: its rendering if it was rendered and fits, else counted
    /// as left out.
    pub fn add(&mut self, rendered: Option<String>) {
        match rendered {
            Some(html)
                if self.shown.len() < self.limit
                    && self.bytes + html.len() <= PAGE_ARTICLE_BYTES =>
            {
                self.bytes += html.len();
                self.shown.push(html);
            }
            _ => self.left_out += 1,
        }
    }
}

const CSS: &str = r#"
:root{--adv:#c0392b;--adv-bg:#fadbd8;--neu:#1e8449;--neu-bg:#d5f5e3;--oth:#1f618d;--oth-bg:#d6eaf8;--ink:#1c2833;--mute:#5d6d7e;--rule:#d5d8dc}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);max-width:1180px;margin:0 auto;padding:16px 24px 64px}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:36px 0 8px;border-bottom:1px solid var(--rule);padding-bottom:4px}h3{font-size:17px;margin:20px 0 4px}
p.lead,p.note,.meta{color:var(--mute)}p.note{font-size:13px}
nav a{margin-right:14px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{padding:3px 6px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
th{background:#f4f6f7;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.name{min-width:130px}
.scroll{overflow-x:auto}
svg{display:block;margin:6px 0 2px;font:12px system-ui,sans-serif}svg text{fill:var(--ink)}svg .mute{fill:var(--mute)}
.legend span{display:inline-block;margin-right:14px;font-size:13px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
.bar{display:inline-block;height:10px;background:#5d6d7e;margin-right:6px;vertical-align:0}
mark.hit{border-radius:2px;padding:0 1px;color:inherit}mark.adv{background:var(--adv-bg);box-shadow:inset 0 -2px var(--adv)}mark.neu{background:var(--neu-bg);box-shadow:inset 0 -2px var(--neu)}mark.oth{background:var(--oth-bg);box-shadow:inset 0 -2px var(--oth)}
span.quote{font-style:italic;background:#fef9e7;border-bottom:1px dotted #b7950b}
.who,.why{font-size:11px;font-style:normal;color:#7d3c98;margin-left:3px;white-space:nowrap}.why{color:var(--mute)}
del.removed{color:#aab7b8;text-decoration:line-through}
article.doc{border-top:2px solid var(--rule);margin-top:28px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fbfcfc;border:1px solid var(--rule);padding:10px 12px;border-radius:4px}
.scores span{margin-right:12px;white-space:nowrap}
.cats{font-size:12px}.chip{display:inline-block;border-radius:3px;padding:0 5px;margin:0 4px 3px 0;white-space:nowrap}.chip.adv{background:var(--adv-bg)}.chip.neu{background:var(--neu-bg)}.chip.oth{background:var(--oth-bg)}
"#;

/// Build the page.
pub fn page(info: &RunInfo, tables: &Tables<'_>, articles: &PageArticles) -> String {
    let mut out = String::with_capacity(articles.bytes + (1 << 16));
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(GENERATOR);
    out.push_str(
        "\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>framescope report: {}</title>",
        esc(&info.input)
    );
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    let outlets = tables.sources.rows.len();
    let _ = writeln!(
        out,
        "<header><h1>framescope report</h1>\n<p class=\"lead\">{} ({}): {} inputs, {} articles scored from {} outlets, {} skipped. framescope {}.</p>\n\
         <p class=\"note\">Every number on this page is a cell of the CSV reports beside it, as written there \
         (<code>sources.csv</code>, <code>frames.csv</code>, <code>keyness.csv</code>, <code>compare.csv</code>, <code>articles.csv</code>; \
         the shares in the charts' hover texts are computed from those cells); \
         the column reference is the reports' README. Hover over a marked word for its lexicon entry.</p>",
        esc(&info.input),
        esc(&info.input_kind),
        info.inputs,
        info.scored,
        outlets,
        info.skipped,
        env!("CARGO_PKG_VERSION"),
    );
    out.push_str(
        "<nav><a href=\"#scorecard\">Scorecard</a><a href=\"#indices\">Indices</a><a href=\"#attribution\">Attribution</a>\
         <a href=\"#terms\">Distinguishing terms</a><a href=\"#frames\">Frames</a><a href=\"#differences\">Differences</a>\
         <a href=\"#articles\">Articles</a></nav></header>\n",
    );
    scorecard(&mut out, &tables.sources);
    indices(&mut out, &tables.sources);
    attribution(&mut out, &tables.sources);
    terms(&mut out, &tables.keyness);
    frames(&mut out, &tables.frames);
    differences(&mut out, &tables.compare);
    article_section(&mut out, articles, info.scored);
    out.push_str("</body>\n</html>\n");
    out
}

/// The columns of `sources.csv` the scorecard shows, with their headings.
const SCORECARD: [(&str, &str); 16] = [
    ("rank", "rank"),
    ("source", "outlet"),
    ("articles", "articles"),
    ("words", "words"),
    ("advocacy_index_pooled", "advocacy index"),
    ("neutral_index_pooled", "neutral index"),
    ("balance_pooled", "balance"),
    ("quoted_word_share_pooled", "quoted word share"),
    ("attribution_rate_pooled", "attribution rate"),
    ("loaded_cue_share_pooled", "loaded cue share"),
    ("advocacy_hits", "advocacy hits"),
    ("neutral_hits", "neutral hits"),
    ("direct_quotes", "direct quotes"),
    ("named", "named"),
    ("anonymous", "anonymous"),
    ("unattributed", "unattributed"),
];

fn scorecard(out: &mut String, t: &Table<'_>) {
    out.push_str("<section id=\"scorecard\"><h2>Scorecard</h2>\n<p class=\"note\">One row per outlet, ranked by the advocacy index pooled over its words \
        (weighted advocacy hits in the outlet's own voice per 1,000 of its own words). <code>sources.csv</code> has every column, \
        with per-article means, medians and 95&nbsp;% intervals.</p>\n<div class=\"scroll\"><table><thead><tr>");
    for (col, heading) in SCORECARD {
        let _ = write!(
            out,
            "<th title=\"sources.csv: {}\">{}</th>",
            esc(col),
            esc(heading)
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in t.rows {
        out.push_str("<tr>");
        for (col, _) in SCORECARD {
            let v = t.cell(row, col);
            let class = if col == "source" {
                " class=\"name\""
            } else {
                " class=\"n\""
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(v));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// A round axis end at or above `max`: 1, 2 or 5 times a power of ten.
fn nice_max(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 || max.is_infinite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= max * 0.999_999 {
            return m * p;
        }
    }
    10.0 * p
}

/// A label cut to `n` characters (with an ellipsis), for chart margins.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

const LABEL_W: f64 = 190.0;
const CHART_W: f64 = 520.0;
const ROW_H: f64 = 26.0;

/// The start of a chart: an `svg` of this size, titled for screen readers and on hover.
fn svg_open(out: &mut String, title: &str, width: f64, height: f64) {
    let title = esc(title);
    let _ = write!(
        out,
        "<svg role=\"img\" aria-label=\"{title}\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\"><title>{title}</title>"
    );
}

/// An outlet's name at the left of a chart row centred on `y` (cut to fit; whole on hover).
fn row_label(out: &mut String, y: f64, source: &str) {
    let _ = write!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
        LABEL_W - 8.0,
        y + 4.0,
        esc(source),
        esc(&short(source, 28))
    );
}

/// An x axis from 0 to `max` at the top of a chart, with five gridlines.
fn axis(out: &mut String, max: f64, height: f64, x0: f64, w: f64, fmt: impl Fn(f64) -> String) {
    for k in 0..=5 {
        let v = max * k as f64 / 5.0;
        let x = x0 + w * k as f64 / 5.0;
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"18\" x2=\"{x:.1}\" y2=\"{height:.1}\" stroke=\"#e5e8e8\"/>\
             <text x=\"{x:.1}\" y=\"12\" text-anchor=\"middle\" class=\"mute\">{}</text>",
            esc(&fmt(v))
        );
    }
}

fn indices(out: &mut String, t: &Table<'_>) {
    out.push_str("<section id=\"indices\"><h2>Advocacy and neutral indices</h2>\n<p class=\"note\">Per 1,000 words in the outlet's own voice. \
        A diamond is the index pooled over all the outlet's words; a dot is the mean of its articles, with its 95&nbsp;% confidence \
        interval (Student&nbsp;t; none with fewer than two articles).</p>\n\
        <p class=\"legend\"><span><i style=\"background:var(--adv)\"></i>advocacy</span><span><i style=\"background:var(--neu)\"></i>neutral</span>\
        <span>◆ pooled</span><span>● mean of articles ── 95&nbsp;% CI</span></p>\n");
    for (measure, color, title) in [
        ("advocacy_index", "var(--adv)", "Advocacy index"),
        ("neutral_index", "var(--neu)", "Neutral index"),
    ] {
        let pooled = format!("{measure}_pooled");
        let mean = format!("{measure}_mean");
        let lo = format!("{measure}_ci_low");
        let hi = format!("{measure}_ci_high");
        let max = t
            .rows
            .iter()
            .flat_map(|r| [t.num(r, &pooled), t.num(r, &mean), t.num(r, &hi)])
            .flatten()
            .fold(0.0, f64::max);
        let max = nice_max(max);
        let height = 24.0 + ROW_H * t.rows.len() as f64;
        let width = LABEL_W + CHART_W + 170.0;
        let _ = writeln!(out, "<h3>{title}</h3>");
        svg_open(out, &format!("{title} per outlet"), width, height);
        axis(out, max, height, LABEL_W, CHART_W, |v| format!("{v:.1}"));
        let x = |v: f64| LABEL_W + CHART_W * (v / max).clamp(0.0, 1.0);
        for (k, row) in t.rows.iter().enumerate() {
            let y = 24.0 + ROW_H * k as f64 + ROW_H / 2.0;
            let source = t.cell(row, "source");
            row_label(out, y, source);
            if let (Some(l), Some(h)) = (t.num(row, &lo), t.num(row, &hi)) {
                let _ = write!(
                    out,
                    "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{color}\" stroke-width=\"2\"><title>95 % CI {} to {}</title></line>",
                    x(l),
                    x(h),
                    esc(t.cell(row, &lo)),
                    esc(t.cell(row, &hi))
                );
            }
            if let Some(m) = t.num(row, &mean) {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"{color}\" fill-opacity=\"0.55\"><title>mean of articles {}</title></circle>",
                    x(m),
                    esc(t.cell(row, &mean))
                );
            }
            let mut note = String::new();
            if let Some(p) = t.num(row, &pooled) {
                let px = x(p);
                let _ = write!(
                    out,
                    "<path d=\"M{:.1} {:.1} l6 6 l-6 6 l-6 -6 z\" fill=\"{color}\"><title>pooled {}</title></path>",
                    px,
                    y - 6.0,
                    esc(t.cell(row, &pooled))
                );
                note = format!("{} pooled", t.cell(row, &pooled));
            }
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"mute\">{} · n={}</text>",
                LABEL_W + CHART_W + 10.0,
                y + 4.0,
                esc(&note),
                esc(t.cell(row, "articles"))
            );
        }
        out.push_str("</svg>\n");
    }
    out.push_str("</section>\n");
}

/// A horizontal bar split into parts: (label, count, colour); each part's share of the total.
fn stacked(out: &mut String, y: f64, parts: &[(&str, f64, &str)]) {
    let total: f64 = parts.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"mute\">none</text>",
            LABEL_W,
            y + 4.0
        );
        return;
    }
    let mut x = LABEL_W;
    for (label, n, color) in parts {
        let w = CHART_W * n / total;
        if w <= 0.0 {
            continue;
        }
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16\" fill=\"{color}\"><title>{}: {} of {} ({:.1} %)</title></rect>",
            y - 8.0,
            esc(label),
            n,
            total,
            100.0 * n / total
        );
        if w > 28.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:#fff\">{n}</text>",
                x + w / 2.0,
                y + 4.0
            );
        }
        x += w;
    }
}

fn attribution(out: &mut String, t: &Table<'_>) {
    out.push_str("<section id=\"attribution\"><h2>Attribution profile</h2>\n<p class=\"note\">Who the outlet's quotations and paraphrases \
        are given to (counts from <code>sources.csv</code>: <code>named</code>, <code>pronoun</code>, <code>anonymous</code>, \
        <code>unattributed</code>), and which verbs attribute them: neutral cues such as <em>said</em> against loaded ones such as \
        <em>claimed</em> (<code>neutral_cues</code>, <code>loaded_cues</code>). Bars show shares; the numbers are counts.</p>\n");
    let speakers = [
        ("named", "#1f618d"),
        ("pronoun", "#7fb3d5"),
        ("anonymous", "#e67e22"),
        ("unattributed", "#aab7b8"),
    ];
    let cues = [("neutral_cues", "#1e8449"), ("loaded_cues", "#c0392b")];
    for (title, parts) in [
        ("Speakers", &speakers[..]),
        ("Attribution verbs", &cues[..]),
    ] {
        let _ = write!(out, "<h3>{title}</h3><p class=\"legend\">");
        for (name, color) in parts {
            let _ = write!(
                out,
                "<span><i style=\"background:{color}\"></i>{}</span>",
                esc(&name.replace('_', " "))
            );
        }
        out.push_str("</p>\n");
        let height = 8.0 + ROW_H * t.rows.len() as f64;
        let width = LABEL_W + CHART_W + 20.0;
        svg_open(out, &format!("{title} per outlet"), width, height);
        for (k, row) in t.rows.iter().enumerate() {
            let y = 8.0 + ROW_H * k as f64 + ROW_H / 2.0;
            let source = t.cell(row, "source");
            row_label(out, y, source);
            let values: Vec<(&str, f64, &str)> = parts
                .iter()
                .map(|(name, color)| (*name, t.num(row, name).unwrap_or(0.0), *color))
                .collect();
            stacked(out, y, &values);
        }
        out.push_str("</svg>\n");
    }
    out.push_str("</section>\n");
}

/// Terms shown per outlet.
const TOP_TERMS: usize = 10;

fn terms(out: &mut String, t: &Table<'_>) {
    // Whose words were counted (`--voice`): the same in every row.
    let voice = match t.rows.first().map(|r| t.cell(r, "voice")) {
        Some("author") | None => "in the outlet's own voice (outside quotations)".to_string(),
        Some("quoted") => "inside quotations (the sources' words)".to_string(),
        Some("all") => "in headline, body and quotations together".to_string(),
        Some(v) => format!("in voice <code>{}</code>", esc(v)),
    };
    let _ = writeln!(
        out,
        "<section id=\"terms\"><h2>Distinguishing terms</h2>\n<p class=\"note\">Per outlet, the lexicon entries (and, with \
        <code>--all-words</code>, words) it uses {voice} more than all other outlets together, strongest first (rows of \
        <code>keyness.csv</code> with <code>comparison</code> = one_vs_rest and <code>direction</code> = higher, in the file's \
        order, by z). The bar is the log-odds ratio; <b>bold</b> terms have an adjusted p below 0.05 (Benjamini-Hochberg over \
        the whole file).</p>"
    );
    let mut by_source: Vec<(&str, Vec<&Vec<String>>)> = Vec::new();
    for row in t.rows {
        if t.cell(row, "comparison") != "one_vs_rest" || t.cell(row, "direction") != "higher" {
            continue;
        }
        let source = t.cell(row, "source");
        match by_source.last_mut() {
            Some((s, rows)) if *s == source => rows.push(row),
            _ => by_source.push((source, vec![row])),
        }
    }
    if by_source.is_empty() {
        out.push_str("<p>No outlet uses a term more than the others (it takes at least two outlets).</p></section>\n");
        return;
    }
    let max = by_source
        .iter()
        .flat_map(|(_, rows)| rows.iter().take(TOP_TERMS))
        .filter_map(|r| t.num(r, "log_odds"))
        .fold(0.0, f64::max);
    let max = nice_max(max);
    for (source, rows) in &by_source {
        let _ = write!(
            out,
            "<div><h3>{}</h3><table><thead><tr><th>term</th><th>category</th><th title=\"per 1,000 words in this outlet\">per 1k</th><th title=\"per 1,000 words in all other outlets\">others</th><th>log-odds</th><th>p adj.</th></tr></thead><tbody>",
            esc(source)
        );
        for r in rows.iter().take(TOP_TERMS) {
            let strong = t.num(r, "p_adj").is_some_and(|p| p < 0.05);
            let term = esc(t.cell(r, "term"));
            let term = if strong {
                format!("<b>{term}</b>")
            } else {
                term
            };
            let lo = t.num(r, "log_odds").unwrap_or(0.0);
            let w = (90.0 * lo / max).clamp(0.0, 90.0);
            let _ = write!(
                out,
                "<tr><td>{term}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\"><span class=\"bar\" style=\"width:{w:.0}px\"></span>{}</td><td class=\"n\">{}</td></tr>",
                esc(t.cell(r, "lexicon")),
                esc(t.cell(r, "per_1k")),
                esc(t.cell(r, "per_1k_other")),
                esc(t.cell(r, "log_odds")),
                esc(t.cell(r, "p_adj")),
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section>\n");
}

fn frames(out: &mut String, t: &Table<'_>) {
    out.push_str("<section id=\"frames\"><h2>Frame distribution</h2>\n<p class=\"note\">Each outlet's frame hits split by frame \
        (<code>frames.csv</code>: <code>share</code> of the outlet's frame hits; the cell's hover adds hits and the articles it \
        dominates). Darker is a larger share.</p>\n");
    let mut sources: Vec<&str> = Vec::new();
    let mut frame_ids: Vec<&str> = Vec::new();
    for row in t.rows {
        let s = t.cell(row, "source");
        if !sources.contains(&s) {
            sources.push(s);
        }
        let f = t.cell(row, "frame");
        if !frame_ids.contains(&f) {
            frame_ids.push(f);
        }
    }
    if sources.is_empty() || frame_ids.is_empty() {
        out.push_str("<p>No frame categories in use.</p></section>\n");
        return;
    }
    let cell_w = 64.0;
    let top = 120.0;
    // room on the right for the last rotated label
    let width = LABEL_W + cell_w * frame_ids.len() as f64 + 110.0;
    let height = top + ROW_H * sources.len() as f64 + 4.0;
    out.push_str("<div class=\"scroll\">");
    svg_open(out, "Frame shares per outlet", width, height);
    for (j, f) in frame_ids.iter().enumerate() {
        let x = LABEL_W + cell_w * j as f64 + cell_w / 2.0;
        let label = f.strip_prefix("frames.").unwrap_or(f).replace('_', " ");
        let _ = write!(
            out,
            "<text transform=\"translate({x:.1} {:.1}) rotate(-40)\"><title>{}</title>{}</text>",
            top - 6.0,
            esc(f),
            esc(&short(&label, 22))
        );
    }
    for (k, s) in sources.iter().enumerate() {
        let y = top + ROW_H * k as f64;
        row_label(out, y + ROW_H / 2.0, s);
    }
    for row in t.rows {
        let (s, f) = (t.cell(row, "source"), t.cell(row, "frame"));
        let (Some(k), Some(j)) = (
            sources.iter().position(|x| *x == s),
            frame_ids.iter().position(|x| *x == f),
        ) else {
            continue;
        };
        let share = t.num(row, "share");
        let x = LABEL_W + cell_w * j as f64;
        let y = top + ROW_H * k as f64;
        let alpha = share.unwrap_or(0.0).clamp(0.0, 1.0);
        // 0 → white, 1 → deep blue; text turns white on dark cells
        let fill = format!(
            "rgb({:.0},{:.0},{:.0})",
            255.0 - alpha * (255.0 - 31.0),
            255.0 - alpha * (255.0 - 97.0),
            255.0 - alpha * (255.0 - 141.0)
        );
        let ink = if alpha > 0.45 { "#fff" } else { "#1c2833" };
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#fff\"><title>{} · {}: share {}, {} hits, dominant in {} of {} articles</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:{ink}\">{}</text>",
            x,
            y,
            cell_w,
            ROW_H,
            esc(s),
            esc(f),
            esc(t.cell(row, "share")),
            esc(t.cell(row, "hits")),
            esc(t.cell(row, "articles_dominant")),
            esc(t.cell(row, "articles")),
            x + cell_w / 2.0,
            y + ROW_H / 2.0 + 4.0,
            esc(t.cell(row, "share")),
        );
    }
    out.push_str("</svg></div></section>\n");
}

/// Rows of `compare.csv` shown at most.
const TOP_DIFFERENCES: usize = 40;

fn differences(out: &mut String, t: &Table<'_>) {
    out.push_str("<section id=\"differences\"><h2>Differences between outlets</h2>\n");
    // A row counts as a finding when any of its adjusted p-values is below 0.05.
    let adjusted = ["welch_p_adj", "mann_whitney_p_adj", "g2_p_adj"];
    let best = |r: &Vec<String>| {
        adjusted
            .iter()
            .filter_map(|c| t.num(r, c))
            .fold(f64::INFINITY, f64::min)
    };
    let tested = t.rows.iter().filter(|r| best(r).is_finite()).count();
    let mut found: Vec<&Vec<String>> = t.rows.iter().filter(|r| best(r) < 0.05).collect();
    found.sort_by(|a, b| best(a).total_cmp(&best(b)));
    let _ = writeln!(
        out,
        "<p class=\"note\">Pairs of outlets compared measure by measure in <code>compare.csv</code> ({} rows, {} with a test). \
         Shown: the rows where an adjusted p-value (Benjamini-Hochberg over every p-value of its column) is below 0.05, smallest first, at most {}. \
         Comparisons without a test (too few articles) are in the file with a note saying why. \
         A <code>g2_counts</code> row tests pooled counts, every word an independent event: with few articles per outlet it \
         describes these articles more than the outlet; a <code>welch_mann_whitney</code> row takes articles as the unit.</p>",
        t.rows.len(),
        tested,
        TOP_DIFFERENCES
    );
    if found.is_empty() {
        out.push_str("<p><b>No difference between outlets reaches an adjusted p below 0.05.</b> With few articles per outlet, \
            that is the honest answer: the differences above may be chance.</p></section>\n");
        return;
    }
    out.push_str("<div class=\"scroll\"><table><thead><tr>");
    let cols = [
        "source_a",
        "source_b",
        "measure",
        "test",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "difference",
        "ci_low",
        "ci_high",
        "hedges_g",
        "welch_p_adj",
        "mann_whitney_p_adj",
        "g2_p_adj",
    ];
    for c in cols {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in found.iter().take(TOP_DIFFERENCES) {
        out.push_str("<tr>");
        for c in cols {
            let class = if c.starts_with("source") {
                " class=\"name\""
            } else if c == "measure" || c == "test" {
                ""
            } else {
                " class=\"n\""
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(t.cell(r, c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn article_section(out: &mut String, articles: &PageArticles, scored: u64) {
    out.push_str("<section id=\"articles\"><h2>Articles</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">{} of {} scored articles, in input order{}. Marked: \
         <mark class=\"hit adv\">advocacy</mark> <mark class=\"hit neu\">neutral</mark> <mark class=\"hit oth\">other categories</mark> \
         hits (hover for the lexicon entry; frames are counted in the scores, not marked), <span class=\"quote\">quotations</span> \
         with their speaker and cue, and <del class=\"removed\">page chrome</del> left out by cleaning, with the rule that removed it. \
         <code>framescope explain FILE --id ID</code> shows any article in the terminal.</p>",
        articles.shown.len(),
        scored,
        if articles.left_out > 0 {
            format!(
                " (the first {}; raise --report-html-articles to show more, up to {} MiB of marked text)",
                articles.shown.len(),
                PAGE_ARTICLE_BYTES >> 20
            )
        } else {
            String::new()
        }
    );
    for a in &articles.shown {
        out.push_str(a);
    }
    out.push_str("</section>\n");
}

/// One article for the page: heading, scores, and its text with hits, quotations and
/// removed page chrome marked. `n` is its place among the articles (for its anchor).
pub fn article_html(
    set: &LexiconSet,
    article: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
    n: u64,
) -> String {
    let mut out = String::with_capacity(article.text.len() * 2 + 1024);
    let marked = analysis.hits.iter().filter(|h| is_marked(set, h)).count();
    let heading = if article.title.trim().is_empty() {
        &article.id
    } else {
        &article.title
    };
    let _ = write!(
        out,
        "<article class=\"doc\" id=\"article-{n}\" data-id=\"{}\" data-hits=\"{marked}\">\n<h3>{}</h3>\n<p class=\"meta\">{}",
        esc(&article.id),
        esc(heading),
        esc(&article.source)
    );
    for part in [&article.date, &article.author, &article.url] {
        if !part.is_empty() {
            let _ = write!(out, " · {}", esc(part));
        }
    }
    let _ = write!(
        out,
        " · id <code>{}</code> · {}</p>\n<p class=\"scores\">",
        esc(&article.id),
        esc(&article.origin.to_string())
    );
    for (name, value) in MEASURES.iter().zip(measures) {
        if matches!(*name, "sentences" | "quotes_per_1k") {
            continue;
        }
        let shown = match value {
            None => "–".to_string(),
            Some(v) if *name == "words" => format!("{v:.0}"),
            Some(v) => fixed(Some(*v)),
        };
        let _ = write!(
            out,
            "<span>{} <b>{}</b></span> ",
            esc(&name.replace('_', " ")),
            esc(&shown)
        );
    }
    let s = &analysis.score;
    let _ = write!(
        out,
        "<span>own-voice hits <b>{}</b> advocacy, <b>{}</b> neutral</span> <span>quotations <b>{}</b> direct, <b>{}</b> partial</span>",
        side_sum(&s.author, set, Side::Advocacy),
        side_sum(&s.author, set, Side::Neutral),
        s.attributions.direct,
        s.attributions.partial,
    );
    out.push_str("</p>\n");
    // Hits by category (the `*.n`, `*.quoted_n` and `*.headline_n` cells), most first.
    let counted = s.categories_hit(set);
    if !counted.is_empty() {
        out.push_str("<p class=\"cats\">");
        for (i, _) in counted {
            let l = &set.lexicons[i];
            let _ = write!(
                out,
                "<span class=\"chip {}\" title=\"hits in the outlet's own voice / quoted / headline\">{} {}/{}/{}</span> ",
                side_class(l.side, l.role),
                esc(&l.id),
                s.author[i],
                s.quoted[i],
                s.headline[i]
            );
        }
        out.push_str("</p>\n");
    }
    if !article.title.trim().is_empty() && !s.headline_in_text {
        out.push_str("<p class=\"title\">Headline: ");
        marked_text(
            &mut out,
            set,
            &article.title,
            field_marks(set, analysis, Field::Title),
        );
        out.push_str("</p>\n");
    }
    out.push_str("<div class=\"text\">");
    marked_text(
        &mut out,
        set,
        &article.text,
        field_marks(set, analysis, Field::Text),
    );
    out.push_str("</div>\n</article>\n");
    out
}

/// The class that colours a category's hits: `adv`, `neu`, or `oth` (frames and categories
/// of no side).
fn side_class(side: Side, role: Role) -> &'static str {
    match tone(side, role) {
        Tone::Advocacy => "adv",
        Tone::Neutral => "neu",
        Tone::Other => "oth",
    }
}

fn marked_text(out: &mut String, set: &LexiconSet, text: &str, marks: Vec<Mark<'_>>) {
    let mut p = Html { set, out };
    crate::marks::paint(text, marks, &mut p);
}

/// Draws marks as HTML elements: `mark` for hits, `span.quote` for quotations, `del` for
/// removed page chrome, each with its explanation as a tooltip (`title`).
struct Html<'a> {
    set: &'a LexiconSet,
    out: &'a mut String,
}

impl Painter for Html<'_> {
    fn text(&mut self, s: &str) {
        push_esc(self.out, s);
    }

    fn open(&mut self, mark: &Mark<'_>, _continued: bool) {
        match mark.kind {
            Kind::Hit(i, h) => {
                let l = &self.set.lexicons[h.lexicon];
                let class = side_class(l.side, l.role);
                let entry = l.entries.get(h.entry);
                let tip = format!(
                    "{} ({} side, {} voice): entry “{}”, line {} of {}",
                    l.id,
                    l.side.as_str(),
                    h.voice.as_str(),
                    entry.map_or("", |e| e.written.as_str()),
                    entry.map_or(0, |e| e.line),
                    l.origin
                );
                let _ = write!(
                    self.out,
                    "<mark class=\"hit {class}\" data-hit=\"{i}\" title=\"{}\">",
                    esc(&tip)
                );
            }
            Kind::Quote(q) => {
                let _ = write!(
                    self.out,
                    "<span class=\"quote\" title=\"{} quotation: {}\">",
                    q.kind,
                    esc(&quote_note(q))
                );
            }
            Kind::Removed(r) => {
                let _ = write!(
                    self.out,
                    "<del class=\"removed\" title=\"left out by cleaning: {}: {}\">",
                    esc(&r.reason),
                    esc(&r.detail)
                );
            }
        }
    }

    fn close(&mut self, mark: &Mark<'_>, last: bool) {
        match mark.kind {
            Kind::Hit(..) => self.out.push_str("</mark>"),
            Kind::Quote(q) => {
                self.out.push_str("</span>");
                if last {
                    let _ = write!(
                        self.out,
                        "<span class=\"who\">({})</span>",
                        esc(&quote_note(q))
                    );
                }
            }
            Kind::Removed(r) => {
                self.out.push_str("</del>");
                if last {
                    let _ = write!(
                        self.out,
                        "<span class=\"why\">[removed: {}]</span>",
                        esc(&r.reason)
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_controls() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>\u{0}"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\u{FFFD}"
        );
        assert_eq!(esc("line\nnext\ttab"), "line\nnext\ttab");
    }

    #[test]
    fn nice_axis_ends() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(15.3), 20.0);
        assert_eq!(nice_max(2.0), 2.0);
        assert_eq!(nice_max(0.031), 0.05);
    }

    #[test]
    fn page_articles_keep_the_limit() {
        let mut p = PageArticles {
            limit: 2,
            ..Default::default()
        };
        for k in 0..4 {
            p.add(Some(format!("<article>{k}</article>")));
        }
        p.add(None);
        assert_eq!(p.shown.len(), 2);
        assert_eq!(p.left_out, 3);
    }
}
