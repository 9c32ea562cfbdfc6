//! Reads limited to a few occupations: what a one-shot answer about them needs, and no more.

use skillgap_core::SocCode;

use crate::Backend;

/// The occupations a read is limited to; every occupation when `None`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Only<'a>(pub(crate) Option<&'a [SocCode]>);

impl<'a> Only<'a> {
    /// `sql` with its occupation filter (before any `ORDER BY`), in `backend`'s placeholders.
    pub(crate) fn sql(self, backend: Backend, sql: &str) -> String {
        let Some(codes) = self.0 else {
            return sql.to_owned();
        };
        let marks = vec!["?"; codes.len().max(1)].join(", ");
        let filter = format!(" WHERE onetsoc_code IN ({marks})");
        let sql = match sql.find(" ORDER BY ") {
            Some(at) => format!("{}{filter}{}", &sql[..at], &sql[at..]),
            None => format!("{sql}{filter}"),
        };
        backend.sql(sql).into_owned()
    }

    /// The values bound to [`Only::sql`]'s placeholders; an empty list binds a code no row has.
    pub(crate) fn binds(self) -> Vec<&'a str> {
        match self.0 {
            None => Vec::new(),
            Some([]) => vec![""],
            Some(codes) => codes.iter().map(SocCode::as_str).collect(),
        }
    }
}

/// `sqlx::query(sql)` with every value in `binds` bound, in order.
macro_rules! bound {
    ($sql:expr, $binds:expr) => {{
        let mut q = sqlx::query($sql);
        for b in $binds {
            q = q.bind(*b);
        }
        q
    }};
}
pub(crate) use bound;
