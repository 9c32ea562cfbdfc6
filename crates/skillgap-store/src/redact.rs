//! Passwords out of sight: database URLs and the driver messages that quote them, as shown in
//! messages and logs.

/// Text with any URL in it redacted as by [`redact`] (a driver's message may quote one).
pub fn redact_text(text: &str) -> String {
    if !text.contains("://") {
        return text.to_owned();
    }
    text.split(' ')
        .map(|word| {
            if word.contains("://") {
                redact(word)
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            // Drivers also take passwords as query parameters (`?password=`, `sslpassword`).
            if u.query_pairs()
                .any(|(k, _)| k.to_ascii_lowercase().contains("pass"))
            {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k.to_ascii_lowercase().contains("pass") {
                            "***".to_string()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        // Unparseable: show only the scheme, since the rest might hold a secret.
        Err(_) => format!("{}://…", url.split(':').next().unwrap_or("?")),
    }
}

#[cfg(test)]
mod tests {
    use super::{redact, redact_text};
    use crate::StoreError;

    #[test]
    fn redacts_urls_inside_messages() {
        assert_eq!(
            redact_text("cannot reach mysql://root:hunter2@db:3306/x now"),
            "cannot reach mysql://root:***@db:3306/x now"
        );
        assert_eq!(redact_text("pool timed out"), "pool timed out");
        let e = StoreError::Query(sqlx::Error::PoolTimedOut);
        assert_eq!(
            e.to_string(),
            "database error: pool timed out while waiting for an open connection"
        );
    }

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact("mysql://root:s3cret@db:3306/x"),
            "mysql://root:***@db:3306/x"
        );
        assert_eq!(redact("postgres://u@h/x"), "postgres://u@h/x");
        assert_eq!(redact("sqlite://skillgap.db"), "sqlite://skillgap.db");
        assert!(!redact("mysql://root:s3cret@[bad").contains("s3cret"));
        let q = redact("postgres://u@h/db?sslmode=disable&password=s3cret&sslpassword=x2");
        assert!(
            !q.contains("s3cret") && !q.contains("x2") && q.contains("sslmode=disable"),
            "{q}"
        );
    }
}
