//! Text similarity for short English documents (titles, task statements): a tokenizer with
//! stop words and a light suffix stemmer, TF-IDF weighting, and cosine similarity over sparse
//! vectors, all pairs at once through an inverted index.
//!
//! Written here rather than taken from a crate: the documents are a few thousand short O*NET
//! statements, so a hundred lines do the job, stay pure, and keep the core free of dependencies.

use std::collections::HashMap;

/// Words too common to tell occupations apart; IDF would weigh them down anyway, but dropping
/// them keeps the vectors short and the all-pairs product fast.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "across",
    "after",
    "against",
    "all",
    "along",
    "also",
    "among",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "do",
    "does",
    "during",
    "each",
    "either",
    "etc",
    "for",
    "from",
    "has",
    "have",
    "how",
    "i",
    "if",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "may",
    "more",
    "most",
    "must",
    "no",
    "nor",
    "not",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "others",
    "over",
    "per",
    "same",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "under",
    "until",
    "up",
    "upon",
    "use",
    "used",
    "using",
    "various",
    "via",
    "was",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "will",
    "with",
    "within",
    "without",
    "would",
];

/// Reduces a lower-case word to a stem, so that `inspects`, `inspected` and `inspecting` meet.
///
/// A light stemmer in the spirit of Porter's first step (plurals, `-ed`, `-ing`), not Porter
/// itself: titles and tasks are short and regular, and a light touch merges fewer unrelated
/// words than a full stemmer would.
pub fn stem(word: &str) -> String {
    let w = word;
    let n = w.len();
    // Only ASCII words are stemmed; the suffix slicing below relies on it.
    if !w.is_ascii() || n <= 3 {
        return w.to_owned();
    }
    let vowel = |s: &str| s.bytes().any(|c| b"aeiouy".contains(&c));
    let mut s = if let Some(stem) = w.strip_suffix("ies").filter(|_| n > 4) {
        format!("{stem}y")
    } else if let Some(stem) = w.strip_suffix("sses") {
        format!("{stem}ss")
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        w.to_owned()
    } else if let Some(stem) = w.strip_suffix('s') {
        stem.to_owned()
    } else {
        w.to_owned()
    };
    for suffix in ["ing", "ed"] {
        if let Some(stem) = s.strip_suffix(suffix)
            && stem.len() >= 3
            && vowel(stem)
        {
            let mut stem = stem.to_owned();
            let b = stem.as_bytes();
            let l = b.len();
            // `planning` → `plan`, but `install`-ing keeps its `ll`.
            if l >= 2 && b[l - 1] == b[l - 2] && !b"lsz".contains(&b[l - 1]) {
                stem.pop();
            }
            s = stem;
            break;
        }
    }
    // `operate` and `operat(ing)` meet by dropping a final `e`.
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    s
}

/// Splits text into lower-case stemmed words of two or more characters, dropping stop words.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).filter_map(token)
}

/// The words of `text` that can make tokens: runs of letters and digits, two or more long.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
}

/// A word's token: lower case and stemmed; `None` for a stop word.
fn token(word: &str) -> Option<String> {
    let w = word.to_lowercase();
    (!STOP_WORDS.contains(&w.as_str())).then(|| stem(&w))
}

/// A sparse vector: `(term id, weight)` pairs sorted by term id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseVector {
    entries: Vec<(u32, f32)>,
}

impl SparseVector {
    /// A vector from `(term, weight)` pairs; `None` unless the terms strictly ascend.
    pub fn from_entries(entries: Vec<(u32, f32)>) -> Option<Self> {
        entries
            .windows(2)
            .all(|w| w[0].0 < w[1].0)
            .then_some(Self { entries })
    }

    /// The `(term, weight)` pairs, by ascending term id.
    pub fn entries(&self) -> &[(u32, f32)] {
        &self.entries
    }

    /// Whether no term has weight.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Dot product by merging the two sorted term lists.
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        let (a, b) = (&self.entries, &other.entries);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// Builds TF-IDF vectors for a collection of documents given as weighted text pieces.
///
/// Term frequency is the sum of the weights of the pieces a term occurs in (so a task marked
/// supplemental can count half), damped as `1 + ln(tf)` when `tf ≥ 1` (and `tf` below that), so
/// that a word repeated across fifty tasks does not drown the rest. IDF is `ln(1 + N / df)`.
/// Vectors are L2-normalised, so a dot product is the cosine similarity.
#[derive(Debug, Default)]
pub struct TfIdf {
    terms: HashMap<String, u32>,
    /// Each word met, as written, to its term (`None`: a stop word): a word is lower-cased and
    /// stemmed once, however often it occurs (most occur many times).
    words: HashMap<String, Option<u32>>,
    /// Per document: its terms, ascending, with their summed piece weights.
    docs: Vec<Vec<(u32, f32)>>,
    /// Per term: its weight so far in the document being added, if it occurs there.
    counts: Vec<Option<f32>>,
    /// The terms of the document being added.
    touched: Vec<u32>,
}

impl TfIdf {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one document made of `(text, weight)` pieces; returns its index.
    pub fn add<'a>(&mut self, pieces: impl IntoIterator<Item = (&'a str, f32)>) -> usize {
        for (text, weight) in pieces {
            for word in words(text) {
                let term = match self.words.get(word) {
                    Some(term) => *term,
                    None => {
                        // Terms are numbered in the order tokens first occur, as if every
                        // token were looked up in turn.
                        let term = token(word).map(|t| {
                            let next = self.terms.len() as u32;
                            *self.terms.entry(t).or_insert(next)
                        });
                        self.words.insert(word.to_owned(), term);
                        term
                    }
                };
                let Some(term) = term else { continue };
                if self.counts.len() <= term as usize {
                    self.counts.resize(term as usize + 1, None);
                }
                let count = self.counts[term as usize].get_or_insert_with(|| {
                    self.touched.push(term);
                    0.0
                });
                *count += weight;
            }
        }
        self.touched.sort_unstable();
        let doc = self
            .touched
            .drain(..)
            .map(|t| (t, self.counts[t as usize].take().unwrap_or_default()))
            .collect();
        self.docs.push(doc);
        self.docs.len() - 1
    }

    /// The normalised TF-IDF vector of every document, in the order added.
    pub fn vectors(self) -> Vec<SparseVector> {
        let mut df = vec![0u32; self.terms.len()];
        for d in &self.docs {
            for (t, _) in d {
                df[*t as usize] += 1;
            }
        }
        let n = self.docs.len() as f32;
        self.docs
            .into_iter()
            .map(|tf| {
                // Terms stay ascending, so the norm adds its squares in term order.
                let mut entries: Vec<(u32, f32)> = tf
                    .into_iter()
                    .filter(|(_, f)| *f > 0.0)
                    .map(|(t, f)| {
                        let tf = if f >= 1.0 { 1.0 + f.ln() } else { f };
                        (t, tf * (1.0 + n / df[t as usize] as f32).ln())
                    })
                    .collect();
                let norm = entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for e in &mut entries {
                        e.1 /= norm;
                    }
                }
                SparseVector { entries }
            })
            .collect()
    }
}

/// Cosine similarity of every pair of vectors, as a dense row-major `n × n` matrix.
///
/// Goes through an inverted index (term → documents holding it), so the work is the sum over
/// terms of `df²` rather than `n²` merges.
pub fn all_pairs(vectors: &[SparseVector]) -> Vec<f32> {
    let n = vectors.len();
    let terms = vectors
        .iter()
        .flat_map(|v| v.entries.last().map(|e| e.0 as usize + 1))
        .max()
        .unwrap_or(0);
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
    for (d, v) in vectors.iter().enumerate() {
        for &(t, w) in &v.entries {
            postings[t as usize].push((d as u32, w));
        }
    }
    let mut out = vec![0.0f32; n * n];
    for (a, v) in vectors.iter().enumerate() {
        let row = &mut out[a * n..(a + 1) * n];
        for &(t, wa) in &v.entries {
            for &(b, wb) in &postings[t as usize] {
                row[b as usize] += wa * wb;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_plurals_and_verb_forms_together() {
        for (w, s) in [
            ("inspects", "inspect"),
            ("inspected", "inspect"),
            ("inspecting", "inspect"),
            ("operate", "operat"),
            ("operating", "operat"),
            ("policies", "policy"),
            ("planning", "plan"),
            ("installing", "install"),
            ("business", "business"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("bus", "bus"),
            ("red", "red"),
        ] {
            assert_eq!(stem(w), s, "{w}");
        }
    }

    #[test]
    fn tokenizes_without_stop_words_or_single_letters() {
        let t: Vec<String> =
            tokens("Inspect and repair the X-ray machines, or 3D printers.").collect();
        assert_eq!(t, ["inspect", "repair", "ray", "machin", "3d", "printer"]);
    }

    #[test]
    fn tf_idf_vectors_are_unit_length_and_weigh_rare_terms_more() {
        let mut c = TfIdf::new();
        c.add([("welding pipes", 1.0)]);
        c.add([("welding steel", 1.0)]);
        c.add([("baking bread", 1.0)]);
        let v = c.vectors();
        for x in &v {
            let norm: f32 = x.entries().iter().map(|e| e.1 * e.1).sum();
            assert!((norm - 1.0).abs() < 1e-6);
        }
        // Doc 0: `weld` (df 2) and `pipe` (df 1): the rarer term weighs more.
        let w = |d: usize, i: usize| v[d].entries()[i].1;
        assert!(w(0, 1) > w(0, 0), "{:?}", v[0]);
        // Idf ln(1 + 3/2) and ln(1 + 3/1), tf 1: cosine of docs 0 and 1 is idf_w² / (idf_w² + idf_r²).
        let (iw, ir) = ((2.5f32).ln(), (4.0f32).ln());
        let expect = iw * iw / (iw * iw + ir * ir);
        assert!((v[0].dot(&v[1]) - expect).abs() < 1e-6);
        assert_eq!(v[0].dot(&v[2]), 0.0);
    }

    #[test]
    fn weights_pieces_and_damps_repeats() {
        let mut c = TfIdf::new();
        c.add([("weld", 1.0), ("weld", 1.0), ("pipe", 0.5)]);
        c.add([("pipe", 1.0)]);
        let v = c.vectors();
        // tf(weld) = 2 → 1 + ln 2, idf ln 3; tf(pipe) = 0.5, idf ln 2.
        let (weld, pipe) = ((1.0 + 2f32.ln()) * 3f32.ln(), 0.5 * 2f32.ln());
        let norm = (weld * weld + pipe * pipe).sqrt();
        let e = v[0].entries();
        assert!((e[0].1 - weld / norm).abs() < 1e-6, "{e:?}");
        assert!((e[1].1 - pipe / norm).abs() < 1e-6, "{e:?}");
    }

    #[test]
    fn spellings_of_one_stem_are_one_term_numbered_where_first_met() {
        let mut c = TfIdf::new();
        c.add([("Pipes the welds", 1.0), ("WELDING pipe", 0.5)]);
        c.add([("Welded", 1.0), ("bread", 1.0)]);
        // Terms by first occurrence: pipe 0, weld 1, bread 2; `the` is a stop word.
        assert_eq!(c.docs, [vec![(0, 1.5), (1, 1.5)], vec![(1, 1.0), (2, 1.0)]]);
        let naive: Vec<String> = ["Pipes the welds", "WELDING pipe", "Welded", "bread"]
            .iter()
            .flat_map(|t| tokens(t).collect::<Vec<_>>())
            .collect();
        assert_eq!(naive, ["pip", "weld", "weld", "pip", "weld", "bread"]);
    }

    #[test]
    fn all_pairs_equals_pairwise_dot_products() {
        let mut c = TfIdf::new();
        for text in [
            "repair engines",
            "repair pipes and engines",
            "bake bread",
            "",
            "inspect pipes",
        ] {
            c.add([(text, 1.0)]);
        }
        let v = c.vectors();
        let m = all_pairs(&v);
        for a in 0..v.len() {
            for b in 0..v.len() {
                assert!((m[a * v.len() + b] - v[a].dot(&v[b])).abs() < 1e-6);
            }
        }
        assert!(m[1] > 0.3 && m[2] == 0.0 && m[3 * 5 + 3] == 0.0);
    }
}
