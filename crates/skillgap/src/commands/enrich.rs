//! `skillgap enrich`: LLM proficiency estimates where O*NET has no ratings (resumable), and
//! `--evaluate N`: how far the model is from O*NET where O*NET does rate.

use std::io::Write;
use std::process::ExitCode;
use std::time::SystemTime;

use futures_util::StreamExt;
use serde::Serialize;
use skillgap_app::{Settings, load_catalog};
use skillgap_core::stats::{mean_absolute_error, spearman};
use skillgap_core::{Catalog, Domain, ElementId, Progress, SocCode};
use skillgap_llm::{
    ChatClient, PROFICIENCY_PROMPT_VERSION, Usage, context_from, proficiency_prompt, rate,
};
use skillgap_store::{LlmEstimate, LlmRun};

use super::connect;
use clap::{Args, ValueEnum};

use crate::BarProgress;

/// A rated domain, as the command line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum DomainArg {
    /// Skills.txt.
    Skills,
    /// Knowledge.txt.
    Knowledge,
    /// Abilities.txt.
    Abilities,
    /// Work Activities.txt.
    WorkActivities,
}

impl From<DomainArg> for Domain {
    fn from(d: DomainArg) -> Self {
        match d {
            DomainArg::Skills => Domain::Skills,
            DomainArg::Knowledge => Domain::Knowledge,
            DomainArg::Abilities => Domain::Abilities,
            DomainArg::WorkActivities => Domain::WorkActivities,
        }
    }
}

/// `skillgap enrich`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("targets").multiple(false))]
pub struct EnrichArgs {
    /// The domain to rate.
    #[arg(long, value_enum, default_value_t = DomainArg::Skills)]
    pub domain: DomainArg,
    /// Every occupation without O*NET ratings in the domain (the default).
    #[arg(long, group = "targets")]
    pub missing_only: bool,
    /// Only these occupations.
    #[arg(long, group = "targets", num_args = 1.., value_name = "CODE")]
    pub occupations: Vec<String>,
    /// Rate N occupations that O*NET does rate and report agreement (MAE, Spearman) with O*NET.
    #[arg(long, group = "targets", value_name = "N")]
    pub evaluate: Option<usize>,
    /// At most N occupations.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Answer attempts per occupation before it is recorded as failed.
const ATTEMPTS: u32 = 3;

fn now() -> String {
    time::OffsetDateTime::from(SystemTime::now())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Serialize, Default)]
struct Summary {
    domain: String,
    model: String,
    prompt_version: &'static str,
    targets: usize,
    done: usize,
    skipped: usize,
    failed: usize,
    failures: Vec<Failure>,
    tokens: Usage,
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluation: Option<Evaluation>,
}

#[derive(Serialize)]
struct Failure {
    code: String,
    error: String,
}

#[derive(Serialize)]
struct Agreement {
    mean_absolute_error: Option<f64>,
    spearman: Option<f64>,
}

#[derive(Serialize)]
struct Evaluation {
    occupations: Vec<String>,
    pairs: usize,
    level: Agreement,
    importance: Agreement,
}

/// The occupations to rate, before skipping finished ones.
fn targets(catalog: &Catalog, domain: Domain, args: &EnrichArgs) -> anyhow::Result<Vec<usize>> {
    let table = catalog.domain(domain).ok_or_else(|| {
        anyhow::anyhow!(
            "no {domain} ratings are loaded ({} was not in the release)",
            domain.file_name()
        )
    })?;
    let mut out: Vec<usize> = if let Some(n) = args.evaluate {
        // Evenly spread over the rated occupations, so the sample spans the taxonomy.
        let rated: Vec<usize> = (0..catalog.occupations.len())
            .filter(|&i| table.profiles(i).onet.is_some())
            .collect();
        let n = n.min(rated.len());
        (0..n).map(|k| rated[k * rated.len() / n.max(1)]).collect()
    } else if !args.occupations.is_empty() {
        let mut out = Vec::new();
        for c in &args.occupations {
            let code = SocCode::parse(c.trim())?;
            out.push(catalog.index_of(code).ok_or_else(|| {
                anyhow::anyhow!("no occupation with code {code} is in the store")
            })?);
        }
        out
    } else {
        (0..catalog.occupations.len())
            .filter(|&i| table.profiles(i).onet.is_none())
            .collect()
    };
    if let Some(limit) = args.limit {
        out.truncate(limit);
    }
    Ok(out)
}

/// Runs `skillgap enrich`.
pub async fn run(settings: &Settings, args: EnrichArgs) -> anyhow::Result<ExitCode> {
    let domain: Domain = args.domain.into();
    let config = settings.llm.clone().ok_or_else(|| {
        anyhow::anyhow!(
            "the LLM is off: set SKILLGAP_LLM_URL (an OpenAI-compatible endpoint such as https://api.openai.com/v1 or http://localhost:11434/v1) and SKILLGAP_LLM_MODEL (see README, \"LLM estimates\")"
        )
    })?;
    let client = ChatClient::new(config.clone());
    let store = connect(&settings.database_url).await?;
    let (catalog, _) = load_catalog(&store).await?;
    let all = targets(&catalog, domain, &args)?;
    let done = store
        .llm_done(domain, &config.model, PROFICIENCY_PROMPT_VERSION)
        .await?;
    let todo: Vec<usize> = all
        .iter()
        .copied()
        .filter(|i| !done.contains(&catalog.occupations[*i].occupation.code))
        .collect();
    let mut summary = Summary {
        domain: domain.to_string(),
        model: config.model.clone(),
        prompt_version: PROFICIENCY_PROMPT_VERSION,
        targets: all.len(),
        skipped: all.len() - todo.len(),
        ..Summary::default()
    };

    let progress = BarProgress::stderr();
    progress.begin(
        &format!("rate {domain} with {}", config.model),
        todo.len() as u64,
    );
    let jobs = todo.iter().map(|&i| {
        let (occupation, descriptors) =
            context_from(&catalog, i, domain).expect("target of a loaded domain");
        let client = client.clone();
        async move {
            let prompt = proficiency_prompt(&occupation, domain, &descriptors);
            let expected: Vec<ElementId> = descriptors.iter().map(|d| d.id.clone()).collect();
            let started = now();
            let result = rate(&client, &prompt, &expected, ATTEMPTS).await;
            (occupation.code, prompt, started, result)
        }
    });
    let mut results = futures_util::stream::iter(jobs).buffer_unordered(config.concurrency);
    while let Some((code, prompt, started_at, result)) = results.next().await {
        let (usage, attempts, raw) = match &result {
            Ok(r) => (r.usage, r.attempts, Some(r.raw.clone())),
            Err(f) => (f.usage, f.attempts, f.raw.clone()),
        };
        let run = LlmRun {
            code,
            domain,
            model: config.model.clone(),
            prompt_version: prompt.version.to_owned(),
            prompt_hash: prompt.hash.clone(),
            started_at,
            finished_at: now(),
            attempts,
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            total_tokens: usage.total_tokens,
            raw_response: raw,
        };
        summary.tokens += usage;
        match result {
            Ok(rated) => {
                let estimates: Vec<LlmEstimate> = rated
                    .estimates
                    .into_iter()
                    .map(|e| LlmEstimate {
                        element: e.element,
                        importance: e.importance,
                        level: e.level,
                        justification: e.justification,
                    })
                    .collect();
                store.store_llm_run(&run, &estimates).await?;
                summary.done += 1;
            }
            Err(failure) => {
                store.record_llm_failure(&run, &failure.error).await?;
                summary.failed += 1;
                summary.failures.push(Failure {
                    code: code.to_string(),
                    error: failure.error,
                });
            }
        }
        progress.advance(1);
    }
    progress.end();

    if args.evaluate.is_some() {
        let (catalog, _) = load_catalog(&store).await?;
        summary.evaluation = Some(evaluate(&catalog, domain, &all));
    }
    super::keep_derived(&store).await;
    store.close().await;
    report(&summary, args.json)?;
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Pools every (LLM, O*NET) pair of the evaluated occupations that have both.
fn evaluate(catalog: &Catalog, domain: Domain, occupations: &[usize]) -> Evaluation {
    let table = catalog
        .domain(domain)
        .expect("checked when choosing targets");
    let (mut level, mut importance) = (Vec::new(), Vec::new());
    let mut used = Vec::new();
    for &i in occupations {
        let p = table.profiles(i);
        let (Some(llm), Some(onet)) = (&p.llm, &p.onet) else {
            continue;
        };
        used.push(catalog.occupations[i].occupation.code.to_string());
        for (l, o) in llm.cells.iter().zip(onet.cells.iter()) {
            if let (Some(a), Some(b)) = (l.level, o.level) {
                level.push((a, b));
            }
            if let (Some(a), Some(b)) = (l.importance, o.importance) {
                importance.push((a, b));
            }
        }
    }
    Evaluation {
        occupations: used,
        pairs: level.len(),
        level: Agreement {
            mean_absolute_error: mean_absolute_error(&level),
            spearman: spearman(&level),
        },
        importance: Agreement {
            mean_absolute_error: mean_absolute_error(&importance),
            spearman: spearman(&importance),
        },
    }
}

fn report(s: &Summary, json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(s)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} occupations for {} with {} ({}): {} rated, {} already done, {} failed; {} tokens ({} prompt, {} completion).",
        s.targets,
        s.domain,
        s.model,
        s.prompt_version,
        s.done,
        s.skipped,
        s.failed,
        s.tokens.total_tokens,
        s.tokens.prompt_tokens,
        s.tokens.completion_tokens
    )?;
    for f in s.failures.iter().take(20) {
        writeln!(out, "  {} failed: {}", f.code, f.error)?;
    }
    if let Some(e) = &s.evaluation {
        let f = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "–".into());
        writeln!(
            out,
            "\nAgreement with O*NET over {} occupations ({} descriptor pairs):",
            e.occupations.len(),
            e.pairs
        )?;
        writeln!(out, "  {:<12} {:>8} {:>9}", "scale", "MAE", "Spearman")?;
        for (scale, agreement) in [("level", &e.level), ("importance", &e.importance)] {
            writeln!(
                out,
                "  {:<12} {:>8} {:>9}",
                scale,
                f(agreement.mean_absolute_error),
                f(agreement.spearman)
            )?;
        }
    }
    Ok(())
}
