//! What the coder answers with and is tuned by: the evidence of a match, a coded title, the
//! nearest titles when nothing matches, and the tuning knobs; shared by the index and the
//! evaluator.

use serde::{Deserialize, Serialize};

use super::confidence;

/// Where a matched name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The occupation's O*NET title.
    Title,
    /// One of O*NET's alternate titles.
    Alternate,
    /// A title incumbents reported (`Sample of Reported Titles.txt`).
    Reported,
    /// One of O*NET's short titles.
    Short,
    /// An organisation's labelled title (`load-titles`), not O*NET's.
    Labelled,
    /// The description and task statements (no name matched).
    Task,
}

impl Field {
    /// The field's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Alternate => "alternate_title",
            Field::Reported => "reported_title",
            Field::Short => "short_title",
            Field::Labelled => "labelled_title",
            Field::Task => "tasks",
        }
    }
}

/// An organisation's coded title, used as evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelledTitle {
    /// The title as the organisation wrote it.
    pub title: String,
    /// The codes it was given: O*NET-SOC codes or 6-digit SOC codes.
    pub codes: Vec<String>,
    /// Where it came from (the file name), shown with the evidence.
    pub source: String,
}

/// Why a result was chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// Which kind of name matched.
    pub field: Field,
    /// The name that matched.
    pub title: String,
    /// The words of the query (as typed, lower case) found in it.
    pub words: Vec<String>,
    /// For a labelled title, the file it was loaded from.
    pub source: Option<String>,
}

/// One ranked occupation.
#[derive(Clone, Debug, PartialEq)]
pub struct CodedTitle {
    /// Index into the catalog's occupations.
    pub occupation: usize,
    /// The ranking score (higher is better; not comparable across queries).
    pub score: f64,
    /// Calibrated probability, in [0, 1], that this occupation (at SOC6) is right.
    pub confidence: f64,
    /// The evidence.
    pub matched: Evidence,
    /// The confidence model's inputs (intercept first), for fitting it.
    pub signals: [f64; 9],
}

/// A title near text the coder could not place.
#[derive(Clone, Debug, PartialEq)]
pub struct NearestTitle {
    /// Index into the catalog's occupations.
    pub occupation: usize,
    /// Its title.
    pub title: String,
    /// Letter-triple (Dice) similarity, in [0, 1].
    pub similarity: f64,
}

/// The coder's answer.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Coded {
    /// Best first; empty when nothing in the text is known ("no match").
    pub results: Vec<CodedTitle>,
    /// When there is no match: the O*NET titles nearest to the text.
    pub nearest: Vec<NearestTitle>,
    /// Words read as another (typed, known stem).
    pub corrected: Vec<(String, String)>,
}

/// The ranking's parameters. [`Tuning::default`] holds the values tuned on the tuning file.
#[derive(Clone, Debug, PartialEq)]
pub struct Tuning {
    /// BM25 term-frequency saturation for names.
    pub k1: f32,
    /// BM25 length normalisation.
    pub b: f32,
    /// Weight of a match on the title, alternate, reported, short and labelled title.
    pub fields: [f32; 5],
    /// Weight of the description and tasks.
    pub task: f32,
    /// BM25 k1 for descriptions and tasks.
    pub task_k1: f32,
    /// Weight of words after a dash, comma or bracket.
    pub tail: f32,
    /// Weight of the head noun.
    pub head: f32,
    /// Weight of a word read through a typo.
    pub typo: f32,
    /// Weight of a pair of neighbouring words.
    pub bigram: f32,
    /// Exponent of the share of a name's words matched.
    pub doc_cover: f32,
    /// Share of the evidence of occupations under the same SOC6 added to an occupation's.
    pub soc6: f32,
    /// Factor for a name that is exactly the query's words (all of each matched).
    pub exact: f32,
    /// Share of the scores of an occupation's other matching names added to its best.
    pub others: f32,
    /// Weight of `ln(1 + names)`: occupations many titles lead to are likelier.
    pub prior: f32,
    /// Share of the scores of an occupation's other matching labelled titles added to it: a
    /// vote of the labelled neighbours, so a code many similar titles were given wins.
    pub vote: f32,
    /// Share of the occupation's O*NET title match added when its best name is another:
    /// between occupations that share an alternate title, the one whose own title has the
    /// query's words is likelier.
    pub title_share: f32,
    /// Weight of the nearest labelled titles' vote (each occupation's share of it, times the
    /// best score).
    pub knn: f32,
    /// How many nearest labelled titles vote.
    pub knn_k: f32,
    /// Exponent of a neighbour's similarity in its vote: higher, the closest count more.
    pub knn_p: f32,
    /// Logistic confidence coefficients (see [`confidence`]), release only.
    pub confidence: [f64; 9],
    /// Logistic confidence coefficients when labelled titles are loaded.
    pub confidence_labelled: [f64; 9],
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            k1: 0.9,
            b: 0.3,
            fields: [1.5, 1.0, 1.0, 0.8, 1.0],
            task: 0.2,
            task_k1: 1.2,
            tail: 0.5,
            head: 1.0,
            typo: 1.0,
            bigram: 0.0,
            doc_cover: 1.0,
            soc6: 0.0,
            exact: 1.25,
            others: 0.0,
            prior: 0.1,
            vote: 0.25,
            title_share: 0.2,
            knn: 0.4,
            knn_k: 20.0,
            knn_p: 2.0,
            confidence: confidence::DEFAULT,
            confidence_labelled: confidence::LABELLED,
        }
    }
}

impl Tuning {
    pub(super) fn field(&self, f: Field) -> f32 {
        match f {
            Field::Title => self.fields[0],
            Field::Alternate => self.fields[1],
            Field::Reported => self.fields[2],
            Field::Short => self.fields[3],
            Field::Labelled => self.fields[4],
            Field::Task => self.task,
        }
    }
}

/// SOC6 of an O*NET-SOC code (its first seven characters, `15-1254.00` → `15-1254`).
pub fn soc6(code: &str) -> &str {
    code.get(..7).unwrap_or(code)
}
