//! Reading typed values out of one row's cells, each failure a rejection naming the column.

use skillgap_core::{ElementId, OnetDate, ScaleId, SocCode};

use super::error::{Rejection, ReleaseError, quoted};
use super::table::{Row, Table};

/// A column: its index in the row and its header name, for messages.
#[derive(Clone, Copy)]
pub(super) struct Col(pub(super) usize, pub(super) &'static str);

pub(super) fn cols<const N: usize>(
    t: &Table,
    names: [&'static str; N],
) -> Result<[Col; N], ReleaseError> {
    let idx = t.columns(names)?;
    Ok(std::array::from_fn(|i| Col(idx[i], names[i])))
}

/// O*NET writes a missing value as `n/a`; an empty cell means the same.
pub(super) fn missing(s: &str) -> bool {
    s.is_empty() || s == "n/a"
}

/// Reads typed values out of one row, turning each failure into a rejection naming the column.
pub(super) struct Cx<'r, 'a> {
    pub(super) file: &'static str,
    pub(super) row: &'r Row<'a>,
}

impl<'a> Cx<'_, 'a> {
    pub(super) fn reject(&self, col: Col, reason: impl Into<String>) -> Rejection {
        Rejection {
            file: self.file,
            line: self.row.line,
            column: Some(col.1),
            reason: reason.into(),
        }
    }

    pub(super) fn raw(&self, col: Col) -> &'a str {
        self.row.fields[col.0].trim()
    }

    pub(super) fn text(&self, col: Col) -> Result<&'a str, Rejection> {
        let s = self.raw(col);
        if missing(s) {
            Err(self.reject(col, "expected a value, found an empty cell or `n/a`"))
        } else {
            Ok(s)
        }
    }

    pub(super) fn opt_text(&self, col: Col) -> Option<String> {
        let s = self.raw(col);
        (!missing(s)).then(|| s.to_owned())
    }

    pub(super) fn number(&self, col: Col) -> Result<f64, Rejection> {
        let s = self.raw(col);
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.reject(col, format!("expected a number, found `{}`", quoted(s)))),
        }
    }

    pub(super) fn opt_number(&self, col: Col) -> Result<Option<f64>, Rejection> {
        if missing(self.raw(col)) {
            Ok(None)
        } else {
            self.number(col).map(Some)
        }
    }

    pub(super) fn opt_count(&self, col: Col) -> Result<Option<u32>, Rejection> {
        let s = self.raw(col);
        if missing(s) {
            return Ok(None);
        }
        s.parse::<u32>().map(Some).map_err(|_| {
            self.reject(
                col,
                format!(
                    "expected a whole number ≥ 0 or `n/a`, found `{}`",
                    quoted(s)
                ),
            )
        })
    }

    pub(super) fn flag(&self, col: Col) -> Result<bool, Rejection> {
        match self.raw(col) {
            "Y" => Ok(true),
            "N" => Ok(false),
            s => Err(self.reject(col, format!("expected `Y` or `N`, found `{}`", quoted(s)))),
        }
    }

    pub(super) fn opt_flag(&self, col: Col) -> Result<Option<bool>, Rejection> {
        match self.raw(col) {
            "Y" => Ok(Some(true)),
            "N" => Ok(Some(false)),
            s if missing(s) => Ok(None),
            s => Err(self.reject(
                col,
                format!("expected `Y`, `N` or `n/a`, found `{}`", quoted(s)),
            )),
        }
    }

    pub(super) fn opt_date(&self, col: Col) -> Result<Option<OnetDate>, Rejection> {
        let s = self.raw(col);
        if missing(s) {
            return Ok(None);
        }
        OnetDate::parse(s)
            .map(Some)
            .map_err(|e| self.reject_value(col, s, e))
    }

    pub(super) fn code(&self, col: Col) -> Result<SocCode, Rejection> {
        let s = self.raw(col);
        SocCode::parse(s).map_err(|e| self.reject_value(col, s, e))
    }

    pub(super) fn element(&self, col: Col) -> Result<ElementId, Rejection> {
        let s = self.raw(col);
        ElementId::parse(s).map_err(|e| self.reject_value(col, s, e))
    }

    pub(super) fn scale_id(&self, col: Col) -> Result<ScaleId, Rejection> {
        let s = self.raw(col);
        ScaleId::parse(s).map_err(|e| self.reject_value(col, s, e))
    }

    /// A rejection with a parse error's message, whose quote of the whole value is capped.
    pub(super) fn reject_value(
        &self,
        col: Col,
        value: &str,
        e: impl std::fmt::Display,
    ) -> Rejection {
        let message = e.to_string();
        let shown = quoted(value);
        let message = if shown.len() < value.len() {
            message.replacen(value, &shown, 1)
        } else {
            message
        };
        self.reject(col, message)
    }
}
