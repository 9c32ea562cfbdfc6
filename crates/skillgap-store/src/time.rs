//! Times as the store keeps them: RFC 3339 text in UTC, which the three backends compare alike.

/// Current UTC time as RFC 3339 text (stored as text so the three backends compare it alike).
pub(crate) fn now_rfc3339() -> String {
    rfc3339(time::OffsetDateTime::now_utc().unix_timestamp())
}

/// Seconds since the Unix epoch as RFC 3339 text, UTC.
pub fn rfc3339(epoch: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
