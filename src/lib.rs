//! framescope measures framing and source bias in news text: loaded and advocacy language
//! against neutral reporting language, per article and per outlet, with every hit kept as
//! evidence.
//!
//! The flow runs one way: [`corpus`] reads articles (web pages through [`html`]), [`clean`]
//! decides what of a text is page chrome or markup, [`text`] normalises the rest into a
//! [`text::Document`], [`lexicon`] compiles the categories into one [`lexicon::Matcher`],
//! [`score`] turns an article into counts and hits, [`aggregate`] folds them per outlet,
//! [`compare`] compares outlets, and [`report`] writes the CSV files. [`pipeline`] runs it
//! all: a first pass counting repeated lines, then one streaming pass.
//!
//! ```
//! use framescope::corpus::{Article, Encoding, Origin};
//! use framescope::lexicon::LexiconSet;
//! use framescope::score::Analyzer;
//!
//! let analyzer = Analyzer::new(LexiconSet::load(true, &[]).unwrap()).unwrap();
//! let article = Article {
//!     id: "a1".into(),
//!     source: "Example Wire".into(),
//!     title: String::new(),
//!     date: String::new(),
//!     url: String::new(),
//!     author: String::new(),
//!     text: "The minister said the talks went well. Critics claimed the so-called deal was a shocking failure.".into(),
//!     encoding: Encoding::Utf8,
//!     origin: Origin { path: "a1.txt".into(), line: None },
//!     extra: vec![],
//!     html_dropped: vec![],
//!     cut_bytes: 0,
//! };
//! let analysis = analyzer.analyze(&article, true).unwrap();
//! assert_eq!(analysis.score.words, 17); // UAX #29: `so-called` is two words
//! for hit in &analysis.hits {
//!     let lexicon = &analyzer.set.lexicons[hit.lexicon];
//!     // every hit points back into the text as read
//!     assert_eq!(&article.text[hit.bytes.clone()], hit.matched(&article));
//!     println!("{} {:?} {}", lexicon.id, hit.matched(&article), lexicon.side.as_str());
//! }
//! assert!(analysis.hits.iter().any(|h| h.matched(&article) == "claimed"));
//! ```

pub mod aggregate;
pub mod attribution;
pub mod clean;
pub mod cli;
pub mod compare;
pub mod config;
pub mod corpus;
pub mod explain;
pub mod html;
pub mod lexicon;
pub mod marks;
pub mod pipeline;
pub mod plain;
pub mod progress;
pub mod quotes;
pub mod report;
pub mod score;
pub mod span;
pub mod text;
pub mod validate;

pub use report::lexicon_listing as lexicons_table;
