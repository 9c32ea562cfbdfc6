//! Agreement of the coder with labelled titles: top-1 and top-5 at the full O*NET-SOC code and
//! at SOC6, the empty-answer rate, and calibration by confidence decile.

use serde::Serialize;

use super::coded::soc6;
use super::index::TitleIndex;
use super::labelled::LabelledRow;
use crate::occupation::OccupationEntry;

/// One confidence decile: first answers whose confidence lies in `[from, to)` (the last
/// includes 1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationBin {
    /// Lower bound.
    pub from: f64,
    /// Upper bound.
    pub to: f64,
    /// First answers in the bin.
    pub answers: usize,
    /// Of those, right at SOC6.
    pub right: usize,
    /// `right / answers` (`null` when empty).
    pub share_right: Option<f64>,
    /// Mean confidence of the bin's answers (`null` when empty).
    pub mean_confidence: Option<f64>,
}

/// The evaluator's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TitleEvaluation {
    /// Titles evaluated.
    pub titles: usize,
    /// Share whose first answer is a labelled code (a 6-digit label `NN-NNNN` counts as
    /// `NN-NNNN.00`).
    pub top1_code: f64,
    /// Share with a labelled code among the first five answers.
    pub top5_code: f64,
    /// Share whose first answer's SOC6 is a labelled SOC6.
    pub top1_soc6: f64,
    /// Share with a labelled SOC6 among the first five answers' SOC6.
    pub top5_soc6: f64,
    /// Titles with no answer.
    pub empty: usize,
    /// `empty / titles`.
    pub empty_rate: f64,
    /// First answers with confidence ≥ 0.8.
    pub confident: usize,
    /// Share of those right at SOC6 (`null` when none).
    pub confident_right: Option<f64>,
    /// By confidence decile of the first answer.
    pub calibration: Vec<CalibrationBin>,
}

fn share(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// Codes each labelled title against its labels.
pub fn evaluate(
    index: &TitleIndex,
    occupations: &[OccupationEntry],
    rows: &[LabelledRow],
) -> TitleEvaluation {
    let (mut t1c, mut t5c, mut t1s, mut t5s, mut empty) = (0, 0, 0, 0, 0);
    let mut bins = vec![(0usize, 0usize, 0.0f64); 10];
    for row in rows {
        let full: Vec<String> = row
            .codes
            .iter()
            .map(|c| {
                if c.len() == 7 {
                    format!("{c}.00")
                } else {
                    c.clone()
                }
            })
            .collect();
        let socs: Vec<&str> = row.codes.iter().map(|c| soc6(c)).collect();
        let coded = index.code(occupations, &row.title, 5);
        if coded.results.is_empty() {
            empty += 1;
            continue;
        }
        let codes: Vec<&str> = coded
            .results
            .iter()
            .map(|r| occupations[r.occupation].occupation.code.as_str())
            .collect();
        let code_right = |c: &str| full.iter().any(|f| f == c);
        let soc_right = |c: &str| socs.contains(&soc6(c));
        t1c += usize::from(code_right(codes[0]));
        t5c += usize::from(codes.iter().any(|c| code_right(c)));
        let first_right = soc_right(codes[0]);
        t1s += usize::from(first_right);
        t5s += usize::from(codes.iter().any(|c| soc_right(c)));
        let p = coded.results[0].confidence;
        let bin = ((p * 10.0).floor() as usize).min(9);
        bins[bin].0 += 1;
        bins[bin].1 += usize::from(first_right);
        bins[bin].2 += p;
    }
    let n = rows.len();
    let calibration: Vec<CalibrationBin> = bins
        .iter()
        .enumerate()
        .map(|(i, &(answers, right, sum))| CalibrationBin {
            from: i as f64 / 10.0,
            to: (i + 1) as f64 / 10.0,
            answers,
            right,
            share_right: (answers > 0).then(|| share(right, answers)),
            mean_confidence: (answers > 0).then(|| sum / answers as f64),
        })
        .collect();
    let confident: usize = bins[8..].iter().map(|b| b.0).sum();
    let confident_ok: usize = bins[8..].iter().map(|b| b.1).sum();
    TitleEvaluation {
        titles: n,
        top1_code: share(t1c, n),
        top5_code: share(t5c, n),
        top1_soc6: share(t1s, n),
        top5_soc6: share(t5s, n),
        empty,
        empty_rate: share(empty, n),
        confident,
        confident_right: (confident > 0).then(|| share(confident_ok, confident)),
        calibration,
    }
}
