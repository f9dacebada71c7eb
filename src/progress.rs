//! The progress line on standard error for long runs: articles, megabytes of text, speed, and
//! (when the input's size is known) a bar, the share done and the time left. Drawn only when standard
//! error is a terminal and `--quiet` is off, at most five times a second; the reports never
//! depend on it.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Time between two redraws.
const REDRAW: Duration = Duration::from_millis(200);

/// Progress of one pass over the corpus.
pub struct Progress {
    enabled: bool,
    label: &'static str,
    /// Bytes of the input (a file's size, a folder's files' sizes); `None` for a stream.
    total: Option<u64>,
    start: Instant,
    last: Option<Instant>,
    articles: u64,
    bytes: u64,
    drawn: bool,
}

impl Progress {
    /// A progress line for the pass `label` over `input`, shown when `show` is true and
    /// standard error is a terminal.
    pub fn new(show: bool, label: &'static str, input: &Path) -> Progress {
        let enabled = show && std::io::stderr().is_terminal();
        Progress {
            enabled,
            label,
            total: if enabled { input_size(input) } else { None },
            start: Instant::now(),
            last: None,
            articles: 0,
            bytes: 0,
            drawn: false,
        }
    }

    /// Count `articles` more articles of `bytes` bytes of text, and redraw if it is time.
    pub fn add(&mut self, articles: u64, bytes: u64) {
        self.articles += articles;
        self.bytes += bytes;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.last.is_some_and(|t| now - t < REDRAW) {
            return;
        }
        self.last = Some(now);
        let line = self.line(now - self.start);
        let mut err = std::io::stderr().lock();
        // A progress line that cannot be drawn is not worth stopping the run for.
        let _ = write!(err, "\r\x1b[K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Clear the line (the summary is printed after it).
    pub fn finish(&mut self) {
        if self.drawn {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
            self.drawn = false;
        }
    }

    fn line(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(1e-3);
        let mb = self.bytes as f64 / 1e6;
        let mut line = format!(
            "framescope: {}: {} articles, {:.1} MB, {:.1} MB/s",
            self.label,
            self.articles,
            mb,
            mb / secs
        );
        if let Some(total) = self.total.filter(|&t| t > 0) {
            // Text is most of an input's bytes (JSON and CSV add a little): a share, not a
            // promise, so it stops short of 100 % until the pass ends.
            let share = (self.bytes as f64 / total as f64).min(0.99);
            let left = if share > 0.0 {
                secs * (1.0 - share) / share
            } else {
                0.0
            };
            line.push_str(&format!(
                " [{}] {:.0} %, about {} left",
                bar(share),
                share * 100.0,
                clock(left)
            ));
        }
        line
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A bar of 20 cells, `share` of them filled.
fn bar(share: f64) -> String {
    let filled = ((share * 20.0).floor() as usize).min(20);
    format!("{}{}", "#".repeat(filled), ".".repeat(20 - filled))
}

/// `m:ss` or `h:mm:ss`.
fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The bytes of a file, or of the files under a folder; `None` for standard input, a pipe or
/// anything that cannot be measured.
fn input_size(path: &Path) -> Option<u64> {
    if path.as_os_str() == "-" {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() {
        return Some(meta.len());
    }
    if !meta.is_dir() {
        return None;
    }
    let mut total = 0;
    let mut stack = vec![path.to_path_buf()];
    let mut seen = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > 10_000_000 {
                return None; // not worth measuring
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => total += e.metadata().map_or(0, |m| m.len()),
                _ => {}
            }
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_speed_share_and_time_left() {
        let mut p = Progress::new(false, "scoring", Path::new("-"));
        p.total = Some(100_000_000);
        p.add(2_000, 25_000_000);
        let line = p.line(Duration::from_secs(5));
        assert_eq!(
            line,
            "framescope: scoring: 2000 articles, 25.0 MB, 5.0 MB/s [#####...............] 25 %, \
             about 0:15 left"
        );
        p.total = None;
        assert!(!p.line(Duration::from_secs(5)).contains('%'));
        assert_eq!(clock(3725.0), "1:02:05");
    }

    #[test]
    fn off_when_not_asked_for() {
        let p = Progress::new(false, "scoring", Path::new("."));
        assert!(!p.enabled);
        assert_eq!(p.total, None);
    }
}
