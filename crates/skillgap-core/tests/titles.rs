//! The title coder on the real O*NET 29.0 release, with real employer-coded titles from the
//! tuning file (read at run time, never committed): abbreviations, seniority words, noise after a
//! dash, typos and plurals, codes typed into titles, "no match", labelled titles as evidence, the
//! confidence's range, and the evaluator's figures recomputed by hand.

use std::sync::OnceLock;

use skillgap_core::Catalog;
use skillgap_core::titles::{
    Field, LabelledTitle, TitleIndex, Tuning, evaluate, parse_labelled, soc6,
};

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(skillgap_testkit::real_catalog)
}

fn index() -> &'static TitleIndex {
    static I: OnceLock<TitleIndex> = OnceLock::new();
    I.get_or_init(|| TitleIndex::build(&catalog().occupations, Vec::new(), Tuning::default()))
}

/// The SOC6 codes of the first `k` answers for `title`.
fn top(title: &str, k: usize) -> Vec<String> {
    let c = catalog();
    index()
        .code(&c.occupations, title, k)
        .results
        .iter()
        .map(|r| soc6(c.occupations[r.occupation].occupation.code.as_str()).to_owned())
        .collect()
}

/// A real row of the tuning file: its title and first label.
fn row(title: &str) -> (String, String) {
    let text = skillgap_testkit::titles_rows(&[title]);
    let rows = parse_labelled(&text).unwrap();
    (rows[0].title.clone(), rows[0].codes[0].clone())
}

fn assert_first(title: &str) {
    let (t, label) = row(title);
    let got = top(&t, 5);
    assert_eq!(got.first(), Some(&label), "{t}: {got:?}");
}

#[test]
fn abbreviations() {
    // RN → registered nurse.
    assert_first("RN STAFF NURSE");
    // tech → technician.
    assert_first("Lawn Care Tech");
    assert_first("Irrigation Tech");
}

#[test]
fn seniority_words_do_not_change_the_occupation() {
    assert_first("SENIOR ACCOUNTANT");
    assert_first("SR COMPUTER PROGRAMMER");
    assert_first("SR. ACCOUNTANT I");
    // Seniority alone changes nothing either way.
    assert_eq!(top("SENIOR ACCOUNTANT", 1), top("accountant", 1));
}

#[test]
fn noise_after_a_dash() {
    assert_first("ELECTRICAL ENGINEER III - SUBSTATION DESIGN");
    // The words after the dash weigh less than the title's own.
    let c = catalog();
    let coded = index().code(
        &c.occupations,
        "ELECTRICAL ENGINEER III - SUBSTATION DESIGN",
        1,
    );
    assert_eq!(coded.results[0].matched.words, ["electrical", "engineer"]);
}

#[test]
fn typos_and_plurals() {
    // "PROGRAMER" is one letter from "programmer".
    assert_first("PROGRAMER/ANALYST");
    let c = catalog();
    let coded = index().code(&c.occupations, "PROGRAMER/ANALYST", 5);
    assert!(
        coded
            .corrected
            .iter()
            .any(|(typed, _)| typed == "programer"),
        "{:?}",
        coded.corrected
    );
    // Plural as typed.
    assert_first("Cold Cooks");
}

#[test]
fn codes_typed_into_a_title_come_first() {
    let (t, label) = row("SENIOR ACCOUNTANT");
    // Another occupation's code typed in wins over the words.
    let typed = format!("{t} [15-1252.00]");
    assert_eq!(top(&typed, 1), ["15-1252"]);
    assert_eq!(top(&t, 1), [label]);
}

#[test]
fn no_match_gives_the_nearest_titles() {
    let c = catalog();
    let coded = index().code(&c.occupations, "qqzx vvkj", 5);
    assert!(coded.results.is_empty());
    let coded = index().code(&c.occupations, "Xqzlophonqst", 5);
    assert!(coded.results.is_empty());
    assert!(!coded.nearest.is_empty());
    assert!(
        coded
            .nearest
            .iter()
            .all(|n| n.similarity > 0.0 && n.similarity <= 1.0)
    );
    // Nearest first.
    assert!(
        coded
            .nearest
            .windows(2)
            .all(|w| w[0].similarity >= w[1].similarity)
    );
}

#[test]
fn the_evidence_names_the_title_and_words_matched() {
    let c = catalog();
    let coded = index().code(&c.occupations, "web developer", 3);
    let first = &coded.results[0];
    assert_eq!(
        c.occupations[first.occupation].occupation.code.as_str(),
        "15-1254.00"
    );
    assert_eq!(first.matched.words, ["web", "developer"]);
    assert!(first.matched.title.to_lowercase().contains("web develop"));
    assert_ne!(first.matched.field, Field::Labelled);
}

#[test]
fn labelled_titles_are_evidence_shown_as_such() {
    let c = catalog();
    // A title of the file, loaded with its label.
    let text = skillgap_testkit::titles_rows(&["ANALYST - TRADER"]);
    let rows = parse_labelled(&text).unwrap();
    let labelled: Vec<LabelledTitle> = rows
        .iter()
        .map(|r| LabelledTitle {
            title: r.title.clone(),
            codes: r.codes.clone(),
            source: "mine.csv".into(),
        })
        .collect();
    let with = TitleIndex::build(&c.occupations, labelled, Tuning::default());
    let coded = with.code(&c.occupations, "Analyst - Trader", 3);
    let first = &coded.results[0];
    assert_eq!(
        soc6(c.occupations[first.occupation].occupation.code.as_str()),
        rows[0].codes[0]
    );
    assert_eq!(first.matched.field, Field::Labelled);
    assert_eq!(first.matched.source.as_deref(), Some("mine.csv"));
    // Never mixed into O*NET's lists.
    assert!(
        c.occupations
            .iter()
            .all(|o| !o.alternate_titles.iter().any(|a| a == "ANALYST - TRADER"))
    );
}

#[test]
fn confidence_stays_in_0_1_on_every_title_of_the_file() {
    let c = catalog();
    let text = std::fs::read_to_string(skillgap_testkit::titles_file()).unwrap();
    let rows = parse_labelled(&text).unwrap();
    assert!(rows.len() > 4000);
    let mut seen_high = false;
    let mut seen_low = false;
    for r in &rows {
        for res in index().code(&c.occupations, &r.title, 5).results {
            assert!(
                (0.0..=1.0).contains(&res.confidence),
                "{}: {}",
                r.title,
                res.confidence
            );
            seen_high |= res.confidence > 0.8;
            seen_low |= res.confidence < 0.2;
        }
    }
    // It does discriminate.
    assert!(seen_high && seen_low);
}

#[test]
fn the_evaluator_recomputed_by_hand_for_five_rows() {
    let c = catalog();
    let titles = [
        "SENIOR ACCOUNTANT",
        "RN STAFF NURSE",
        "Cold Cooks",
        "ANALYST - TRADER",
        "PROGRAMER/ANALYST",
    ];
    let text = skillgap_testkit::titles_rows(&titles);
    let rows = parse_labelled(&text).unwrap();
    assert_eq!(rows.len(), 5);
    let e = evaluate(index(), &c.occupations, &rows);
    // By hand: code each row and count.
    let (mut t1, mut t5, mut c1, mut c5) = (0, 0, 0, 0);
    let mut confident = 0;
    for r in &rows {
        let res = index().code(&c.occupations, &r.title, 5).results;
        let codes: Vec<&str> = res
            .iter()
            .map(|x| c.occupations[x.occupation].occupation.code.as_str())
            .collect();
        let label = &r.codes[0];
        let full = format!("{label}.00");
        t1 += usize::from(soc6(codes[0]) == label);
        t5 += usize::from(codes.iter().any(|x| soc6(x) == label));
        c1 += usize::from(codes[0] == full);
        c5 += usize::from(codes.contains(&full.as_str()));
        confident += usize::from(res[0].confidence >= 0.8);
    }
    assert_eq!(e.titles, 5);
    assert_eq!(e.top1_soc6, t1 as f64 / 5.0);
    assert_eq!(e.top5_soc6, t5 as f64 / 5.0);
    assert_eq!(e.top1_code, c1 as f64 / 5.0);
    assert_eq!(e.top5_code, c5 as f64 / 5.0);
    assert_eq!(e.empty, 0);
    assert_eq!(e.confident, confident);
    assert_eq!(e.calibration.iter().map(|b| b.answers).sum::<usize>(), 5);
    // These five were chosen so the figures are not trivial.
    assert!((3..5).contains(&t1), "{t1}");
}

#[test]
fn the_nearest_labelled_titles_vote() {
    // Made-up titles, so O*NET has no name for them: the code most similar labelled titles
    // were given wins, and the confidence stays in [0, 1].
    let c = catalog();
    let label = |title: &str, code: &str| LabelledTitle {
        title: title.into(),
        codes: vec![code.into()],
        source: "mine.csv".into(),
    };
    let labelled = vec![
        label("Quantum Widget Wrangler", "15-1252"),
        label("Widget Wrangler, Platform", "15-1252"),
        label("Widget Wrangler Lead", "15-1252"),
        label("Widget Polisher", "51-9199"),
    ];
    let with = TitleIndex::build(&c.occupations, labelled, Tuning::default());
    let coded = with.code(&c.occupations, "Widget Wrangler II", 5);
    let first = &coded.results[0];
    assert_eq!(
        soc6(c.occupations[first.occupation].occupation.code.as_str()),
        "15-1252"
    );
    assert_eq!(first.matched.field, Field::Labelled);
    assert!(
        coded
            .results
            .iter()
            .all(|r| (0.0..=1.0).contains(&r.confidence))
    );
}

/// Letters whose lower case is longer or shorter in UTF-8 (`Ⱦ` is 2 bytes, `ⱦ` 3) must not
/// move the coder's cut points off a character boundary: every such letter, before and after
/// each tail marker, gives an answer and no panic. (Schemathesis found `Ⱦ` in a query crashing
/// `/occupations`.)
#[test]
fn letters_whose_lower_case_changes_length_do_not_panic() {
    let c = catalog();
    let odd: Vec<char> = (0..=char::MAX as u32)
        .filter_map(char::from_u32)
        .filter(|ch| ch.to_lowercase().map(char::len_utf8).sum::<usize>() != ch.len_utf8())
        .collect();
    assert!(
        odd.contains(&'Ⱦ') && odd.contains(&'İ'),
        "{} letters",
        odd.len()
    );
    for ch in &odd {
        for title in [
            format!("{ch}nurse - night shift"),
            format!("nurse{ch}{ch}, Boston"),
            format!("{ch}{ch}{ch} at acme"),
            format!("director {ch} of nursing (ICU)"),
            format!("n\u{87}K$Ⱦ{ch}\u{1f}Ⱥð»M «Ⱦ\u{1d}[m³t\"¸\u{98}Jv"),
        ] {
            let coded = index().code(&c.occupations, &title, 51);
            assert!(coded.results.len() <= 51, "{title}");
        }
    }
    // The word before the marker still counts: the nurse is found past the odd letters.
    let coded = index().code(&c.occupations, "ȾȾ registered nurse - ICU", 5);
    let first = &c.occupations[coded.results[0].occupation].occupation;
    assert_eq!(soc6(first.code.as_str()), "29-1141");
}
