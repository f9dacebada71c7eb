//! Extracts the article from a saved web page: the main text as paragraphs, the metadata
//! (title, date, url, author), and an auditable list of everything that was left out.
//!
//! Parsing is done by [`scraper`] (html5ever, the WHATWG parsing algorithm), so unclosed tags,
//! stray end tags, entities and uppercase tags are handled as a browser would. Every walk over
//! the tree is iterative (the tree is flattened into document order once, with the end of each
//! subtree), so a page of 100 000 nested elements cannot overflow the stack. Before parsing,
//! elements nested deeper than 256 levels are flattened (their excess start and end tags
//! removed, the text kept; a linear scan models the parser's stack of open elements), because
//! html5ever spends time proportional to the depth on every block start tag and would take
//! minutes on such a page. Real pages are never that deep and pass through untouched.
//!
//! # Main-content heuristic (Readability-like)
//! 1. **Chrome.** Never text: `script style noscript template title svg iframe object embed
//!    canvas audio video img` (dropped silently: they have no visible text) and `form button
//!    select textarea input nav aside dialog menu footer header` (dropped with the tag name as
//!    reason; a `<header>` inside the article keeps its headings and paragraphs, the rest of it
//!    is dropped as `header`; a `<form>` holding 4+ paragraphs is a page wrapper, not chrome).
//!    ARIA roles `navigation complementary banner contentinfo search dialog` count like the
//!    matching tags, and `hidden`, `aria-hidden="true"` and inline `display:none` as `hidden`.
//! 2. **Class, id and `aria-label`** are split into words (on `-`, `_`, spaces and camelCase) and
//!    matched as whole words, so `ad` matches `ad-slot` but not `header`, `shadow` or `load`:
//!    comment(s)/disqus/replies → `comments`; share/sharing/social → `share`;
//!    newsletter/subscribe/signup → `newsletter`; related/recommended/more-stories/read-more/
//!    teaser/trending → `related`; promo/ad/ads/advert/sponsor(ed) → `promo`; sidebar/rail/widget
//!    → `sidebar`; menu/nav/breadcrumb/pagination → `nav`; cookie/consent/gdpr → `cookie`;
//!    footer; header/masthead → `header`; popup/modal/overlay → `popup`; paywall; byline/author →
//!    `byline`; `sr-only`, `visually-hidden`... → `hidden`. As in Readability's
//!    unlikely/maybe-candidate regexes, a class or id that is purely about content
//!    (`article-body`, `entry-content`, `main`, `story`: article/content/body/main/story/entry
//!    without a chrome word) vetoes this on its element, and in `article-header`/`entry-footer`
//!    the content word wins over header/footer. `comments` is never vetoed, and tokens starting
//!    with `has-`/`with-`/`no-` (`has-sidebar` on a layout wrapper) are ignored. Nothing inside
//!    a heading, `pre` or `code` is chrome by class (`<h2><a class="header">`, `<span
//!    class="comment">` in highlighted code), and header/footer words mark only blocks.
//! 3. **Container.** The `<article>` with the most paragraph text; else `<main>`, `[role=main]`
//!    or `[itemprop=articleBody]` with the most; else Readability scoring: every paragraph
//!    (`p`, `pre`, `td`, or a `div`/`section` with no block children) of 25+ chars outside
//!    chrome scores 1 + commas + min(chars/100, 3), given in full to its parent, half to its
//!    grandparent and 1/(3·level) up to 5 levels; candidates start from their tag (div +5,
//!    lists -3, headings -5) and class (content word +25, chrome word -25) and the total is
//!    scaled by 1 − link density. The best one is taken with those of its siblings that score
//!    at least max(10, 20% of it) or are long paragraphs with few links. A container with less
//!    than 140 chars of text is skipped; with none left the whole `<body>` minus chrome is used.
//!    If that still yields under 140 chars, the page is read again ignoring class/id words (a
//!    layout wrapper called `page-sidebar-layout` must not eat the article).
//! 4. **Inside the container**, link lists are dropped (`link list`): lists with link density
//!    above 0.5, `div`/`section`/`table` above 0.5 and shorter than 1000 chars, paragraphs above
//!    0.8 and shorter than 150 chars (not when they hold the `<h1>`), and so are short blocks
//!    holding a `rel=author`/`itemprop=author` link or an `<address>` (`byline`).
//! 5. Everything outside the container is reported too: chrome with its own reason, the rest as
//!    `outside main content` (one entry per subtree that holds no chrome).
//!
//! # Text
//! One block per paragraph, heading, list item, table cell, blockquote, caption...; blocks are
//! joined with a blank line. Whitespace inside a block (including no-break spaces) collapses to
//! one space; one `<br>` is a `\n`, two or more in a row end the paragraph. Soft hyphens and
//! zero-width spaces are removed. [`Dropped::text`] is the visible text of the dropped element,
//! cut to 200 chars; elements without visible text (scripts, styles, empty ad slots) are never
//! listed.
//!
//! # Metadata
//! Filled only from the page: `title` from `og:title`, `twitter:title`, JSON-LD `headline`, the
//! first `<h1>` of the content, `<title>` (kept whole, site suffix included); `date` from
//! `article:published_time`, JSON-LD `datePublished`, the first `<time datetime>` of the
//! content, `<meta name=date|pubdate|publishdate|dc.date|dc.date.issued>` (kept as written);
//! `url` from `og:url`, `<link rel=canonical>`, JSON-LD `url`; `author` from `<meta
//! name=author>`, `article:author` unless it is a URL, JSON-LD `author` (names joined with
//! ", ", `{"@id": ...}` references resolved), the text of the first `[rel=author]`. JSON-LD
//! objects come from every `application/ld+json` script (top-level arrays, `@graph` and
//! `mainEntity` are looked into; invalid JSON is ignored); objects typed `*Article*` or
//! `BlogPosting` are read first, then `*Page` objects, others never.

use std::borrow::Cow;
use std::collections::HashMap;

use scraper::node::Element;
use scraper::{Html, Node};
use serde_json::{Map, Value};

/// What came out of a web page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The article text: one block (paragraph, heading, list item, blockquote, table cell...)
    /// per paragraph, paragraphs separated by a blank line ("\n\n"), whitespace inside a
    /// block collapsed to single spaces, entities decoded, trimmed. `<br>` inside a block is a
    /// single "\n".
    pub text: String,
    /// The headline (see the module documentation for the sources, in order).
    pub title: Option<String>,
    /// The publication date, as written in the page (not parsed).
    pub date: Option<String>,
    /// The canonical address of the article.
    pub url: Option<String>,
    /// The author or authors (several joined with ", ").
    pub author: Option<String>,
    /// What was left out and why, in document order, for a report users can audit.
    pub dropped: Vec<Dropped>,
}

/// One element left out of [`Extracted::text`].
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// Short machine-friendly reason, e.g. "script", "style", "nav", "aside", "form", "footer",
    /// "header", "comments", "share", "related", "newsletter", "outside main content",
    /// "link list" (high link density).
    pub reason: String,
    /// The dropped element's visible text, whitespace collapsed, cut to at most 200 chars
    /// (on a char boundary, with "..." when cut). Elements with no visible text (scripts,
    /// styles) are not listed at all.
    pub text: String,
}

/// Containers with less text than this are not taken as the article.
const MIN_CONTENT_CHARS: usize = 140;
/// [`Dropped::text`] is cut to this many chars.
const DROPPED_TEXT_MAX: usize = 200;
/// Block containers nested deeper than this are flattened before parsing.
const MAX_NESTING: usize = 256;
const OUTSIDE: &str = "outside main content";
const LINK_LIST: &str = "link list";
const NONE: usize = usize::MAX;

/// Extracts the main content and metadata. Never panics, whatever the input (empty, binary
/// garbage, unclosed tags, megabytes).
pub fn extract(html: &str) -> Extracted {
    // Belt and braces: the extraction itself has no known panic, but it runs a third-party
    // parser over arbitrary input.
    std::panic::catch_unwind(|| extract_inner(html)).unwrap_or_default()
}

/// Whether a text field looks like HTML rather than plain text: e.g. starts (after whitespace/BOM)
/// with `<!doctype html` or `<html`, or contains several (>= 3) block tags like <p>, </p>, <div,
/// <br, <article ... case-insensitively. Plain text that merely mentions "<3" or "a < b" is not HTML.
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let b = t.as_bytes();
    let starts = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"<!doctype html") {
        return true;
    }
    if starts(b"<html")
        && b.get(5)
            .is_none_or(|&c| c == b'>' || c.is_ascii_whitespace())
    {
        return true;
    }
    const TAGS: &[&str] = &[
        "p",
        "div",
        "br",
        "hr",
        "article",
        "section",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "body",
        "head",
        "html",
    ];
    let mut found = 0;
    let mut pos = 0;
    while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
        let mut j = pos + off + 1;
        pos = j;
        if b.get(j) == Some(&b'/') {
            j += 1;
        }
        let start = j;
        while j < b.len() && j - start < 12 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let name = &b[start..j];
        let ends_tag = b
            .get(j)
            .is_none_or(|&c| c == b'>' || c == b'/' || c.is_ascii_whitespace());
        if !name.is_empty()
            && ends_tag
            && TAGS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(name))
        {
            found += 1;
            if found >= 3 {
                return true;
            }
        }
    }
    false
}

fn extract_inner(html: &str) -> Extracted {
    let source = limit_nesting(html);
    let doc = Html::parse_document(&source);
    let flat = Flat::new(&doc);
    let meta = Meta::collect(&flat);

    let mut analysis = Analysis::run(&flat, true);
    if analysis.text.chars().count() < MIN_CONTENT_CHARS {
        let retry = Analysis::run(&flat, false);
        let len = retry.text.chars().count();
        if len >= MIN_CONTENT_CHARS && len > analysis.text.chars().count() {
            analysis = retry;
        }
    }

    let title = meta
        .meta(&["og:title"])
        .or_else(|| meta.meta(&["twitter:title"]))
        .or_else(|| meta.ld_string("headline"))
        .or_else(|| analysis.first_h1.clone())
        .or_else(|| meta.title.clone());
    let date = meta
        .meta(&["article:published_time"])
        .or_else(|| meta.ld_string("datePublished"))
        .or_else(|| analysis.first_time.clone())
        .or_else(|| {
            meta.meta(&[
                "date",
                "pubdate",
                "publishdate",
                "dc.date",
                "dc.date.issued",
            ])
        });
    let url = meta
        .meta(&["og:url"])
        .or_else(|| meta.canonical.clone())
        .or_else(|| meta.ld_string("url"));
    let author = meta
        .meta(&["author"])
        .or_else(|| meta.article_author())
        .or_else(|| meta.ld_author())
        .or_else(|| meta.rel_author.clone());

    Extracted {
        text: analysis.text,
        title,
        date,
        url,
        author,
        dropped: analysis.dropped,
    }
}

// ---------------------------------------------------------------------------------------------
// Input guard

// Properties of tag names for the nesting guard.
/// The "special" category of the HTML parsing algorithm.
const K_SPECIAL: u16 = 1;
/// A start tag that closes an open `<p>` in button scope.
const K_CLOSES_P: u16 = 1 << 1;
/// Bounds the default scope (`applet caption html table td th marquee object template`).
const K_SCOPE: u16 = 1 << 2;
/// Bounds table scope (`html table template`).
const K_TABLE_SCOPE: u16 = 1 << 3;
const K_FORMATTING: u16 = 1 << 4;
/// Void, or merged into the document's own element (`html`, `body`...): never on the stack.
const K_NO_CONTENT: u16 = 1 << 5;
/// Read as raw text up to the end tag.
const K_RAW_TEXT: u16 = 1 << 6;
const K_HEADING: u16 = 1 << 7;
/// Table parts: their end tags look in table scope.
const K_TABLE_PART: u16 = 1 << 8;
const K_FOREIGN_ROOT: u16 = 1 << 9;
/// `address`, `div`, `p`: special elements a `<li>` search walks through.
const K_ADP: u16 = 1 << 10;
/// `button`: bounds button scope with [`K_SCOPE`].
const K_BUTTON: u16 = 1 << 11;

fn tag_kind(lower: &[u8]) -> u16 {
    let Ok(name) = std::str::from_utf8(lower) else {
        return 0;
    };
    match name {
        "p" | "div" | "address" => K_SPECIAL | K_CLOSES_P | K_ADP,
        "article" | "aside" | "blockquote" | "center" | "details" | "dialog" | "dir" | "dl"
        | "fieldset" | "figcaption" | "figure" | "footer" | "header" | "hgroup" | "main"
        | "menu" | "nav" | "ol" | "search" | "section" | "summary" | "ul" | "pre" | "listing"
        | "form" | "li" | "dd" | "dt" => K_SPECIAL | K_CLOSES_P,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => K_SPECIAL | K_CLOSES_P | K_HEADING,
        "table" => K_SPECIAL | K_CLOSES_P | K_SCOPE | K_TABLE_SCOPE | K_TABLE_PART,
        "hr" => K_SPECIAL | K_CLOSES_P | K_NO_CONTENT,
        "xmp" | "plaintext" => K_SPECIAL | K_CLOSES_P | K_RAW_TEXT,
        "td" | "th" | "caption" => K_SPECIAL | K_SCOPE | K_TABLE_PART,
        "tr" | "tbody" | "thead" | "tfoot" | "colgroup" => K_SPECIAL | K_TABLE_PART,
        "applet" | "marquee" | "object" => K_SPECIAL | K_SCOPE,
        "template" => K_SPECIAL | K_SCOPE | K_TABLE_SCOPE,
        "html" => K_SPECIAL | K_SCOPE | K_TABLE_SCOPE | K_NO_CONTENT,
        "head" | "body" | "frameset" => K_SPECIAL | K_NO_CONTENT,
        "area" | "base" | "basefont" | "bgsound" | "br" | "col" | "embed" | "frame" | "img"
        | "input" | "keygen" | "link" | "meta" | "param" | "source" | "track" | "wbr" => {
            K_SPECIAL | K_NO_CONTENT
        }
        "image" => K_NO_CONTENT,
        "script" | "style" | "textarea" | "title" | "iframe" | "noembed" | "noframes"
        | "noscript" => K_SPECIAL | K_RAW_TEXT,
        "button" => K_SPECIAL | K_BUTTON,
        "select" => K_SPECIAL,
        "a" | "b" | "big" | "code" | "em" | "font" | "i" | "nobr" | "s" | "small" | "strike"
        | "strong" | "tt" | "u" => K_FORMATTING,
        "svg" | "math" => K_FOREIGN_ROOT,
        _ => 0,
    }
}

/// FNV-1a of the ASCII-lowercased name.
const fn name_hash(name: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < name.len() {
        h = (h ^ name[i].to_ascii_lowercase() as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

// Name hashes the nesting guard looks for.
const H_P: u64 = name_hash(b"p");
const H_LI: u64 = name_hash(b"li");
const H_DT: u64 = name_hash(b"dt");
const H_DD: u64 = name_hash(b"dd");
const H_TD: u64 = name_hash(b"td");
const H_TH: u64 = name_hash(b"th");
const H_TR: u64 = name_hash(b"tr");
const H_TBODY: u64 = name_hash(b"tbody");
const H_THEAD: u64 = name_hash(b"thead");
const H_TFOOT: u64 = name_hash(b"tfoot");
const H_A: u64 = name_hash(b"a");
const H_NOBR: u64 = name_hash(b"nobr");
const H_BUTTON: u64 = name_hash(b"button");
const H_FORM: u64 = name_hash(b"form");
const H_OPTION: u64 = name_hash(b"option");
const H_OPTGROUP: u64 = name_hash(b"optgroup");
const H_HEADINGS: [u64; 6] = [
    name_hash(b"h1"),
    name_hash(b"h2"),
    name_hash(b"h3"),
    name_hash(b"h4"),
    name_hash(b"h5"),
    name_hash(b"h6"),
];

/// The stack of open elements as the nesting guard models it.
#[derive(Default)]
struct OpenStack {
    /// Name hash and kind of each open element, outermost first.
    items: Vec<(u64, u16)>,
    /// How many elements of each name are open.
    counts: HashMap<u64, usize>,
    /// Index of the outermost open svg/math: self-closing tags count inside it.
    foreign: Option<usize>,
}

impl OpenStack {
    fn is_open(&self, hash: u64) -> bool {
        self.counts.get(&hash).is_some_and(|&c| c > 0)
    }

    fn push(&mut self, hash: u64, kind: u16) {
        if kind & K_FOREIGN_ROOT != 0 && self.foreign.is_none() {
            self.foreign = Some(self.items.len());
        }
        self.items.push((hash, kind));
        *self.counts.entry(hash).or_insert(0) += 1;
    }

    fn forget(&mut self, hash: u64) {
        if let Some(c) = self.counts.get_mut(&hash) {
            *c = c.saturating_sub(1);
        }
    }

    /// Pops element `k` and everything above it.
    fn truncate(&mut self, k: usize) {
        while self.items.len() > k {
            if let Some((hash, _)) = self.items.pop() {
                self.forget(hash);
            }
        }
        if self.foreign.is_some_and(|f| f >= k) {
            self.foreign = None;
        }
    }

    /// Closes formatting element `k` as the adoption agency does: alone when a special element
    /// is open above it (that element stays open), with everything above it otherwise.
    fn close_formatting(&mut self, k: usize) {
        if self.items[k + 1..]
            .iter()
            .any(|&(_, kind)| kind & K_SPECIAL != 0)
        {
            let (hash, _) = self.items.remove(k);
            self.forget(hash);
            match self.foreign {
                Some(f) if f == k => self.foreign = None,
                Some(f) if f > k => self.foreign = Some(f - 1),
                _ => {}
            }
        } else {
            self.truncate(k);
        }
    }

    /// The topmost open element accepted by `target`, unless one accepted by `stop` comes
    /// first; `None` right away when no element of the name `hint` is open.
    fn find(
        &self,
        hint: &[u64],
        target: impl Fn(u64, u16) -> bool,
        stop: impl Fn(u16) -> bool,
    ) -> Option<usize> {
        if !hint.iter().any(|&h| self.is_open(h)) {
            return None;
        }
        for k in (0..self.items.len()).rev() {
            let (hash, kind) = self.items[k];
            if target(hash, kind) {
                return Some(k);
            }
            if stop(kind) {
                return None;
            }
        }
        None
    }

    /// Applies the end tags a start tag implies; false when the parser ignores the tag.
    fn start(&mut self, hash: u64, kind: u16) -> bool {
        if kind & K_CLOSES_P != 0
            && let Some(k) = self.find(&[H_P], |x, _| x == H_P, |k| k & (K_SCOPE | K_BUTTON) != 0)
        {
            self.truncate(k);
        }
        let list_stop = |k: u16| k & K_SPECIAL != 0 && k & K_ADP == 0;
        let table_stop = |k: u16| k & K_TABLE_SCOPE != 0;
        let found = if hash == H_LI {
            self.find(&[H_LI], |x, _| x == H_LI, list_stop)
        } else if hash == H_DT || hash == H_DD {
            self.find(&[H_DT, H_DD], |x, _| x == H_DT || x == H_DD, list_stop)
        } else if hash == H_TD || hash == H_TH {
            self.find(
                &[H_TD, H_TH],
                |x, _| x == H_TD || x == H_TH,
                |k| table_stop(k) || k & K_TABLE_PART != 0 && k & K_SCOPE == 0,
            )
        } else if hash == H_TR {
            self.find(&[H_TR], |x, _| x == H_TR, table_stop)
        } else if hash == H_TBODY || hash == H_THEAD || hash == H_TFOOT {
            self.find(
                &[H_TBODY, H_THEAD, H_TFOOT],
                |x, _| x == H_TBODY || x == H_THEAD || x == H_TFOOT,
                table_stop,
            )
        } else if hash == H_BUTTON {
            self.find(&[H_BUTTON], |x, _| x == H_BUTTON, |k| k & K_SCOPE != 0)
        } else if hash == H_FORM && self.is_open(H_FORM) {
            return false;
        } else if hash == H_A || hash == H_NOBR {
            if let Some(k) = self.find(&[hash], |x, _| x == hash, |k| k & K_SCOPE != 0) {
                self.close_formatting(k);
            }
            None
        } else if kind & K_HEADING != 0 {
            self.items
                .len()
                .checked_sub(1)
                .filter(|&k| self.items[k].1 & K_HEADING != 0)
        } else if hash == H_OPTION || hash == H_OPTGROUP {
            self.items.len().checked_sub(1).filter(|&k| {
                self.items[k].0 == H_OPTION || (hash == H_OPTGROUP && self.items[k].0 == H_OPTGROUP)
            })
        } else {
            None
        };
        if let Some(k) = found {
            self.truncate(k);
        }
        true
    }

    /// Applies an end tag; false when no open element matches it.
    fn end(&mut self, hash: u64, kind: u16) -> bool {
        let found = if kind & K_FORMATTING != 0 {
            if let Some(k) = self.find(&[hash], |x, _| x == hash, |k| k & K_SCOPE != 0) {
                self.close_formatting(k);
                return true;
            }
            None
        } else if kind & K_HEADING != 0 {
            self.find(&H_HEADINGS, |_, k| k & K_HEADING != 0, |k| k & K_SCOPE != 0)
        } else if kind & K_TABLE_PART != 0 {
            self.find(&[hash], |x, _| x == hash, |k| k & K_TABLE_SCOPE != 0)
        } else if kind & K_SPECIAL != 0 {
            self.find(&[hash], |x, _| x == hash, |k| k & K_SCOPE != 0)
        } else {
            // Any other end tag: closes up to the matching element unless a special element
            // is open above it.
            self.find(&[hash], |x, _| x == hash, |k| k & K_SPECIAL != 0)
        };
        match found {
            Some(k) => {
                self.truncate(k);
                true
            }
            None => false,
        }
    }
}

/// Keeps the tree html5ever builds at most [`MAX_NESTING`] elements deep. The parser spends
/// time proportional to the depth on every block start tag, so a page of 100 000 nested
/// elements would take minutes. A linear scan models the parser's stack of open elements
/// (implied end tags of `p`, `li`, `dt`/`dd`, table parts, `a`, `button`, `option` and
/// headings; end tags closing up to their element within its scope; formatting elements closed
/// as by the adoption agency; void elements, raw text and self-closing foreign elements), and
/// removes the start tags that would go deeper, with as many of the unmatched end tags that
/// follow. The text is kept. Pages nested less deeply (all real ones) are returned untouched.
fn limit_nesting(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut stack = OpenStack::default();
    // Removed start tags not yet matched by a removed end tag, by name hash.
    let mut excess: HashMap<u64, usize> = HashMap::new();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut pos = 0usize;
    while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
        let lt = pos + off;
        pos = lt + 1;
        if b[pos..].starts_with(b"!--") {
            match memchr::memmem::find(&b[pos + 3..], b"-->") {
                Some(k) => pos += 3 + k + 3,
                None => break,
            }
            continue;
        }
        let closing = b.get(pos) == Some(&b'/');
        let start = if closing { pos + 1 } else { pos };
        if !b.get(start).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut name_end = start;
        while name_end < b.len()
            && !matches!(b[name_end], b'>' | b'/')
            && !b[name_end].is_ascii_whitespace()
        {
            name_end += 1;
        }
        let name = &b[start..name_end];
        let end = tag_end(b, name_end);
        let hash = name_hash(name);
        let kind = if name.len() <= 16 {
            let mut lower = [0u8; 16];
            lower[..name.len()].copy_from_slice(name);
            lower.make_ascii_lowercase();
            tag_kind(&lower[..name.len()])
        } else {
            0
        };
        let in_foreign = stack.foreign.is_some();
        let mut remove = false;
        if closing {
            if !stack.end(hash, kind)
                && let Some(c) = excess.get_mut(&hash)
                && *c > 0
            {
                *c -= 1;
                remove = true;
            }
        } else if kind & K_RAW_TEXT != 0 && !in_foreign {
            if name.eq_ignore_ascii_case(b"plaintext") {
                break;
            }
            match find_end_tag(b, end, name) {
                Some(k) => pos = k,
                None => break,
            }
            continue;
        } else if kind & K_NO_CONTENT != 0
            || ((in_foreign || kind & K_FOREIGN_ROOT != 0) && b[..end].ends_with(b"/>"))
        {
            // never open
        } else if stack.start(hash, kind) {
            if stack.items.len() >= MAX_NESTING {
                remove = true;
                *excess.entry(hash).or_insert(0) += 1;
            } else {
                stack.push(hash, kind);
            }
        }
        if remove {
            let s = out.get_or_insert_with(|| String::with_capacity(html.len()));
            s.push_str(&html[copied..lt]);
            copied = end;
        }
        pos = end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut s) => {
            s.push_str(&html[copied..]);
            Cow::Owned(s)
        }
    }
}

/// The index just past the `>` closing a tag whose name ends at `from` (quotes respected when
/// they are closed), or the end of the input.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = 0u8;
    for (k, &c) in b.iter().enumerate().skip(from) {
        match c {
            b'"' | b'\'' if quote == 0 => quote = c,
            _ if c == quote => quote = 0,
            b'>' if quote == 0 => return k + 1,
            _ => {}
        }
    }
    // An unclosed quote: fall back to the first `>`.
    memchr::memchr(b'>', &b[from..]).map_or(b.len(), |k| from + k + 1)
}

/// The index of the `<` of the first `</name` at or after `from`, case-insensitively.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut pos = from;
    while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
        let lt = pos + off;
        let rest = &b[lt + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return Some(lt);
        }
        pos = lt + 1;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The flattened tree

/// The document in preorder: node `i`'s subtree is `i..end[i]`, its parent `parent[i]`.
struct Flat<'a> {
    nodes: Vec<&'a Node>,
    parent: Vec<usize>,
    end: Vec<usize>,
    /// Lowercase local name of HTML elements; `svg`/`math` for those roots, `#foreign` for other
    /// non-HTML elements, "" for non-elements.
    tags: Vec<&'a str>,
}

impl<'a> Flat<'a> {
    fn new(doc: &'a Html) -> Self {
        let mut nodes = Vec::new();
        let mut parent = Vec::new();
        let mut open = Vec::new();
        // `descendants` is ego_tree's iterative preorder walk.
        for node in doc.tree.root().descendants() {
            let up = node.parent().map(|p| p.id());
            while let Some(&(id, _)) = open.last() {
                if Some(id) == up {
                    break;
                }
                open.pop();
            }
            parent.push(open.last().map_or(NONE, |&(_, i)| i));
            open.push((node.id(), nodes.len()));
            nodes.push(node.value());
        }
        let n = nodes.len();
        let mut end: Vec<usize> = (1..=n).collect();
        for i in (1..n).rev() {
            let p = parent[i];
            if p != NONE && end[p] < end[i] {
                end[p] = end[i];
            }
        }
        let tags = nodes
            .iter()
            .map(|node| match node {
                Node::Element(e) => {
                    let local: &str = &e.name.local;
                    let html = &*e.name.ns == "http://www.w3.org/1999/xhtml";
                    if html || local == "svg" || local == "math" {
                        local
                    } else {
                        "#foreign"
                    }
                }
                _ => "",
            })
            .collect();
        Flat {
            nodes,
            parent,
            end,
            tags,
        }
    }

    fn len(&self) -> usize {
        self.nodes.len()
    }

    fn el(&self, i: usize) -> Option<&'a Element> {
        self.nodes[i].as_element()
    }

    fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        self.el(i)?
            .attrs()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The element children of `i`, in order.
    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let stop = self.end[i];
        let mut c = i + 1;
        std::iter::from_fn(move || {
            while c < stop {
                let here = c;
                c = self.end[c];
                if self.nodes[here].is_element() {
                    return Some(here);
                }
            }
            None
        })
    }

    /// The first `<body>` (or the document root when there is none).
    fn body(&self) -> usize {
        (0..self.len())
            .find(|&i| self.tags[i] == "body")
            .unwrap_or(0)
    }

    /// The visible text of `i`'s subtree: raw-text and embedded elements skipped, block
    /// boundaries as spaces, whitespace collapsed, cut to `max` chars.
    fn visible_text(&self, i: usize, max: usize) -> String {
        self.visible_text_except(i, max, &|_| false)
    }

    /// [`Flat::visible_text`] also skipping the subtrees of the elements `skip` accepts.
    fn visible_text_except(&self, i: usize, max: usize, skip: &dyn Fn(usize) -> bool) -> String {
        let mut out = Collapse::default();
        let mut closes: Vec<usize> = Vec::new();
        let mut j = i;
        let stop = self.end[i];
        while j < stop && out.chars <= max {
            while closes.last().is_some_and(|&e| e <= j) {
                closes.pop();
                out.space();
            }
            match self.nodes[j] {
                Node::Text(t) => out.push(t),
                Node::Element(_) => {
                    let tag = self.tags[j];
                    if is_raw(tag) || (j != i && skip(j)) {
                        j = self.end[j];
                        continue;
                    }
                    if is_block(tag) || tag == "br" {
                        out.space();
                        closes.push(self.end[j]);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        cut(&out.text, max)
    }
}

/// Appends text collapsing whitespace, counting chars.
#[derive(Default)]
struct Collapse {
    text: String,
    chars: usize,
    pending: bool,
}

impl Collapse {
    fn push(&mut self, s: &str) {
        for c in s.chars() {
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                self.pending = true;
                continue;
            }
            if self.pending && !self.text.is_empty() {
                self.text.push(' ');
                self.chars += 1;
            }
            self.pending = false;
            self.text.push(c);
            self.chars += 1;
        }
    }

    fn space(&mut self) {
        self.pending = true;
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{feff}')
}

/// Collapses whitespace and trims; `None` when nothing is left.
fn clean(s: &str) -> Option<String> {
    let mut c = Collapse::default();
    c.push(s);
    (!c.text.is_empty()).then_some(c.text)
}

/// Cuts to at most `max` chars, ending with "..." when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(3)).collect();
    out.truncate(out.trim_end().len());
    out.push_str("...");
    out
}

/// Collapsed length and commas of a text node.
fn text_stats(s: &str) -> (usize, usize) {
    let mut chars = 0;
    let mut commas = 0;
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() {
            gap = chars > 0;
        } else if !is_invisible(c) {
            if gap {
                chars += 1;
                gap = false;
            }
            chars += 1;
            if c == ',' {
                commas += 1;
            }
        }
    }
    (chars, commas)
}

fn is_raw(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "head"
            | "svg"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "img"
            | "picture"
            | "source"
            | "noembed"
            | "noframes"
            | "xmp"
    )
}

/// Elements that start and end a block of text.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "option"
            | "p"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "math"
    ) || tag.contains('-')
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

// ---------------------------------------------------------------------------------------------
// Chrome detection

/// The judgement on one element, from its own tag and attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Keep,
    /// No visible text: skipped, never listed.
    Raw,
    /// Chrome by tag, ARIA role or hidden attribute.
    Tag(&'static str),
    /// Chrome by class, id or aria-label words.
    Class(&'static str),
}

impl Verdict {
    fn is_chrome(self) -> bool {
        matches!(self, Verdict::Tag(_) | Verdict::Class(_))
    }
}

fn tag_reason(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "form" => "form",
        "button" => "button",
        "select" => "select",
        "textarea" => "textarea",
        "input" => "input",
        "nav" => "nav",
        "menu" => "nav",
        "aside" => "aside",
        "footer" => "footer",
        "header" => "header",
        "dialog" => "popup",
        _ => return None,
    })
}

fn role_reason(role: &str) -> Option<&'static str> {
    role.split_ascii_whitespace()
        .find_map(|r| match r.to_ascii_lowercase().as_str() {
            "navigation" | "menu" | "menubar" => Some("nav"),
            "complementary" => Some("aside"),
            "banner" => Some("header"),
            "contentinfo" => Some("footer"),
            "search" => Some("form"),
            "dialog" | "alertdialog" => Some("popup"),
            _ => None,
        })
}

/// Words that say "this is the content".
fn is_likely(word: &str) -> bool {
    matches!(
        word,
        "article" | "content" | "body" | "main" | "story" | "entry"
    )
}

/// The chrome category of one word of a class/id.
fn word_category(w: &str) -> Option<&'static str> {
    let exact = match w {
        "comment" | "comments" | "disqus" | "replies" | "respond" => "comments",
        "share" | "shares" | "sharing" | "social" | "socials" | "addthis" | "sharethis" => "share",
        "newsletter" | "newsletters" | "subscribe" | "subscription" | "signup" | "optin"
        | "mailinglist" => "newsletter",
        "related" | "recommended" | "recommendation" | "recommendations" | "recirc"
        | "recirculation" | "morestories" | "readmore" | "teaser" | "teasers" | "outbrain"
        | "taboola" | "trending" | "popular" | "mostread" | "mostpopular" => "related",
        "promo" | "promos" | "promotion" | "promoted" | "advert" | "adverts" | "advertisement"
        | "advertising" | "ad" | "ads" | "adslot" | "adunit" | "adsense" | "sponsor"
        | "sponsored" | "sponsors" | "dfp" => "promo",
        "sidebar" | "rail" | "widget" | "widgets" => "sidebar",
        "menu" | "menus" | "nav" | "navbar" | "navigation" | "breadcrumb" | "breadcrumbs"
        | "pagination" | "pager" | "toolbar" => "nav",
        "cookie" | "cookies" | "consent" | "gdpr" | "cmp" => "cookie",
        "footer" => "footer",
        "header" | "masthead" | "topbar" => "header",
        "popup" | "modal" | "overlay" | "lightbox" | "interstitial" => "popup",
        "paywall" => "paywall",
        "byline" | "bylines" | "author" | "authors" => "byline",
        _ => "",
    };
    if !exact.is_empty() {
        return Some(exact);
    }
    // Compounds written without a separator: `commentlist`, `sharebar`, `topnav`...
    if (w.starts_with("comment") && !w.starts_with("commentar") && !w.starts_with("commentat"))
        || w.ends_with("comments")
    {
        return Some("comments");
    }
    const PREFIXES: &[(&str, &str)] = &[
        ("newsletter", "newsletter"),
        ("subscri", "newsletter"),
        ("cookie", "cookie"),
        ("sidebar", "sidebar"),
        ("breadcrumb", "nav"),
        ("navbar", "nav"),
        ("advert", "promo"),
        ("sponsor", "promo"),
        ("social", "share"),
        ("sharebar", "share"),
        ("sharebutton", "share"),
        ("sharetool", "share"),
        ("recommend", "related"),
        ("related", "related"),
        ("popup", "popup"),
        ("footer", "footer"),
    ];
    const SUFFIXES: &[(&str, &str)] = &[
        ("nav", "nav"),
        ("menu", "nav"),
        ("sidebar", "sidebar"),
        ("footer", "footer"),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| w.starts_with(p))
        .or_else(|| SUFFIXES.iter().find(|(s, _)| w.ends_with(s)))
        .map(|&(_, c)| c)
}

/// The chrome category of two consecutive words (`read-more`, `sign-up`, `sr-only`...).
fn pair_category(a: &str, b: &str) -> Option<&'static str> {
    Some(match (a, b) {
        ("more", "stories")
        | ("read", "more")
        | ("most", "read")
        | ("most", "popular")
        | ("also", "read")
        | ("you", "may") => "related",
        ("sign", "up") => "newsletter",
        ("sr", "only") | ("visually", "hidden") | ("screen", "reader") => "hidden",
        _ => return None,
    })
}

/// Splits a class token into lowercase words on non-alphanumerics and camelCase humps.
fn split_words(token: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in token.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// One class/id token: its chrome category, and whether it is purely about content.
fn classify_token(token: &str) -> (Option<&'static str>, bool) {
    let lower = token.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "hidden" | "is-hidden" | "visuallyhidden" | "screen-reader-text" | "offscreen"
    ) {
        return (Some("hidden"), false);
    }
    let words = split_words(token);
    if words
        .first()
        .is_none_or(|w| matches!(w.as_str(), "has" | "with" | "no" | "without"))
    {
        return (None, false);
    }
    let likely = words.iter().any(|w| is_likely(w));
    let mut category = None;
    for (k, w) in words.iter().enumerate() {
        category =
            word_category(w).or_else(|| words.get(k + 1).and_then(|next| pair_category(w, next)));
        if category.is_some() {
            break;
        }
    }
    match category {
        Some("header" | "footer") if likely => (None, false),
        Some(c) => (Some(c), false),
        None => (None, likely),
    }
}

/// What the class, id and aria-label of an element say: its chrome category (if chrome), and
/// the Readability class weight (+25 content word, -25 chrome word).
fn class_judgement(e: &Element) -> (Option<&'static str>, i32) {
    let mut first = None;
    let mut comments = false;
    let mut likely = false;
    let mut veto = false;
    for (k, v) in e.attrs() {
        let tokens: Vec<&str> = match k {
            "class" => v.split_ascii_whitespace().collect(),
            "id" | "aria-label" => vec![v],
            "itemprop" => {
                veto |= v.split_ascii_whitespace().any(|t| t == "articleBody");
                continue;
            }
            "role" => {
                veto |= v.eq_ignore_ascii_case("main");
                continue;
            }
            _ => continue,
        };
        for t in tokens {
            let (category, pure) = classify_token(t);
            likely |= pure;
            comments |= category == Some("comments");
            if first.is_none() {
                first = category;
            }
        }
    }
    let mut weight = 0;
    if likely {
        weight += 25;
    }
    if first.is_some() {
        weight -= 25;
    }
    let category = if veto {
        None
    } else if comments {
        Some("comments")
    } else if likely {
        None
    } else {
        first
    };
    (category, weight)
}

fn is_hidden(e: &Element) -> bool {
    e.attrs().any(|(k, v)| match k {
        "hidden" => true,
        "aria-hidden" => v.trim().eq_ignore_ascii_case("true"),
        "style" => {
            let s: String = v
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        }
        _ => false,
    })
}

// ---------------------------------------------------------------------------------------------
// Analysis

const F_BLOCK_DESC: u8 = 1;
const F_HEADING_OR_P: u8 = 2;
const F_AUTHOR: u8 = 4;
const F_H1: u8 = 8;
const F_CHROME_DESC: u8 = 16;

const OUT: u8 = 0;
const PATH: u8 = 1;
const IN: u8 = 2;

/// Per-node facts, in the arrays of [`Flat`]'s order.
struct Facts<'f, 'a> {
    f: &'f Flat<'a>,
    body: usize,
    use_classes: bool,
    verdict: Vec<Verdict>,
    blocked: Vec<bool>,
    flags: Vec<u8>,
    /// Visible chars (raw elements excluded), chrome included.
    visible: Vec<usize>,
    /// Chars, link chars, paragraph chars and commas of text outside chrome.
    chars: Vec<usize>,
    link: Vec<usize>,
    para: Vec<usize>,
    commas: Vec<usize>,
    weight: Vec<i32>,
}

impl<'f, 'a> Facts<'f, 'a> {
    fn new(f: &'f Flat<'a>, use_classes: bool) -> Self {
        let n = f.len();
        let body = f.body();
        // Bottom-up: visible text, paragraph counts, structural flags.
        let mut visible = vec![0usize; n];
        let mut p_count = vec![0usize; n];
        let mut flags = vec![0u8; n];
        for i in (0..n).rev() {
            let tag = f.tags[i];
            match f.nodes[i] {
                Node::Text(t) => visible[i] = text_stats(t).0,
                Node::Element(e) => {
                    if is_raw(tag) {
                        visible[i] = 0;
                        p_count[i] = 0;
                        flags[i] = 0;
                    } else {
                        if tag == "p" && visible[i] > 0 {
                            p_count[i] += 1;
                        }
                        if is_heading(tag) || tag == "p" {
                            flags[i] |= F_HEADING_OR_P;
                        }
                        if tag == "h1" {
                            flags[i] |= F_H1;
                        }
                        let author = tag == "address"
                            || e.attrs().any(|(k, v)| {
                                (k == "rel" || k == "itemprop")
                                    && v.split_ascii_whitespace()
                                        .any(|t| t.eq_ignore_ascii_case("author"))
                            });
                        if author {
                            flags[i] |= F_AUTHOR;
                        }
                    }
                }
                _ => {}
            }
            let p = f.parent[i];
            if p != NONE {
                visible[p] += visible[i];
                p_count[p] += p_count[i];
                flags[p] |= flags[i] & (F_HEADING_OR_P | F_AUTHOR | F_H1);
                if is_block(tag) && !is_raw(tag) {
                    flags[p] |= F_BLOCK_DESC;
                }
            }
        }
        // Top-down: verdicts, blocking, links, paragraphs.
        let mut verdict = vec![Verdict::Keep; n];
        let mut weight = vec![0i32; n];
        let mut blocked = vec![false; n];
        let mut in_link = vec![false; n];
        let mut in_para = vec![false; n];
        // Inside a heading, `pre` or `code`: never chrome by class.
        let mut in_heading = vec![false; n];
        for i in 0..n {
            let p = f.parent[i];
            let (pb, pl, pp) = if p == NONE {
                (false, false, false)
            } else {
                (blocked[p], in_link[p], in_para[p])
            };
            if p != NONE {
                in_heading[i] =
                    in_heading[p] || is_heading(f.tags[p]) || matches!(f.tags[p], "pre" | "code");
            }
            if let Some(e) = f.el(i) {
                let tag = f.tags[i];
                let (v, w) = judge(e, tag, use_classes, in_heading[i], p_count[i]);
                verdict[i] = v;
                weight[i] = w;
                in_link[i] = pl || tag == "a";
                in_para[i] = pp
                    || matches!(tag, "p" | "pre" | "td")
                    || (matches!(tag, "div" | "section") && flags[i] & F_BLOCK_DESC == 0);
            } else {
                in_link[i] = pl;
                in_para[i] = pp;
            }
            blocked[i] = pb || verdict[i] != Verdict::Keep;
        }
        // Bottom-up: text outside chrome.
        let mut chars = vec![0usize; n];
        let mut link = vec![0usize; n];
        let mut para = vec![0usize; n];
        let mut commas = vec![0usize; n];
        for i in (0..n).rev() {
            if let Node::Text(t) = f.nodes[i]
                && !blocked[i]
            {
                let (c, k) = text_stats(t);
                chars[i] = c;
                commas[i] = k;
                if in_link[i] {
                    link[i] = c;
                }
                if in_para[i] {
                    para[i] = c;
                }
            }
            let p = f.parent[i];
            if p != NONE {
                chars[p] += chars[i];
                link[p] += link[i];
                para[p] += para[i];
                commas[p] += commas[i];
                if flags[i] & F_CHROME_DESC != 0 || (verdict[i].is_chrome() && visible[i] > 0) {
                    flags[p] |= F_CHROME_DESC;
                }
            }
        }
        Facts {
            f,
            body,
            use_classes,
            verdict,
            blocked,
            flags,
            visible,
            chars,
            link,
            para,
            commas,
            weight,
        }
    }

    fn link_density(&self, i: usize) -> f64 {
        if self.chars[i] == 0 {
            0.0
        } else {
            self.link[i] as f64 / self.chars[i] as f64
        }
    }

    /// The article container(s), in document order; `[body]` for the whole page.
    fn containers(&self) -> Vec<usize> {
        let f = self.f;
        let range = self.body..f.end[self.body];
        let best_by_para = |pick: &dyn Fn(usize) -> bool| {
            let mut best: Option<usize> = None;
            for i in range.clone() {
                if pick(i) && !self.blocked[i] && best.is_none_or(|b| self.para[i] > self.para[b]) {
                    best = Some(i);
                }
            }
            best.filter(|&b| self.chars[b] >= MIN_CONTENT_CHARS)
        };
        if let Some(a) = best_by_para(&|i| f.tags[i] == "article") {
            return vec![a];
        }
        let main_like = |i: usize| {
            f.tags[i] == "main"
                || f.attr(i, "role")
                    .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
                || f.attr(i, "itemprop")
                    .is_some_and(|p| p.split_ascii_whitespace().any(|t| t == "articleBody"))
        };
        if let Some(m) = best_by_para(&main_like) {
            return vec![m];
        }
        self.scored().unwrap_or_else(|| vec![self.body])
    }

    /// Readability scoring (see the module documentation).
    fn scored(&self) -> Option<Vec<usize>> {
        let f = self.f;
        let body = self.body;
        let mut score: Vec<Option<f64>> = vec![None; f.len()];
        let initial = |i: usize| -> f64 {
            let base = match f.tags[i] {
                "div" => 5.0,
                "pre" | "td" | "blockquote" => 3.0,
                "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                _ => 0.0,
            };
            base + if self.use_classes {
                f64::from(self.weight[i])
            } else {
                0.0
            }
        };
        let mut i = body;
        while i < f.end[body] {
            if self.blocked[i] {
                i = f.end[i];
                continue;
            }
            let tag = f.tags[i];
            let para_like = matches!(tag, "p" | "pre" | "td")
                || (matches!(tag, "div" | "section") && self.flags[i] & F_BLOCK_DESC == 0);
            if para_like && self.chars[i] >= 25 {
                let s = 1.0 + self.commas[i] as f64 + (self.chars[i] as f64 / 100.0).min(3.0);
                let mut anc = f.parent[i];
                let mut level = 0usize;
                while anc != NONE && anc >= body && level < 5 {
                    let divider = match level {
                        0 => 1.0,
                        1 => 2.0,
                        l => l as f64 * 3.0,
                    };
                    *score[anc].get_or_insert_with(|| initial(anc)) += s / divider;
                    level += 1;
                    anc = f.parent[anc];
                }
            }
            i += 1;
        }
        let finals = |c: usize| score[c].map(|s| s * (1.0 - self.link_density(c)));
        let mut top: Option<(usize, f64)> = None;
        for c in body..f.end[body] {
            if let Some(s) = finals(c)
                && top.is_none_or(|(_, t)| s > t)
            {
                top = Some((c, s));
            }
        }
        let (top, top_score) = top?;
        if top == body || self.chars[top] < MIN_CONTENT_CHARS {
            return None;
        }
        let parent = f.parent[top];
        if parent == NONE {
            return Some(vec![top]);
        }
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = f.attr(top, "class").unwrap_or("");
        let mut out = Vec::new();
        for c in f.children(parent) {
            if c == top {
                out.push(c);
                continue;
            }
            if self.blocked[c] {
                continue;
            }
            let mut s = finals(c).unwrap_or(0.0);
            if !top_class.is_empty() && f.attr(c, "class") == Some(top_class) {
                s += top_score * 0.2;
            }
            let ld = self.link_density(c);
            let long_paragraph = f.tags[c] == "p" && self.chars[c] > 80 && ld < 0.25;
            if s >= threshold || long_paragraph {
                out.push(c);
            }
        }
        Some(out)
    }
}

/// The verdict and class weight of one element from its own tag and attributes.
fn judge(
    e: &Element,
    tag: &str,
    use_classes: bool,
    in_heading: bool,
    paragraphs: usize,
) -> (Verdict, i32) {
    if is_raw(tag) {
        return (Verdict::Raw, 0);
    }
    let (category, weight) = class_judgement(e);
    if matches!(tag, "html" | "body") {
        return (Verdict::Keep, weight);
    }
    // Nothing inside a heading or code is chrome (`<h2><a class="header">`, `<span
    // class="comment">` in highlighted code), and header/footer words only mark blocks.
    if use_classes
        && !in_heading
        && let Some(c) = category
        && (is_block(tag) || !matches!(c, "header" | "footer"))
    {
        return (Verdict::Class(c), weight);
    }
    if let Some(r) = tag_reason(tag) {
        // ASP.NET-style pages wrap everything in one <form>.
        if tag != "form" || paragraphs < 4 {
            return (Verdict::Tag(r), weight);
        }
    }
    if let Some(r) = e
        .attrs()
        .find(|(k, _)| *k == "role")
        .and_then(|(_, v)| role_reason(v))
    {
        return (Verdict::Tag(r), weight);
    }
    if is_hidden(e) {
        return (Verdict::Tag("hidden"), weight);
    }
    (Verdict::Keep, weight)
}

/// One pass of extraction over a parsed page.
struct Analysis {
    text: String,
    dropped: Vec<Dropped>,
    first_h1: Option<String>,
    first_time: Option<String>,
}

impl Analysis {
    fn run(f: &Flat<'_>, use_classes: bool) -> Analysis {
        let facts = Facts::new(f, use_classes);
        let containers = facts.containers();
        let body = facts.body;
        let whole = containers == [body];
        let mut region = vec![if whole { IN } else { OUT }; f.len()];
        if !whole {
            for &c in &containers {
                region[c..f.end[c]].fill(IN);
                let mut a = f.parent[c];
                while a != NONE && a >= body && region[a] != PATH {
                    region[a] = PATH;
                    a = f.parent[a];
                }
            }
        }
        let first_time = containers.iter().find_map(|&c| {
            let mut i = c;
            while i < f.end[c] {
                if whole && facts.blocked[i] {
                    i = f.end[i];
                    continue;
                }
                if f.tags[i] == "time"
                    && let Some(d) = f.attr(i, "datetime").and_then(clean)
                {
                    return Some(d);
                }
                i += 1;
            }
            None
        });
        let mut walk = Walk {
            facts: &facts,
            region,
            whole,
            inside: Sink::default(),
            outside: Sink::default(),
            dropped: Vec::new(),
            first_h1: None,
        };
        walk.run();
        Analysis {
            text: walk.inside.blocks.join("\n\n"),
            dropped: walk.dropped,
            first_h1: walk.first_h1,
            first_time,
        }
    }
}

/// Collects blocks of text.
#[derive(Default)]
struct Sink {
    blocks: Vec<String>,
    cur: String,
    space: bool,
    brs: u32,
}

impl Sink {
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if self.brs >= 2 {
                self.flush();
            } else if self.brs == 1 {
                if !self.cur.is_empty() {
                    self.cur.push('\n');
                }
            } else if self.space && !self.cur.is_empty() {
                self.cur.push(' ');
            }
            self.brs = 0;
            self.space = false;
            self.cur.push(c);
        }
    }

    fn br(&mut self) {
        if !self.cur.is_empty() {
            self.brs += 1;
        }
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            self.blocks.push(std::mem::take(&mut self.cur));
        }
        self.space = false;
        self.brs = 0;
    }
}

/// The document-order walk producing the text and the dropped list.
struct Walk<'x, 'f, 'a> {
    facts: &'x Facts<'f, 'a>,
    region: Vec<u8>,
    whole: bool,
    inside: Sink,
    outside: Sink,
    dropped: Vec<Dropped>,
    first_h1: Option<String>,
}

impl Walk<'_, '_, '_> {
    fn run(&mut self) {
        let facts = self.facts;
        let f = facts.f;
        let body = facts.body;
        let stop = f.end[body];
        let mut closes: Vec<usize> = Vec::new();
        // Inside an in-content <header>: its end, and the end of the heading or paragraph in it
        // being walked (whose content is kept whole).
        let mut header_end = 0usize;
        let mut header_safe_end = 0usize;
        let mut i = body + 1;
        while i < stop {
            while closes.last().is_some_and(|&e| e <= i) {
                closes.pop();
                self.breaks();
            }
            let region = self.region[i];
            match f.nodes[i] {
                Node::Text(t) => {
                    if region == IN {
                        self.inside.text(t);
                    } else {
                        self.outside.text(t);
                    }
                    i += 1;
                    continue;
                }
                Node::Element(_) => {}
                _ => {
                    i += 1;
                    continue;
                }
            }
            let tag = f.tags[i];
            let verdict = facts.verdict[i];
            let is_root = region == IN && (f.parent[i] == NONE || self.region[f.parent[i]] != IN);
            if region == OUT {
                match verdict {
                    Verdict::Raw => {
                        i = f.end[i];
                        continue;
                    }
                    Verdict::Tag(r) | Verdict::Class(r) => {
                        self.record(i, r);
                        i = f.end[i];
                        continue;
                    }
                    Verdict::Keep => {}
                }
                // A block holding no chrome is reported whole; inline elements join the loose
                // text around them.
                if facts.flags[i] & F_CHROME_DESC == 0 && is_block(tag) {
                    self.record(i, OUTSIDE);
                    i = f.end[i];
                    continue;
                }
            } else if region == IN && !is_root {
                let in_header = i < header_end && i >= header_safe_end;
                if let Some(reason) = self.inside_reason(i, tag, in_header) {
                    if !reason.is_empty() {
                        self.record(i, reason);
                    }
                    i = f.end[i];
                    continue;
                }
                if tag == "header" && i >= header_end && verdict == Verdict::Tag("header") {
                    header_end = f.end[i];
                } else if in_header && (is_heading(tag) || tag == "p" || tag == "hgroup") {
                    header_safe_end = f.end[i];
                }
            }
            if region == IN && tag == "h1" && self.first_h1.is_none() {
                let chrome = |j: usize| facts.verdict[j] != Verdict::Keep;
                self.first_h1 = clean(&f.visible_text_except(i, 1000, &chrome));
            }
            if tag == "br" {
                if region == IN {
                    self.inside.br();
                } else {
                    self.outside.br();
                }
            } else if is_block(tag) {
                self.breaks();
                closes.push(f.end[i]);
            }
            i += 1;
        }
        self.breaks();
    }

    /// Why an element inside the container is dropped: `Some("")` to skip it silently.
    fn inside_reason(&self, i: usize, tag: &str, in_header: bool) -> Option<&'static str> {
        let facts = self.facts;
        let f = facts.f;
        match facts.verdict[i] {
            Verdict::Raw => return Some(""),
            Verdict::Class(r) => return Some(r),
            Verdict::Tag("header") if tag == "header" && !in_header && self.header_allowed(i) => {}
            Verdict::Tag(r) => return Some(r),
            Verdict::Keep => {}
        }
        let flags = facts.flags[i];
        if in_header {
            if !is_heading(tag) && tag != "p" && tag != "hgroup" && flags & F_HEADING_OR_P == 0 {
                return Some("header");
            }
            if !is_heading(tag) && facts.visible[i] < 100 {
                let t = f.visible_text(i, 100);
                if t.starts_with("By ") || t.starts_with("by ") {
                    return Some("byline");
                }
            }
        }
        if flags & F_AUTHOR != 0
            && flags & F_H1 == 0
            && is_block(tag)
            && !is_heading(tag)
            && facts.visible[i] < 150
        {
            return Some("byline");
        }
        let chars = facts.chars[i];
        if chars > 0 && flags & F_H1 == 0 {
            let ld = facts.link_density(i);
            let list = match tag {
                "ul" | "ol" | "dl" | "menu" => ld > 0.5,
                "div" | "section" | "table" => ld > 0.5 && chars < 1000,
                "p" => ld > 0.8 && chars < 150,
                _ => false,
            };
            if list {
                return Some(LINK_LIST);
            }
        }
        None
    }

    /// A `<header>` inside the content keeps its headings: always in a chosen container, and in
    /// whole-page mode when it sits in an article, section or main.
    fn header_allowed(&self, i: usize) -> bool {
        if !self.whole {
            return true;
        }
        let f = self.facts.f;
        let mut a = f.parent[i];
        while a != NONE && a > self.facts.body {
            if matches!(f.tags[a], "article" | "section" | "main") {
                return true;
            }
            a = f.parent[a];
        }
        false
    }

    fn breaks(&mut self) {
        self.inside.flush();
        self.flush_outside();
    }

    fn flush_outside(&mut self) {
        self.outside.flush();
        for block in self.outside.blocks.drain(..) {
            self.dropped.push(Dropped {
                reason: OUTSIDE.to_string(),
                text: cut(&block.replace('\n', " "), DROPPED_TEXT_MAX),
            });
        }
    }

    fn record(&mut self, i: usize, reason: &str) {
        if self.facts.visible[i] == 0 {
            return;
        }
        self.flush_outside();
        let text = self.facts.f.visible_text(i, DROPPED_TEXT_MAX);
        if !text.is_empty() {
            self.dropped.push(Dropped {
                reason: reason.to_string(),
                text,
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// Everything the metadata comes from.
#[derive(Default)]
struct Meta {
    /// `<meta>` name/property (lowercase) and content, in document order.
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    title: Option<String>,
    rel_author: Option<String>,
    /// JSON-LD objects with their preference (0 articles, 1 pages), in document order.
    ld: Vec<(u8, Map<String, Value>)>,
    /// All JSON-LD objects with an `@id`, for resolving references.
    ld_ids: HashMap<String, Map<String, Value>>,
}

impl Meta {
    fn collect(f: &Flat<'_>) -> Meta {
        let mut m = Meta::default();
        let mut all = Vec::new();
        for i in 0..f.len() {
            let Some(e) = f.el(i) else { continue };
            match f.tags[i] {
                "meta" => {
                    if let Some(content) = f.attr(i, "content") {
                        for (k, v) in e.attrs() {
                            if k == "name" || k == "property" {
                                m.metas
                                    .push((v.trim().to_ascii_lowercase(), content.to_string()));
                            }
                        }
                    }
                }
                "link" if m.canonical.is_none() => {
                    let canonical = f.attr(i, "rel").is_some_and(|r| {
                        r.split_ascii_whitespace()
                            .any(|t| t.eq_ignore_ascii_case("canonical"))
                    });
                    if canonical {
                        m.canonical = f.attr(i, "href").and_then(clean);
                    }
                }
                "title" if m.title.is_none() => m.title = clean(&child_text(f, i)),
                "script" => {
                    let ld = f.attr(i, "type").is_some_and(|t| {
                        t.split(';')
                            .next()
                            .unwrap_or("")
                            .trim()
                            .eq_ignore_ascii_case("application/ld+json")
                    });
                    if ld {
                        parse_json_ld(&child_text(f, i), &mut all);
                    }
                }
                _ => {}
            }
            if m.rel_author.is_none()
                && f.attr(i, "rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("author"))
                })
            {
                m.rel_author = clean(&f.visible_text(i, 300));
            }
        }
        for obj in all {
            if let Some(Value::String(id)) = obj.get("@id") {
                m.ld_ids.entry(id.clone()).or_insert_with(|| obj.clone());
            }
            if let Some(tier) = ld_tier(&obj) {
                m.ld.push((tier, obj));
            }
        }
        m.ld.sort_by_key(|&(tier, _)| tier);
        m
    }

    /// The first non-empty `<meta>` content for the first of `keys` that has one.
    fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.metas
                .iter()
                .filter(|(k, _)| k == key)
                .find_map(|(_, v)| clean(v))
        })
    }

    /// `article:author` when it is a name rather than a profile URL.
    fn article_author(&self) -> Option<String> {
        self.metas
            .iter()
            .filter(|(k, _)| k == "article:author")
            .filter_map(|(_, v)| clean(v))
            .find(|v| !is_url(v))
    }

    fn ld_string(&self, field: &str) -> Option<String> {
        self.ld.iter().find_map(|(_, obj)| match obj.get(field) {
            Some(Value::String(s)) => clean(s),
            _ => None,
        })
    }

    fn ld_author(&self) -> Option<String> {
        self.ld.iter().find_map(|(_, obj)| {
            let mut names = Vec::new();
            match obj.get("author")? {
                Value::Array(items) => {
                    for item in items {
                        if let Some(n) = self.ld_name(item)
                            && !names.contains(&n)
                        {
                            names.push(n);
                        }
                    }
                }
                one => names.extend(self.ld_name(one)),
            }
            (!names.is_empty()).then(|| names.join(", "))
        })
    }

    /// A JSON-LD person or organisation: a string, an object with `name`, or an `@id`
    /// reference to one.
    fn ld_name(&self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => clean(s).filter(|s| !is_url(s)),
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => clean(s),
                _ => match o.get("@id") {
                    Some(Value::String(id)) => match self.ld_ids.get(id)?.get("name") {
                        Some(Value::String(s)) => clean(s),
                        _ => None,
                    },
                    _ => None,
                },
            },
            _ => None,
        }
    }
}

fn is_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("//")
}

/// The text children of an element (for `<title>` and `<script>`).
fn child_text(f: &Flat<'_>, i: usize) -> String {
    let mut out = String::new();
    let mut c = i + 1;
    while c < f.end[i] {
        if let Node::Text(t) = f.nodes[c] {
            out.push_str(t);
        }
        c = f.end[c];
    }
    out
}

/// Collects the objects of one JSON-LD script: top-level arrays, `@graph` and `mainEntity`
/// are looked into. Invalid JSON is ignored.
fn parse_json_ld(raw: &str, out: &mut Vec<Map<String, Value>>) {
    let mut s = raw.trim();
    for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>")] {
        s = s.strip_prefix(open).unwrap_or(s).trim();
        s = s.strip_suffix(close).unwrap_or(s).trim();
    }
    let s = s.trim_end_matches(';');
    let Ok(v) = serde_json::from_str::<Value>(s) else {
        return;
    };
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        if out.len() >= 1000 {
            return;
        }
        match v {
            Value::Array(items) => stack.extend(items.into_iter().rev()),
            Value::Object(mut map) => {
                let graph = map.remove("@graph");
                let main = match map.get("mainEntity") {
                    Some(m @ (Value::Object(_) | Value::Array(_))) => Some(m.clone()),
                    _ => None,
                };
                out.push(map);
                stack.extend(main);
                stack.extend(graph);
            }
            _ => {}
        }
    }
}

/// 0 for article types, 1 for web pages, `None` for anything else.
fn ld_tier(obj: &Map<String, Value>) -> Option<u8> {
    let types: Vec<&str> = match obj.get("@type")? {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    if types
        .iter()
        .any(|t| t.contains("Article") || t.contains("BlogPosting"))
    {
        Some(0)
    } else if types.iter().any(|t| t.ends_with("Page")) {
        Some(1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    const NEWS: &str = include_str!("../tests/fixtures/html/news_article.html");
    const NO_ARTICLE: &str = include_str!("../tests/fixtures/html/no_article_tag.html");
    const COMMENTS: &str = include_str!("../tests/fixtures/html/long_comments.html");
    const MALFORMED: &str = include_str!("../tests/fixtures/html/malformed.html");

    // The no-panic tests call `extract_inner`: `extract` would hide a panic behind its
    // `catch_unwind`.

    fn reasons(e: &Extracted) -> Vec<&str> {
        e.dropped.iter().map(|d| d.reason.as_str()).collect()
    }

    fn dropped_text<'e>(e: &'e Extracted, reason: &str) -> Vec<&'e str> {
        e.dropped
            .iter()
            .filter(|d| d.reason == reason)
            .map(|d| d.text.as_str())
            .collect()
    }

    fn assert_absent(text: &str, phrases: &[&str]) {
        for p in phrases {
            assert!(!text.contains(p), "{p:?} leaked into the text:\n{text}");
        }
    }

    /// Shape of any extracted text: blocks separated by exactly one blank line, trimmed, no
    /// doubled spaces.
    fn assert_well_formed(text: &str) {
        if text.is_empty() {
            return;
        }
        assert_eq!(text, text.trim());
        assert!(!text.contains("\n\n\n"), "{text:?}");
        assert!(!text.contains("  "), "{text:?}");
        for block in text.split("\n\n") {
            assert!(!block.is_empty());
            for line in block.split('\n') {
                assert_eq!(line, line.trim(), "{text:?}");
            }
        }
    }

    #[test]
    fn news_article_fixture() {
        let e = extract(NEWS);
        let paragraphs = [
            "Harbour town votes to rebuild its tidal mill",
            "Councillors in Wrenmouth voted eleven to four on Thursday night to restore the derelict tidal mill on the east quay, ending a dispute that has divided the town for almost a decade.",
            "The mill, which last ground flour in 1931, will be fitted with a small turbine that engineers say could power the lifeboat station and the harbour lights at slack water.",
            "\u{201c}We have argued about this building for nine winters, and tonight we finally chose to stop arguing and start lifting stones,\u{201d} said council leader Petra Olusanya.",
            "Opponents, led by the Quayside Residents Group, warned that the projected cost of 2.4 million pounds would swallow the town's entire heritage budget until 2031.",
            "A spokesman for the group said it would ask the regional ombudsman to review whether the consultation had given enough weight to the cheaper plan to convert the mill into flats.",
            "Work on the sluice gates is expected to begin in late summer, once the breeding season for the estuary's avocets has ended.",
        ];
        assert_eq!(e.text, paragraphs.join("\n\n"));
        assert_well_formed(&e.text);
        assert_absent(
            &e.text,
            &[
                "Coastal Ledger",
                "Rowing Results",
                "Tide Tables",
                "Share this story",
                "Facebook",
                "Marisol",
                "Estuary Correspondent",
                "Filed under",
                "Related stories",
                "Ferry timetable",
                "lighthouse lens",
                "Morning Tide",
                "Sign me up",
                "cookies",
                "All rights reserved",
                "dataLayer",
                "injected paragraph",
                "font-family",
                "style rule text",
            ],
        );
        assert_eq!(
            e.title.as_deref(),
            Some("Harbour town votes to rebuild its tidal mill")
        );
        assert_eq!(e.date.as_deref(), Some("2026-03-14T09:30:00+00:00"));
        assert_eq!(
            e.url.as_deref(),
            Some("https://ledger.example/news/2026/03/tidal-mill-vote")
        );
        assert_eq!(e.author.as_deref(), Some("Marisol Quenby"));
        assert_eq!(
            reasons(&e),
            [
                "header",
                "nav",
                "byline",
                "share",
                "footer",
                "related",
                "newsletter",
                "cookie",
                "footer"
            ]
        );
        assert_eq!(
            dropped_text(&e, "nav"),
            ["Local News Rowing Results Tide Tables Letters Page"]
        );
        assert_eq!(
            dropped_text(&e, "related"),
            [
                "Related stories Ferry timetable cut again as pilots strike Old lighthouse lens sold at auction for charity"
            ]
        );
        assert_eq!(
            dropped_text(&e, "byline"),
            ["By Marisol Quenby, Estuary Correspondent 14 March 2026"]
        );
        assert_eq!(
            dropped_text(&e, "footer")[1],
            "\u{a9} 2026 Coastal Ledger Media Ltd. All rights reserved."
        );
    }

    #[test]
    fn no_article_tag_fixture() {
        let e = extract(NO_ARTICLE);
        let paragraphs = [
            "Night buses are back in the valley",
            "The N14 night bus between Ashcombe and the hospital at Fernleigh will run again from Friday, two years after the route was withdrawn when the operator lost its last three drivers.",
            "Hospital porters, bakers and bar staff had petitioned the county for eighteen months, collecting more than four thousand signatures on paper forms left in the staff canteen.",
            "The county transport officer, Ruth Adeyemi-Vance, said the new contract guaranteed hourly departures until half past four in the morning, seven nights a week.",
            "Fares will be capped at two pounds, although passengers with a hospital staff pass will travel free for the first year under a scheme funded by the health trust.",
            "Some residents on the Copse Road estate, where the buses will turn, have asked for quieter electric vehicles, and the operator said two would arrive by the autumn.",
        ];
        assert_eq!(e.text, paragraphs.join("\n\n"));
        assert_well_formed(&e.text);
        assert_absent(
            &e.text,
            &[
                "Valley Courier",
                "Sections",
                "Transport desk",
                "Obituaries",
                "Subscribe",
                "Mill Lane",
                "Privacy",
                "Broken headline",
                "schema.org",
            ],
        );
        // JSON-LD headline beats the <h1> and the <title> with its " | Valley Courier".
        assert_eq!(
            e.title.as_deref(),
            Some("Night buses return to the valley after two-year gap")
        );
        assert_eq!(e.date.as_deref(), Some("2026-02-03T18:05:00Z"));
        // The NewsArticle's url, not the WebSite's or the WebPage's.
        assert_eq!(
            e.url.as_deref(),
            Some("https://courier.example/transport/night-buses-return")
        );
        assert_eq!(e.author.as_deref(), Some("Tobiah Lindqvist, Ines Carvalho"));
        assert_eq!(reasons(&e), ["header", "sidebar", "promo", "footer"]);
        assert_eq!(
            dropped_text(&e, "sidebar"),
            ["Sections Transport desk Schools and colleges Planning notices Obituaries"]
        );
    }

    #[test]
    fn long_comments_fixture() {
        let e = extract(COMMENTS);
        let paragraphs = [
            "Why the allotment waiting list keeps growing",
            "There are now 312 names on the waiting list for the Pollard Street allotments, and the newest of them can expect to wait about eleven years for a plot of their own.",
            "The parish has not created a single new plot since 2009, when the old orchard behind the bowling green was split into twelve half-plots that were taken within a week.",
            "Half-plot tenants told me they would happily share their ground with a newcomer, but the tenancy rules written in 1974 forbid subletting of any kind, even to a neighbour.",
            "The clerk says the rules will be reviewed at the spring meeting, and that a strip of glebe land by the railway cutting is being surveyed for drainage and contamination.",
        ];
        assert_eq!(e.text, paragraphs.join("\n\n"));
        // The comments really are longer than the article.
        let comments_len = COMMENTS.find("<section id=\"comments\">").unwrap();
        assert!(COMMENTS.len() - comments_len > 2 * e.text.len());
        assert_absent(
            &e.text,
            &[
                "Greenway Notes",
                "Posted by",
                "comments",
                "Gwen P.",
                "learning to drive",
                "floods every February",
                "rhubarb dispute",
                "split every full plot",
                "kept bees",
                "halving plots",
                "Holloway Lane",
                "my uncle waited fourteen",
                "belongs to the diocese",
                "school field",
                "counted the names properly",
                "tomatoes in pots",
                "Leave a reply",
            ],
        );
        assert_eq!(
            e.title.as_deref(),
            Some("Why the allotment waiting list keeps growing")
        );
        // Not the <time> of the first comment: it is not in the article.
        assert_eq!(e.date.as_deref(), Some("2026-04-22"));
        assert_eq!(
            e.url.as_deref(),
            Some("https://greenway.example/2026/04/allotment-waiting-list")
        );
        assert_eq!(e.author.as_deref(), Some("Dorcas Ambrose-Hale"));
        assert_eq!(reasons(&e), ["header", "byline", "comments", "comments"]);
        let comments = dropped_text(&e, "comments");
        assert!(comments[0].starts_with("12 comments Gwen P. 22 April I have been on that list"));
        assert!(comments[0].ends_with("..."));
        assert_eq!(comments[0].chars().count(), 200);
        assert_eq!(comments[1], "Leave a reply Post comment");
    }

    #[test]
    fn malformed_fixture() {
        let e = extract(MALFORMED);
        let paragraphs = [
            "Island Bulletin notice about fares & timetables for the coming season",
            "Passengers on the Skerry crossing will pay 4.20 pounds from May \u{2014} an increase the operator calls \u{201c}modest\u{201d} and the island council calls \u{201c}a tax on living here\u{201d}.",
            "Sailings affected:\n06:40 from Northpoint\n12:15 from Gullhaven\n18:50 from Northpoint",
            "The operator said winter sailings would be reviewed in October.",
            "Campaigners from the Island Transport Forum said they would meet the operator's directors next week in Gullhaven.",
            "Season tickets bought before the end of April will be honoured at the old price, the operator confirmed, <including> tickets for bicycles & small trailers.",
            "Adult single",
            "4.20",
            "Child single",
            "2.10",
            "Note: the harbour office at Northpoint closes at noon on Saturdays.",
        ];
        assert_eq!(e.text, paragraphs.join("\n\n"));
        assert_well_formed(&e.text);
        assert_absent(
            &e.text,
            &[
                "Home",
                "Fare tables",
                "script paragraph",
                "document.write",
                "style text",
                "color: #333",
                "Copyright",
                "enable JavaScript",
                "\u{a0}",
            ],
        );
        assert_eq!(
            e.title.as_deref(),
            Some("Ferry fares rise & timetables shrink")
        );
        assert_eq!((&e.date, &e.url, &e.author), (&None, &None, &None));
        assert_eq!(reasons(&e), ["nav", "footer"]);
        assert_eq!(dropped_text(&e, "nav"), ["Home | Ferries | Fare tables"]);
    }

    #[test]
    fn fixtures_are_left_alone_by_the_nesting_guard() {
        for html in [NEWS, NO_ARTICLE, COMMENTS, MALFORMED] {
            assert!(matches!(limit_nesting(html), Cow::Borrowed(_)));
        }
        // Sloppy but real-looking markup: implied end tags keep the modelled stack shallow.
        let sloppy = format!(
            "<table>{}</table><ul>{}</ul>{}<dl>{}</dl><select>{}</select>{}",
            "<tr><td><font>cell<td><b>cell".repeat(2000),
            "<li><a href=x>item".repeat(2000),
            "<p><font>para<span>x".repeat(2000),
            "<dt>term<dd><i>def".repeat(2000),
            "<option>one".repeat(2000),
            "<div><span>x</div>".repeat(2000),
        );
        assert!(matches!(limit_nesting(&sloppy), Cow::Borrowed(_)));
    }

    #[test]
    fn empty_and_trivial_inputs() {
        assert_eq!(extract(""), Extracted::default());
        assert_eq!(extract("   \n\t "), Extracted::default());
        for s in [
            "<",
            "</",
            "<!--",
            "<![CDATA[",
            "<html",
            "</html>",
            "<p",
            "&",
            "&#",
            "\0",
        ] {
            let e = extract_inner(s);
            assert!(e.text.len() <= s.len(), "{s:?} gave {e:?}");
        }
        let e = extract("Just a line of plain text, no tags at all.");
        assert_eq!(e.text, "Just a line of plain text, no tags at all.");
        assert_eq!(e.title, None);
    }

    #[test]
    fn random_bytes_do_not_panic() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut bytes = Vec::with_capacity(300_000);
        for _ in 0..300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Bias towards markup characters.
            let b = (x >> 24) as u8;
            bytes.push(match b % 8 {
                0 => b'<',
                1 => b'>',
                2 => b'/',
                _ => b,
            });
        }
        let text = String::from_utf8_lossy(&bytes);
        let t = Instant::now();
        let e = extract_inner(&text);
        assert!(t.elapsed() < Duration::from_secs(60));
        assert_well_formed(&e.text);
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_crawls() {
        let cases = [
            "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000),
            "<div><span><b>".repeat(40_000) + "deep text",
            "<font>".repeat(40_000) + "<div>deep text</div>",
            "<div/>".repeat(40_000) + "deep text",
            "<table><tr><td>".repeat(20_000) + "deep text",
            "<section class=\"comments\">".repeat(50_000) + "deep text",
        ];
        for html in cases {
            let t = Instant::now();
            let e = extract_inner(&html);
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "{:?} took {:?}",
                &html[..30],
                t.elapsed()
            );
            if !html.contains("comments") {
                assert_eq!(e.text, "deep text", "{:?}", &html[..30]);
            }
        }
        // The guard keeps the text and the outer structure.
        let deep = "<div>".repeat(1000) + "deep text" + &"</div>".repeat(1000);
        let limited = limit_nesting(&deep);
        assert_eq!(limited.matches("<div>").count(), MAX_NESTING);
        assert_eq!(limited.matches("</div>").count(), MAX_NESTING);
        assert!(limited.contains("deep text"));
    }

    #[test]
    fn five_megabyte_page() {
        let para = "<p>The ferry, which crossed the sound twice a day, was late again, and \
                    <a href=\"/x\">passengers</a> waited &amp; waited on the pier.</p>\n";
        let comment = "<div class=\"comment\"><p>First! Great article, thanks, really.</p></div>\n";
        let n = 2_500_000 / para.len();
        let html = format!(
            "<html><head><title>Big</title></head><body><nav>{}</nav><article>{}</article>\
             <section id=\"comments\">{}</section></body></html>",
            "<a href=/>Menu</a>".repeat(1000),
            para.repeat(n),
            comment.repeat(2_500_000 / comment.len()),
        );
        assert!(html.len() > 5_000_000);
        let t = Instant::now();
        let e = extract_inner(&html);
        assert!(t.elapsed() < Duration::from_secs(120), "{:?}", t.elapsed());
        assert_eq!(e.text.split("\n\n").count(), n);
        assert!(
            e.text
                .starts_with("The ferry, which crossed the sound twice a day")
        );
        assert!(!e.text.contains("First!"));
        assert_eq!(reasons(&e), ["nav", "comments"]);
        assert_eq!(e.title.as_deref(), Some("Big"));
    }

    #[test]
    fn looks_like_html_cases() {
        for yes in [
            "<!DOCTYPE html><html><body>x</body></html>",
            "\u{feff}  \n<!doctype HTML>",
            "<html lang=en>",
            "<HTML>",
            "<p>One</p><p>Two</p>",
            "Intro<br>line<br/>line<BR>",
            "<div class=a>x</div> <div>y",
            "text <article> and </article> and <section id=s>",
        ] {
            assert!(looks_like_html(yes), "{yes:?}");
        }
        for no in [
            "",
            "I <3 this town",
            "if a < b and b > c then a < c",
            "<3 <3 <3 <3",
            "Use <p> for paragraphs.",
            "x<p>y<p>",
            "the <pre-war> <break> <divide> <para> tags",
            "<htmlish> not really",
            "5 < 6 > 4 </ 3",
        ] {
            assert!(!looks_like_html(no), "{no:?}");
        }
    }

    #[test]
    fn comments_inside_the_article_are_dropped() {
        let long_comment = "<div class=\"comment\"><p>I disagree, strongly, with every word, \
            and I will say so again, and again, at length, every single day.</p></div>"
            .repeat(20);
        let html = format!(
            "<article><h1>Tide mill</h1><p>{}</p><p>{}</p>\
             <section class=\"article-comments\">{long_comment}</section></article>",
            "The first paragraph of the real story is here, with enough words to count.",
            "The second paragraph of the real story also has enough words to count, surely.",
        );
        let e = extract(&html);
        assert_eq!(
            e.text,
            "Tide mill\n\nThe first paragraph of the real story is here, with enough words to count.\n\n\
             The second paragraph of the real story also has enough words to count, surely."
        );
        assert_eq!(reasons(&e), ["comments"]);
        assert_eq!(e.title.as_deref(), Some("Tide mill"));
    }

    #[test]
    fn link_lists_inside_the_container_are_dropped() {
        let body = "<p>A long enough paragraph of the story, about the harbour and its boats, and the \
                    people who sail them on winter mornings.</p>";
        let html = format!(
            "<article>{body}<ul><li><a href=/a>Storm closes pier</a></li>\
             <li><a href=/b>Gull numbers fall</a></li></ul>\
             <p><a href=/c>Read the full council report here</a></p>\
             <p>Ending with a <a href=/d>short link</a> in a long paragraph that stays.</p>{body}</article>"
        );
        let e = extract(&html);
        assert_eq!(reasons(&e), ["link list", "link list"]);
        assert_eq!(
            dropped_text(&e, "link list"),
            [
                "Storm closes pier Gull numbers fall",
                "Read the full council report here"
            ]
        );
        assert!(
            e.text
                .contains("Ending with a short link in a long paragraph that stays.")
        );
        assert_eq!(e.text.split("\n\n").count(), 3);
    }

    #[test]
    fn br_is_a_newline_and_two_end_the_paragraph() {
        let html = "<body><p>one<br>two <br> three<br><br>four<br></p><p><br>five</p></body>";
        assert_eq!(extract(html).text, "one\ntwo\nthree\n\nfour\n\nfive");
    }

    #[test]
    fn multiple_articles_pick_the_one_with_most_paragraph_text() {
        let teaser = "<article class=\"card\"><h2>Short teaser</h2><p>Two lines of teaser text.</p></article>";
        let main = format!(
            "<article><h1>Main story</h1>{}</article>",
            "<p>A full paragraph of the main story, with clauses, commas, and detail enough.</p>"
                .repeat(4)
        );
        let e = extract(&format!("<body>{teaser}{main}{teaser}</body>"));
        assert!(e.text.starts_with("Main story\n\nA full paragraph"));
        assert!(!e.text.contains("teaser"));
        assert_eq!(
            reasons(&e),
            ["outside main content", "outside main content"]
        );
        assert_eq!(
            dropped_text(&e, OUTSIDE),
            [
                "Short teaser Two lines of teaser text.",
                "Short teaser Two lines of teaser text."
            ]
        );
    }

    #[test]
    fn short_article_falls_back_to_scoring_then_to_the_body() {
        let long = "<p>The real text lives outside the article element on this odd page, \
                    and it is long enough to be the content.</p><p>It has a second paragraph \
                    too, which the fallback must keep.</p>";
        // A scored <div> beats an <article> under 140 chars...
        let e = extract(&format!(
            "<body><article><p>Tiny article tag.</p></article><div>{long}</div><footer>Footer text</footer></body>"
        ));
        assert!(e.text.starts_with("The real text lives"));
        assert!(e.text.ends_with("which the fallback must keep."));
        assert_eq!(e.text.split("\n\n").count(), 2);
        assert_eq!(reasons(&e), [OUTSIDE, "footer"]);
        assert_eq!(dropped_text(&e, OUTSIDE), ["Tiny article tag."]);
        // ...and with no better container, the whole body minus chrome is the text.
        let e = extract(&format!(
            "<body><article><p>Tiny article tag.</p></article>{long}<footer>Footer text</footer></body>"
        ));
        assert!(
            e.text
                .starts_with("Tiny article tag.\n\nThe real text lives")
        );
        assert_eq!(e.text.split("\n\n").count(), 3);
        assert_eq!(reasons(&e), ["footer"]);
    }

    #[test]
    fn layout_wrapper_with_a_chrome_class_does_not_eat_the_page() {
        let html = format!(
            "<body><div class=\"layout-sidebar-right\"><div class=\"post\">{}</div>\
             <div class=\"widget\">Archive</div></div></body>",
            "<p>Paragraph of the post that must survive, with several words in it, and commas.</p>"
                .repeat(3)
        );
        let e = extract(&html);
        assert_eq!(e.text.split("\n\n").count(), 3);
        assert!(
            e.text
                .starts_with("Paragraph of the post that must survive")
        );
        // `has-sidebar` style tokens are ignored outright.
        let html = html.replace("layout-sidebar-right", "has-sidebar");
        let e = extract(&html);
        assert_eq!(e.text.split("\n\n").count(), 3);
        assert_eq!(reasons(&e), ["sidebar"]);
    }

    #[test]
    fn chrome_by_role_aria_and_hidden() {
        let p =
            "<p>Story paragraph that is long enough, with commas, clauses, and words to count.</p>";
        let html = format!(
            "<main>{p}<div role=\"navigation\">Prev Next</div><div aria-label=\"Share this article\">Mail</div>\
             <p hidden>Hidden text</p><span style=\"display: none\">Invisible</span>\
             <span class=\"sr-only\">Opens in a new window</span><div aria-hidden=\"true\">Decor</div>{p}</main>"
        );
        let e = extract(&html);
        assert_eq!(e.text, format!("{0}\n\n{0}", &p[3..p.len() - 4]));
        assert_eq!(
            reasons(&e),
            ["nav", "share", "hidden", "hidden", "hidden", "hidden"]
        );
    }

    #[test]
    fn class_words() {
        let cat = |t: &str| classify_token(t).0;
        assert_eq!(cat("ad-slot"), Some("promo"));
        assert_eq!(cat("ad_container"), Some("promo"));
        assert_eq!(cat("header"), Some("header"));
        assert_eq!(cat("shadow"), None);
        assert_eq!(cat("load-more-button"), None);
        assert_eq!(cat("readMore"), Some("related"));
        assert_eq!(cat("shareButtons"), Some("share"));
        assert_eq!(cat("commentlist"), Some("comments"));
        assert_eq!(cat("commentary"), None);
        assert_eq!(cat("read-more"), Some("related"));
        assert_eq!(cat("more-stories"), Some("related"));
        assert_eq!(cat("sign-up-box"), Some("newsletter"));
        assert_eq!(cat("topnav"), Some("nav"));
        assert_eq!(cat("cookie-consent"), Some("cookie"));
        assert_eq!(cat("has-sidebar"), None);
        assert_eq!(cat("hidden-xs"), None);
        assert_eq!(cat("visually-hidden"), Some("hidden"));
        // A content word overrides header/footer in the same token, not specific chrome.
        assert_eq!(classify_token("article-header"), (None, false));
        assert_eq!(classify_token("article-body"), (None, true));
        assert_eq!(cat("article-comments"), Some("comments"));
        assert_eq!(cat("related-content"), Some("related"));
        // Element level: a pure content token vetoes, except for comments.
        let doc = Html::parse_fragment(
            "<div class=\"entry-content social-embed\"></div><div id=\"comments\" class=\"content\"></div>",
        );
        let cats: Vec<_> = doc
            .tree
            .nodes()
            .filter_map(|n| n.value().as_element())
            .filter(|e| e.name() == "div")
            .map(|e| class_judgement(e).0)
            .collect();
        assert_eq!(cats, [None, Some("comments")]);
    }

    #[test]
    fn headings_and_code_are_never_class_chrome() {
        let html = "<main><h1>Main <button>Copy</button> title</h1><h2><a class=\"header\" href=\"#s\">Section title</a></h2>\
                    <p>A paragraph long enough to make this the content of the page, with words.</p>\
                    <pre><span class=\"comment\">// a code comment</span>\nlet x = 1;</pre>\
                    <p><a class=\"footer-link\" href=\"/f\">inline footer-classed link</a> inside a long paragraph of text.</p></main>";
        let e = extract(html);
        assert_eq!(
            e.text,
            "Main title\n\nSection title\n\nA paragraph long enough to make this the content of the page, with words.\n\n\
             // a code comment let x = 1;\n\ninline footer-classed link inside a long paragraph of text."
        );
        assert_eq!(e.title.as_deref(), Some("Main title"));
        assert_eq!(reasons(&e), ["button"]);
    }

    #[test]
    fn json_ld_variants() {
        let html = r#"<head>
            <script type="application/ld+json">[{"@type":"WebSite","url":"https://site.example/"},
              {"@type":["NewsArticle"],"headline":"  Array   headline ","author":"Solo Writer",
               "datePublished":"2026-01-02"}]</script></head><body><p>x</p></body>"#;
        let e = extract(html);
        assert_eq!(e.title.as_deref(), Some("Array headline"));
        assert_eq!(e.author.as_deref(), Some("Solo Writer"));
        assert_eq!(e.date.as_deref(), Some("2026-01-02"));
        assert_eq!(e.url, None);

        let html = r##"<script type="application/ld+json">{"@graph":[
              {"@type":"BlogPosting","author":{"@id":"#p1"},"url":"https://b.example/post"},
              {"@type":"Person","@id":"#p1","name":"Referenced Person"}]}</script>
            <script type="application/ld+json">{"@type":"ReportageNewsArticle","headline":"Second"}</script>"##;
        let e = extract(html);
        assert_eq!(e.author.as_deref(), Some("Referenced Person"));
        assert_eq!(e.url.as_deref(), Some("https://b.example/post"));
        assert_eq!(e.title.as_deref(), Some("Second"));

        // Only article-like and page objects count; invalid JSON is skipped silently.
        let html = r#"<script type="application/ld+json">{"@type":"Organization","name":"Org","url":"https://o.example"}</script>
            <script type="application/ld+json">{"@type": "NewsArticle", "headline": }</script>"#;
        let e = extract(html);
        assert_eq!((e.title, e.url, e.author), (None, None, None));
    }

    #[test]
    fn meta_fallbacks() {
        let html = r#"<head><meta property="og:title" content="   ">
            <meta name="twitter:title" content="Twitter  title">
            <meta property="article:author" content="https://social.example/someone">
            <meta property="article:author" content="Named Author">
            <meta name="PubDate" content="2025-12-31">
            <link rel="Canonical" href=" https://c.example/a ">
            <title>Page title</title></head>
            <body><article><p>Body text <time datetime="2026-05-06T07:08">May 6</time></p></article></body>"#;
        let e = extract(html);
        assert_eq!(e.title.as_deref(), Some("Twitter title"));
        assert_eq!(e.author.as_deref(), Some("Named Author"));
        // <time> in the article comes before <meta name=pubdate>.
        assert_eq!(e.date.as_deref(), Some("2026-05-06T07:08"));
        assert_eq!(e.url.as_deref(), Some("https://c.example/a"));

        let html = r#"<meta name="pubdate" content="2025-12-31"><meta property="article:author" content="https://x.example/me">
            <title> Only  the title </title><p>Text</p><a rel="author" href="/me">  Link   Author </a>"#;
        let e = extract(html);
        assert_eq!(e.date.as_deref(), Some("2025-12-31"));
        assert_eq!(e.title.as_deref(), Some("Only the title"));
        assert_eq!(e.author.as_deref(), Some("Link Author"));
    }

    #[test]
    fn dropped_text_is_cut_on_a_char_boundary() {
        let html = format!(
            "<body><p>{}</p><nav>{}</nav></body>",
            "Story text long enough to be the article, with commas, and more. ".repeat(4),
            "é".repeat(500)
        );
        let e = extract(&html);
        let nav = dropped_text(&e, "nav")[0];
        assert_eq!(nav.chars().count(), 200);
        assert!(nav.starts_with("éé") && nav.ends_with("é..."));
        assert_eq!(cut("short", 200), "short");
        assert_eq!(cut("abcdef", 5), "ab...");
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_strings(s in ".{0,400}") {
            let e = extract_inner(&s);
            assert_well_formed(&e.text);
            looks_like_html(&s);
        }

        #[test]
        fn never_panics_on_tag_soup(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "<p>", "</p>", "<div class=\"comment\">", "<div>", "</div>", "<br>", "<a href=x>",
                    "</a>", "<article>", "</article>", "<script>", "</script>", "<table>", "<td>",
                    "<li>", "<ul>", "</ul>", "<svg>", "<path/>", "</svg>", "<!--", "-->", "<b>",
                    "</b>", "<header>", "<h1>", "&amp;", "&#x0;", "text, words", " ", "\u{a0}",
                    "<title>", "</title>", "<meta property=og:title content=t>",
                ]),
                0..200,
            )
        ) {
            let html: String = parts.concat();
            let e = extract_inner(&html);
            assert_well_formed(&e.text);
            for d in &e.dropped {
                assert!(d.text.chars().count() <= DROPPED_TEXT_MAX);
                assert!(!d.text.is_empty());
            }
        }
    }
}
