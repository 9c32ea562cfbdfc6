//! The job-title coder: free text as people type it ("sr. software eng II", "Registered Nurse -
//! Neuroscience ICU", "bookseller") to ranked O*NET occupations, each with a score, a calibrated
//! confidence and the evidence: the name it matched and the words that matched.
//!
//! - **Evidence**: every name the release gives an occupation — its title, alternate titles,
//!   short titles and, when the release has it, `Sample of Reported Titles.txt` — each a short
//!   document; and, weaker, its description and task statements. An organisation's own coded
//!   titles (`skillgap load-titles`) are further documents, kept apart and shown as such.
//! - **Ranking**: BM25 written here (k1, b and the field weights tuned on the tuning file), with
//!   bigrams, the head noun weighted up, what follows a dash or comma weighted down, the share
//!   of a name's words matched, a share of the occupation's own title match when another name
//!   won (between occupations sharing an alternate title), and O*NET titles read without their
//!   `, Except …` / `, All Other` qualifiers.
//! - **Labelled titles** vote: every matching labelled title adds a share of its score to its
//!   occupation, and the nearest labelled titles (cosine of idf-weighted words) share out a
//!   vote by similarity, so the code an organisation gave its closest titles wins.
//!   Written in the core rather than taken from `tantivy`: ~70,000 names of a few words each fit
//!   in a few MB, a query is a few posting lists, and the core stays free of I/O and of a search
//!   engine's dependencies.
//! - **Noise** ([`words`]): case, punctuation, plurals, abbreviations, level and seniority words
//!   (and grades or job codes such as `JC50`), codes typed into the title, and typos one edit
//!   away ([`typo`]).
//! - **Confidence** ([`confidence`]): a logistic model of the ranking's own signals, fitted on
//!   the tuning file, read as the probability that the SOC6 is right; a second model is used
//!   when labelled titles are loaded, since they raise scores and margins.

mod coded;
mod confidence;
mod evaluate;
mod index;
mod labelled;
mod typo;
mod words;

pub use coded::{Coded, CodedTitle, Evidence, Field, LabelledTitle, NearestTitle, Tuning, soc6};
pub use evaluate::{CalibrationBin, TitleEvaluation, evaluate};
pub use index::TitleIndex;
pub use labelled::{LabelledError, LabelledRow, parse_labelled, parse_labelled_rows};
