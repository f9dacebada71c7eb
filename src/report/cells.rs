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

/// A text cell that no spreadsheet will run as a formula: a value starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (the OWASP advice for CSV injection).
pub fn inert(s: &str) -> String {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}"),
        _ => s.to_string(),
    }
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
        for bad in ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(inert("Regime"), "Regime");
        assert_eq!(inert(""), "");
    }
}
