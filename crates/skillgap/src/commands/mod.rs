//! One module per subcommand, each holding its arguments and its run (`labor` is `load-labor`),
//! and three that several share: [`compare`] (the comparison flags), [`service`] (one question to
//! the application service) and [`text`] (how answers are laid out).

pub mod compare;
pub mod enrich;
pub mod evaluate_titles;
pub mod evaluate_transitions;
pub mod fetch;
pub mod gap;
pub mod labor;
pub mod load;
pub mod load_titles;
pub mod path;
pub mod programmes;
pub mod refresh;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod service;
pub mod status;
pub mod targets;
pub mod text;
pub mod transitions;

use skillgap_store::{DatabaseUrl, Store};

/// Connects to the store, saying which database on failure.
pub(crate) async fn connect(url: &DatabaseUrl) -> anyhow::Result<Store> {
    Ok(Store::connect(url).await?)
}

/// Keeps the store's image and what the catalog yields (relatedness) in the store, after a
/// command changed the data, so that the next `serve` or one-shot answer reads them back instead
/// of reading every row and deriving. The data itself is already stored: failing here only costs
/// that next start the work, so it is said, not fatal.
pub(crate) async fn keep_derived(store: &Store) {
    if let Err(e) = skillgap_app::keep_derived(store).await {
        eprintln!(
            "warning: the store image and relatedness could not be kept ({e}); the next start reads and derives them"
        );
    }
}

/// [`keep_derived`] right after a release load: what `derivation` made from the release in
/// memory while it was written, when the store holds nothing else.
pub(crate) async fn keep_derived_after_load(
    store: &Store,
    derivation: skillgap_app::ReleaseDerivation,
    release_id: i64,
) {
    if let Err(e) = skillgap_app::keep_derived_after_load(store, derivation, release_id).await {
        eprintln!(
            "warning: the store image and relatedness could not be kept ({e}); the next start reads and derives them"
        );
    }
}

/// `1234567` → `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What `load-labor` and `load-programmes` say when their files are loaded already (`what`
/// names them, e.g. `labour-market`).
pub(crate) fn already_loaded(
    json: bool,
    started: std::time::Instant,
    what: &str,
) -> anyhow::Result<std::process::ExitCode> {
    if json {
        println!(
            "{}",
            serde_json::json!({
                "already_loaded": true,
                "elapsed": started.elapsed().as_secs_f64(),
            })
        );
    } else {
        println!("These {what} files are already loaded (same checksums); nothing to do.");
    }
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(61530), "61,530");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
