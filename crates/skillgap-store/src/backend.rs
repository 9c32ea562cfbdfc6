//! What differs between the three databases, kept in one small place: placeholder syntax, upsert
//! syntax, bind limits. Everything else is the same SQL on all three.

use std::borrow::Cow;

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Embedded SQLite, the default.
    Sqlite,
    /// MariaDB or MySQL.
    MySql,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// A short name for messages and `status`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::MySql => "mysql",
            Backend::Postgres => "postgres",
        }
    }

    /// Rewrites `?` placeholders into PostgreSQL's `$1, $2, …`; the others take `?` as written.
    /// Store SQL never has `?` inside a string literal, so a plain scan is exact.
    pub(crate) fn sql(self, q: impl Into<Cow<'static, str>>) -> Cow<'static, str> {
        let q = q.into();
        if self != Backend::Postgres || !q.contains('?') {
            return q;
        }
        let mut out = String::with_capacity(q.len() + 8);
        let mut n = 0;
        for c in q.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }

    /// The clause that turns an `INSERT … VALUES …` into an upsert on `key`.
    pub(crate) fn upsert(self, key: &[&str], update: &[&str]) -> String {
        match self {
            Backend::MySql => format!(
                " ON DUPLICATE KEY UPDATE {}",
                update
                    .iter()
                    .map(|c| format!("{c} = VALUES({c})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Backend::Sqlite | Backend::Postgres => format!(
                " ON CONFLICT ({}) DO UPDATE SET {}",
                key.join(", "),
                update
                    .iter()
                    .map(|c| format!("{c} = excluded.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Bound values per statement. SQLite's limit is 32,766 and the wire protocols of MariaDB and
    /// PostgreSQL allow 65,535; staying well under keeps statements (and MariaDB packets) modest.
    pub(crate) fn max_binds(self) -> usize {
        match self {
            Backend::Sqlite => 32_000,
            Backend::MySql | Backend::Postgres => 30_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_only_for_postgres() {
        let q = "SELECT a FROM t WHERE b = ? AND c = ?";
        assert_eq!(
            Backend::Postgres.sql(q),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
        assert_eq!(Backend::Sqlite.sql(q), q);
        assert_eq!(Backend::MySql.sql(q), q);
    }

    #[test]
    fn upserts_in_each_dialect() {
        assert_eq!(
            Backend::MySql.upsert(&["k"], &["a", "b"]),
            " ON DUPLICATE KEY UPDATE a = VALUES(a), b = VALUES(b)"
        );
        assert_eq!(
            Backend::Postgres.upsert(&["k", "j"], &["a"]),
            " ON CONFLICT (k, j) DO UPDATE SET a = excluded.a"
        );
    }
}
