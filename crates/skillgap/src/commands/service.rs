//! The application service for one question on the command line: opened over the store, asked,
//! closed; and how its errors read there.

use skillgap_app::params::parse_code;
use skillgap_app::{AppError, FetchNotice, Reach, Service, Settings, Snapshot};
use skillgap_core::SocCode;

use super::connect;

/// The application service over the store, saying on stderr when it fetches an occupation the
/// store lacks from O*NET Web Services (as the API does, when credentials are configured).
pub(super) async fn open(settings: &Settings) -> anyhow::Result<Service> {
    open_for(settings, &Reach::Everything).await
}

/// [`open`], with only what `reach` asks for read into memory.
async fn open_for(settings: &Settings, reach: &Reach) -> anyhow::Result<Service> {
    let store = connect(&settings.database_url).await?;
    let notice: FetchNotice = Box::new(|code| {
        eprintln!("{code} is not in the store; fetching it from O*NET Web Services…");
    });
    let service = Service::open_for(store, settings, Some(notice), reach).await?;
    if !service.holds_occupations().await {
        anyhow::bail!(
            "the store at {} holds no O*NET release; load one with `skillgap load --onet-dir DIR`",
            service.store().url()
        );
    }
    Ok(service)
}

/// Opens the service, computes one answer with `compute` (fetching what the store lacks first,
/// as the API does), and closes the store.
pub(super) async fn one_shot<T>(
    settings: &Settings,
    compute: impl Fn(&Snapshot) -> Result<T, AppError>,
) -> anyhow::Result<T> {
    one_shot_for(settings, &Reach::Everything, compute).await
}

/// [`one_shot`] reading only what `reach` asks for: a gap between two occupations needs nothing
/// of the others, and transitions by relatedness only the source's closest.
pub(super) async fn one_shot_for<T>(
    settings: &Settings,
    reach: &Reach,
    compute: impl Fn(&Snapshot) -> Result<T, AppError>,
) -> anyhow::Result<T> {
    let service = open_for(settings, reach).await?;
    let body = service.fetching(compute).await.map_err(fail);
    finish(service).await;
    body
}

/// Like [`one_shot`], for a command naming occupations by code or job title: each
/// `(parameter, text)` is resolved first ([`super::resolve::occupation`]; codes only when
/// `strict`), and `compute` gets the codes in the same order. When every one is given as a
/// code, only what `reach` asks for of those codes is read; a job title needs the title
/// index, so everything is.
pub(super) async fn one_shot_named<T>(
    settings: &Settings,
    named: &[(&str, &str)],
    strict: bool,
    reach: impl Fn(&[SocCode]) -> Reach,
    compute: impl Fn(&Snapshot, &[SocCode]) -> Result<T, AppError>,
) -> anyhow::Result<T> {
    // A malformed code under --strict is refused before the store is opened.
    if strict {
        for (parameter, text) in named {
            super::resolve::strict_code(parameter, text)?;
        }
    }
    let given: Option<Vec<SocCode>> = named
        .iter()
        .map(|(parameter, text)| parse_code(parameter, text).ok())
        .collect();
    let service = match given {
        Some(codes) => open_for(settings, &reach(&codes)).await?,
        None => open(settings).await?,
    };
    let snapshot = service.snapshot();
    let codes: anyhow::Result<Vec<_>> = named
        .iter()
        .map(|(parameter, text)| super::resolve::occupation(&snapshot, parameter, text, strict))
        .collect();
    drop(snapshot);
    let body = match codes {
        Ok(codes) => service.fetching(|s| compute(s, &codes)).await.map_err(fail),
        Err(e) => Err(e),
    };
    finish(service).await;
    body
}

/// Closes the store and lets the process's exit free the rest: a one-shot command's service
/// holds the whole catalog (and perhaps the title index), some hundred thousand allocations
/// that would take milliseconds to free one by one just before the process ends anyway.
pub(super) async fn finish(service: Service) {
    service.store().close().await;
    std::mem::forget(service);
}

/// Prints `body` as one line of JSON when `--json` asked for it; `true` when it did.
pub(super) fn printed_json(json: bool, body: &impl serde::Serialize) -> anyhow::Result<bool> {
    if json {
        println!("{}", serde_json::to_string(body)?);
    }
    Ok(json)
}

/// An application error as the command line says it.
pub(super) fn fail(e: AppError) -> anyhow::Error {
    match e {
        AppError::UnknownOccupation(code) => anyhow::anyhow!(
            "no occupation with code {code} is known; find one with `skillgap search WORDS`"
        ),
        AppError::Store(e) => e.into(),
        // Say which value is at fault when the message does not already.
        AppError::InvalidParameter { parameter, detail } if !detail.contains(&parameter) => {
            anyhow::anyhow!("{parameter}: {detail}")
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}
