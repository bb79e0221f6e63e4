//! CSV for spreadsheets: RFC 4180 quoting and CRLF line ends, a UTF-8 byte-order mark so
//! spreadsheet programs read names in any script correctly, and a guard against formula
//! injection (a cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, so
//! a customer name such as `=HYPERLINK(…)` stays text).

use std::io::{self, Write};

/// The UTF-8 byte-order mark.
pub fn write_bom(out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())
}

/// One cell, guarded and quoted as needed.
pub fn cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One record and its CRLF.
pub fn write_record<S: AsRef<str>>(out: &mut dyn Write, fields: &[S]) -> io::Result<()> {
    let line = fields
        .iter()
        .map(|f| cell(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.write_all(line.as_bytes())?;
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn formulas_stay_text() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+919876543210"), "'+919876543210");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("=A1,B1"), "\"'=A1,B1\"");
    }

    #[test]
    fn records_end_in_crlf() {
        let mut out = Vec::new();
        write_record(&mut out, &["a", "b,c"]).ok();
        assert_eq!(out, b"a,\"b,c\"\r\n");
    }
}
