//! Cell formatting shared by every report: fixed-precision numbers and text cells made inert
//! for spreadsheets.

use std::fmt::Write as _;

/// Decimal places of every non-integer number in the reports.
pub const DECIMALS: usize = 4;

/// A number with `DECIMALS` (4) places and `.` decimals; empty for `None` or a non-finite value;
/// never `-0.0000`.
pub fn fixed(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => {
            let mut s = String::with_capacity(12);
            let _ = write!(s, "{:.*}", DECIMALS, x);
            if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
                s.remove(0);
            }
            s
        }
        _ => String::new(),
    }
}

/// A p-value: 4 decimals from 0.0001 up, below that 3 significant digits in scientific
/// notation (`2.514e-7`), so a small p-value never shows as `0.0000`; empty for `None`.
pub fn pvalue(p: Option<f64>) -> String {
    match p {
        Some(p) if p.is_finite() && p < 0.000_05 && p > 0.0 => format!("{p:.3e}"),
        _ => fixed(p),
    }
}

/// A cell that no spreadsheet will run as a formula: a value starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'` (the OWASP advice against CSV injection),
/// unless the whole value is a plain decimal number (`-0.5300`, `-1`, `+2`, `2.514e-7`), which a
/// spreadsheet reads as that number and never as a formula. Applying it twice changes nothing.
/// Every cell of every report goes through it (see `report::record_bytes`).
pub fn inert(s: &str) -> String {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_number(s) => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A plain decimal number as the reports write them and spreadsheets read them: an optional
/// sign, digits with an optional fraction (at least one digit in all), and an optional
/// exponent (`e` or `E`, optional sign, digits). Nothing else: no spaces, no `inf`, no `NaN`.
pub fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_fixed_and_never_negative_zero() {
        assert_eq!(fixed(Some(1.0 / 3.0)), "0.3333");
        assert_eq!(fixed(Some(-0.00001)), "0.0000");
        assert_eq!(fixed(Some(-1.5)), "-1.5000");
        assert_eq!(fixed(None), "");
        assert_eq!(fixed(Some(f64::NAN)), "");
    }

    #[test]
    fn small_p_values_keep_their_digits() {
        assert_eq!(pvalue(Some(0.04)), "0.0400");
        assert_eq!(pvalue(Some(0.00005)), "0.0001");
        assert_eq!(pvalue(Some(2.514e-7)), "2.514e-7");
        assert_eq!(pvalue(Some(0.0)), "0.0000");
        assert_eq!(pvalue(None), "");
    }

    #[test]
    fn formula_cells_are_made_inert() {
        for bad in [
            "=1+1",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
            "+",
            "-1-",
            "-1e",
            "-.",
            "-inf",
            "-NaN",
            "- 1",
            "=HYPERLINK(\"http://x\",\"y\")",
        ] {
            let made = inert(bad);
            assert_eq!(made, format!("'{bad}"), "{bad:?}");
            assert_eq!(inert(&made), made, "idempotent: {bad:?}");
        }
        assert_eq!(inert("Regime"), "Regime");
        assert_eq!(inert(""), "");
        assert_eq!(inert("'=x"), "'=x");
    }

    /// Through the one writer every report uses, read back as a spreadsheet reads a CSV.
    #[test]
    fn every_written_cell_is_inert() {
        let row = ["\tx", "\rx", "=1", "-0.53", "x", "-2+3", "@A1"];
        let bytes = crate::report::record_bytes(row);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        let got: Vec<&str> = rec.iter().collect();
        assert_eq!(got, ["'\tx", "'\rx", "'=1", "-0.53", "x", "'-2+3", "'@A1"]);
    }

    #[test]
    fn numbers_stay_numbers() {
        for n in [
            "-0.5300", "-1", "+2", "2.514e-7", "-1.5E+3", "-.5", "-5.", "0", "1e-5",
        ] {
            assert!(is_number(n), "{n}");
            assert_eq!(inert(n), n, "{n}");
        }
        for not in [
            "", "-", "1-2", "1e", "e5", "1.2.3", " 1", "1 ", "0x1f", "--1",
        ] {
            assert!(!is_number(not), "{not:?}");
        }
    }
}
