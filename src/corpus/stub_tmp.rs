// TEMPORARY until the corpus helper's readers land.
use super::*;
pub struct Corpus { items: std::vec::IntoIter<Item> }
impl Corpus { pub fn extra_columns(&self) -> &[String] { &[] } pub fn describe(&self) -> String { "stub".into() } }
impl Iterator for Corpus { type Item = Item; fn next(&mut self) -> Option<Item> { self.items.next() } }
pub fn open(_spec: &InputSpec) -> Result<Corpus, CorpusError> { Ok(Corpus { items: Vec::new().into_iter() }) }
