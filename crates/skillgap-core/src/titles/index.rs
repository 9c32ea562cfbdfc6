//! The index and the ranking: BM25 over every name the release (and the organisation's labelled
//! titles) give an occupation, one short document per name, plus a weaker BM25 over each
//! occupation's description and task statements.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::coded::{Coded, CodedTitle, Evidence, Field, LabelledTitle, NearestTitle, Tuning, soc6};
use super::confidence::{self, Features};
use super::typo::Typos;
use super::words::{self, Word, head, take_codes};
use crate::occupation::OccupationEntry;
use crate::text;

#[derive(Clone, Debug)]
struct Doc {
    occupation: u32,
    field: Field,
    /// Index into the labelled titles when `field` is `Labelled`, else into the occupation's
    /// list of that field.
    item: u32,
    /// Distinct unigram term ids.
    terms: Vec<u32>,
    /// Unigram count (BM25's length).
    len: f32,
    /// Euclidean norm of its idf-weighted unigrams, for the cosine of the labelled
    /// neighbours.
    norm: f32,
}

/// The title coder's index, built once per catalog.
#[derive(Clone)]
pub struct TitleIndex {
    tuning: Tuning,
    /// Every name, one document each.
    names: Names,
    /// Descriptions and tasks, one document per occupation.
    tasks: Tasks,
    /// SOC6 group of each occupation.
    group: Vec<u32>,
    groups: usize,
    /// Codes (full and SOC6) to occupations.
    codes: HashMap<String, Vec<u32>>,
    labelled: Vec<LabelledTitle>,
    /// Lower-case titles with their letter trigrams, for "no match".
    trigrams: Vec<Vec<[char; 3]>>,
}

impl std::fmt::Debug for TitleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TitleIndex({} names, {} terms, {} labelled)",
            self.names.docs.len(),
            self.names.terms.len(),
            self.labelled.len()
        )
    }
}

fn bigram(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

fn trigrams(s: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(
            s.to_lowercase()
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' }),
        )
        .chain(std::iter::once(' '))
        .collect();
    let mut out: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn dice(a: &[[char; 3]], b: &[[char; 3]]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    if a.is_empty() && b.is_empty() {
        0.0
    } else {
        2.0 * both as f64 / (a.len() + b.len()) as f64
    }
}

#[derive(Default)]
struct Builder {
    vocab: HashMap<String, u32>,
    terms: Vec<String>,
    postings: Vec<Vec<(u32, u16)>>,
    docs: Vec<Doc>,
    seen: HashMap<(u32, Vec<u32>), ()>,
}

impl Builder {
    fn term(&mut self, t: &str) -> u32 {
        if let Some(&id) = self.vocab.get(t) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.vocab.insert(t.to_owned(), id);
        self.terms.push(t.to_owned());
        self.postings.push(Vec::new());
        id
    }

    /// Adds the names in `names`, in order. Their words are found first, in parallel (most of
    /// the build's time); the terms are then numbered in the names' order, as one by one.
    fn add_all(&mut self, names: &[Name<'_>]) {
        let words: Vec<Vec<String>> = names
            .par_iter()
            .map(|n| {
                words::words(&n.text, false)
                    .into_iter()
                    .map(|w| w.term)
                    .collect()
            })
            .collect();
        let mut key_buf = String::new();
        for (n, terms) in names.iter().zip(words) {
            self.add_terms(n, &terms, &mut key_buf);
        }
    }

    fn add_terms(&mut self, name: &Name<'_>, terms: &[String], key_buf: &mut String) {
        if terms.is_empty() {
            return;
        }
        let unigrams: Vec<u32> = terms.iter().map(|t| self.term(t)).collect();
        // The same name twice for one occupation counts once (its first, strongest field).
        let mut key = unigrams.clone();
        key.sort_unstable();
        key.dedup();
        if self
            .seen
            .insert((name.occupation, key.clone()), ())
            .is_some()
        {
            return;
        }
        let doc = self.docs.len() as u32;
        // A name has a handful of terms: a short list beats a map.
        let mut counts: Vec<(u32, u16)> = Vec::with_capacity(2 * terms.len());
        let mut count = |t: u32| match counts.iter_mut().find(|c| c.0 == t) {
            Some(c) => c.1 += 1,
            None => counts.push((t, 1)),
        };
        for &t in &unigrams {
            count(t);
        }
        for pair in terms.windows(2) {
            key_buf.clear();
            key_buf.push_str(&pair[0]);
            key_buf.push(' ');
            key_buf.push_str(&pair[1]);
            count(self.term(key_buf));
        }
        for (t, n) in counts {
            self.postings[t as usize].push((doc, n));
        }
        self.docs.push(Doc {
            occupation: name.occupation,
            field: name.field,
            item: name.item,
            terms: key,
            len: unigrams.len() as f32,
            norm: 0.0,
        });
    }
}

/// One name to index, as the index takes it.
struct Name<'a> {
    occupation: u32,
    field: Field,
    item: u32,
    text: Cow<'a, str>,
}

impl<'a> Name<'a> {
    /// Pushes a name; a name with a bracketed part (`Information Technology Manager (IT
    /// Manager)`, `CEO (Chief Executive Officer)`) also counts as each part alone.
    fn push(names: &mut Vec<Name<'a>>, occupation: u32, field: Field, item: u32, title: &'a str) {
        let mut one = |text: Cow<'a, str>| {
            names.push(Name {
                occupation,
                field,
                item,
                text,
            })
        };
        if let Some(open) = title.find('(')
            && let Some(close) = title[open..].find(')')
        {
            let inner = &title[open + 1..open + close];
            let outer = format!("{} {}", &title[..open], &title[open + close + 1..]);
            one(Cow::Owned(outer));
            one(Cow::Borrowed(inner));
        }
        one(Cow::Borrowed(title));
    }
}

fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The names half of the index: BM25 over every name, with its typo and completion tables.
#[derive(Clone)]
struct Names {
    docs: Vec<Doc>,
    vocab: HashMap<String, u32>,
    terms: Vec<String>,
    idf: Vec<f32>,
    postings: Vec<Vec<(u32, u16)>>,
    avg_len: f32,
    typos: Typos,
    /// Unigram term ids in term order, for completing a word being typed.
    sorted: Vec<u32>,
    /// ln(1 + names) of each occupation: a prior for occupations many titles lead to.
    breadth: Vec<f32>,
}

impl Names {
    fn build(
        occupations: &[OccupationEntry],
        codes: &HashMap<String, Vec<u32>>,
        labelled: &[LabelledTitle],
    ) -> Self {
        let mut b = Builder::default();
        let mut names = Vec::new();
        for (i, o) in occupations.iter().enumerate() {
            Name::push(
                &mut names,
                i as u32,
                Field::Title,
                0,
                core_title(&o.occupation.title),
            );
        }
        for (i, o) in occupations.iter().enumerate() {
            for (a, t) in o.alternate_titles.iter().enumerate() {
                Name::push(&mut names, i as u32, Field::Alternate, a as u32, t);
            }
        }
        for (i, o) in occupations.iter().enumerate() {
            for (a, t) in o.reported_titles.iter().enumerate() {
                Name::push(&mut names, i as u32, Field::Reported, a as u32, t);
            }
        }
        for (i, o) in occupations.iter().enumerate() {
            for (a, t) in o.short_titles.iter().enumerate() {
                Name::push(&mut names, i as u32, Field::Short, a as u32, t);
            }
        }
        for (l, t) in labelled.iter().enumerate() {
            for occ in resolve(codes, occupations, &t.codes) {
                Name::push(&mut names, occ, Field::Labelled, l as u32, &t.title);
            }
        }
        b.add_all(&names);
        let mut names = vec![0u32; occupations.len()];
        for d in &b.docs {
            names[d.occupation as usize] += 1;
        }
        let breadth = names.iter().map(|&n| (n as f32).ln_1p()).collect();
        let n = b.docs.len() as f32;
        let idf_all: Vec<f32> = b.postings.iter().map(|p| idf(n, p.len() as f32)).collect();
        for d in &mut b.docs {
            d.norm = d
                .terms
                .iter()
                .map(|&t| idf_all[t as usize].powi(2))
                .sum::<f32>()
                .sqrt();
        }
        let avg_len = b.docs.iter().map(|d| d.len).sum::<f32>() / n.max(1.0);
        let mut typos = Typos::default();
        for (id, t) in b.terms.iter().enumerate() {
            if !t.contains(' ') {
                typos.add(t, id as u32);
            }
        }

        let mut sorted: Vec<u32> = (0..b.terms.len() as u32)
            .filter(|&i| !b.terms[i as usize].contains(' '))
            .collect();
        sorted.sort_by(|&x, &y| b.terms[x as usize].cmp(&b.terms[y as usize]));
        Names {
            docs: b.docs,
            vocab: b.vocab,
            terms: b.terms,
            idf: idf_all,
            postings: b.postings,
            avg_len,
            typos,
            sorted,
            breadth,
        }
    }
}

/// The weaker half: BM25 over each occupation's description and task statements.
#[derive(Clone)]
struct Tasks {
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    postings: Vec<Vec<(u32, f32)>>,
    len: Vec<f32>,
    avg_len: f32,
}

impl Tasks {
    fn build(occupations: &[OccupationEntry]) -> Self {
        let mut task_vocab: HashMap<String, u32> = HashMap::default();
        let mut task_postings: Vec<Vec<(u32, f32)>> = Vec::new();
        let mut task_len = Vec::with_capacity(occupations.len());
        for (i, o) in occupations.iter().enumerate() {
            let mut counts: HashMap<u32, f32> = HashMap::default();
            let mut len = 0.0;
            let pieces = std::iter::once(o.occupation.description.as_str())
                .chain(o.tasks.iter().map(|t| t.text.as_str()));
            for piece in pieces {
                for w in text::tokens(piece) {
                    let next = task_vocab.len() as u32;
                    let id = *task_vocab.entry(w).or_insert_with(|| {
                        task_postings.push(Vec::new());
                        next
                    });
                    *counts.entry(id).or_default() += 1.0;
                    len += 1.0;
                }
            }
            for (t, c) in counts {
                task_postings[t as usize].push((i as u32, c));
            }
            task_len.push(len);
        }
        let m = occupations.len() as f32;
        let task_idf = task_postings
            .iter()
            .map(|p| idf(m, p.len() as f32))
            .collect();
        let task_avg_len = task_len.iter().sum::<f32>() / m.max(1.0);
        Tasks {
            vocab: task_vocab,
            idf: task_idf,
            postings: task_postings,
            len: task_len,
            avg_len: task_avg_len,
        }
    }
}

impl TitleIndex {
    /// Builds the index from the catalog's occupations and an organisation's labelled titles.
    pub fn build(
        occupations: &[OccupationEntry],
        labelled: Vec<LabelledTitle>,
        tuning: Tuning,
    ) -> Self {
        let mut codes: HashMap<String, Vec<u32>> = HashMap::default();
        let mut group_of: HashMap<&str, u32> = HashMap::default();
        let mut group = Vec::with_capacity(occupations.len());
        for (i, o) in occupations.iter().enumerate() {
            let code = o.occupation.code.as_str();
            codes.entry(code.to_owned()).or_default().push(i as u32);
            codes
                .entry(soc6(code).to_owned())
                .or_default()
                .push(i as u32);
            let n = group_of.len() as u32;
            group.push(*group_of.entry(soc6(code)).or_insert(n));
        }
        let groups = group_of.len();
        // The names, the descriptions and tasks, and the titles' trigrams are independent:
        // built at once, the index is ready in about half the time on two cores.
        let (names, (tasks, trigrams)) = rayon::join(
            || Names::build(occupations, &codes, &labelled),
            || {
                rayon::join(
                    || Tasks::build(occupations),
                    || {
                        occupations
                            .iter()
                            .map(|o| trigrams(&o.occupation.title))
                            .collect::<Vec<_>>()
                    },
                )
            },
        );
        Self {
            tuning,
            names,
            tasks,
            group,
            groups,
            codes,
            labelled,
            trigrams,
        }
    }

    /// Sets the ranking's parameters (the index itself does not depend on them).
    pub fn set_tuning(&mut self, tuning: Tuning) {
        self.tuning = tuning;
    }

    /// The labelled titles the index holds.
    pub fn labelled(&self) -> &[LabelledTitle] {
        &self.labelled
    }

    /// Ranks occupations for a job title, best first, at most `limit`.
    pub fn code(&self, occupations: &[OccupationEntry], title: &str, limit: usize) -> Coded {
        let t = &self.tuning;
        let (typed_codes, rest) = take_codes(title);
        let ws = words::words(&rest, true);
        // Each word's term: known, or a known word one edit away, or none.
        let mut resolved: Vec<Option<(u32, bool)>> = Vec::with_capacity(ws.len());
        let last = ws.len().wrapping_sub(1);
        // The last word may be half typed (a search box): its commonest completion.
        let typing = !rest.ends_with(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        for (i, w) in ws.iter().enumerate() {
            let found = match self.names.vocab.get(&w.term) {
                Some(&id) => Some((id, false)),
                None if i == last && typing && w.typed.len() >= 3 => {
                    self.completion(&w.typed).map(|id| (id, false)).or_else(|| {
                        self.names
                            .typos
                            .candidates(&w.term, |id| &self.names.terms[id as usize])
                            .into_iter()
                            .max_by_key(|&id| {
                                (
                                    self.names.postings[id as usize].len(),
                                    std::cmp::Reverse(id),
                                )
                            })
                            .map(|id| (id, true))
                    })
                }
                None => self
                    .names
                    .typos
                    .candidates(&w.term, |id| &self.names.terms[id as usize])
                    .into_iter()
                    .max_by_key(|&id| {
                        (
                            self.names.postings[id as usize].len(),
                            std::cmp::Reverse(id),
                        )
                    })
                    .map(|id| (id, true)),
            };
            resolved.push(found);
        }
        // A word run together from two known words (`bookseller`): read as both.
        let mut ws = ws;
        let mut i = 0;
        while i < ws.len() {
            if resolved[i].is_none()
                && let Some((a, b)) = self.split(&ws[i].typed)
            {
                let mut second = ws[i].clone();
                second.term = self.names.terms[b as usize].clone();
                ws.insert(i + 1, second);
                resolved[i] = Some((a, false));
                resolved.insert(i + 1, Some((b, false)));
                i += 1;
            }
            i += 1;
        }
        let head = head(&ws, &rest);
        // Query terms and weights.
        let mut query: Vec<(u32, f32, bool)> = Vec::new(); // (term, weight, unigram)
        let mut push =
            |term: u32, weight: f32, unigram: bool| match query.iter_mut().find(|q| q.0 == term) {
                Some(q) => q.1 = q.1.max(weight),
                None => query.push((term, weight, unigram)),
            };
        for (i, (w, r)) in ws.iter().zip(&resolved).enumerate() {
            if let Some((id, typo)) = r {
                let mut weight = if w.tail { t.tail } else { 1.0 };
                if Some(i) == head {
                    weight *= t.head;
                }
                if *typo {
                    weight *= t.typo;
                }
                push(*id, weight, true);
            }
        }
        for i in 1..ws.len() {
            if ws[i - 1].tail || ws[i].tail {
                continue;
            }
            let (Some((a, _)), Some((b, _))) = (resolved[i - 1], resolved[i]) else {
                continue;
            };
            let key = bigram(&self.names.terms[a as usize], &self.names.terms[b as usize]);
            if let Some(&id) = self.names.vocab.get(&key) {
                push(id, t.bigram, false);
            }
        }
        let unigram_weight: f32 = query.iter().filter(|q| q.2).map(|q| q.1).sum();

        // BM25 over names.
        // doc → (score, matched, matched weight, idf-weighted dot product)
        let mut acc: HashMap<u32, (f32, u16, f32, f32)> = HashMap::default();
        for &(term, weight, unigram) in &query {
            let idf = self.names.idf[term as usize];
            for &(doc, tf) in &self.names.postings[term as usize] {
                let d = &self.names.docs[doc as usize];
                let tf = f32::from(tf);
                let norm = t.k1 * (1.0 - t.b + t.b * d.len / self.names.avg_len);
                let s = weight * idf * tf * (t.k1 + 1.0) / (tf + norm);
                let e = acc.entry(doc).or_default();
                e.0 += s;
                if unigram {
                    e.1 += 1;
                    e.2 += weight;
                    e.3 += weight * idf * idf;
                }
            }
        }
        let query_norm = query
            .iter()
            .filter(|q| q.2)
            .map(|q| (q.1 * self.names.idf[q.0 as usize]).powi(2))
            .sum::<f32>()
            .sqrt();
        // The labelled titles nearest the query (cosine of idf-weighted words).
        let mut neighbours: Vec<(f32, u32)> = Vec::new();
        let n = occupations.len();
        // Per occupation: best name (score, doc, matched weight), and the sum over its names.
        let mut best: Vec<Option<(f32, u32, f32)>> = vec![None; n];
        let mut sum = vec![0.0f32; n];
        let mut votes = vec![0.0f32; n];
        let mut titled = vec![0.0f32; n];
        for (&doc, &(s, matched, mw, dot)) in &acc {
            let d = &self.names.docs[doc as usize];
            if d.field == Field::Labelled && query_norm > 0.0 && d.norm > 0.0 {
                neighbours.push((dot / (query_norm * d.norm), doc));
            }
            let cover = (f32::from(matched) / (d.terms.len() as f32).max(1.0)).min(1.0);
            let mut s = s * t.field(d.field) * cover.powf(t.doc_cover);
            // The name is exactly the query's words.
            if cover >= 1.0 && mw >= unigram_weight - 1e-6 {
                s *= t.exact;
            }
            if d.field == Field::Labelled {
                votes[d.occupation as usize] += s;
            }
            if d.field == Field::Title {
                let e = &mut titled[d.occupation as usize];
                *e = e.max(s);
            }
            sum[d.occupation as usize] += s;
            let slot = &mut best[d.occupation as usize];
            if slot.is_none_or(|(b, bd, _)| s > b || (s == b && doc < bd)) {
                *slot = Some((s, doc, mw));
            }
        }
        // BM25 over descriptions and tasks.
        let mut task = vec![0.0f32; n];
        if t.task > 0.0 {
            for (w, r) in ws.iter().zip(&resolved) {
                let term = match r {
                    Some((id, _)) => self.names.terms[*id as usize].as_str(),
                    None => w.term.as_str(),
                };
                let Some(&id) = self.tasks.vocab.get(term) else {
                    continue;
                };
                let weight = if w.tail { t.tail } else { 1.0 };
                let idf = self.tasks.idf[id as usize];
                for &(occ, tf) in &self.tasks.postings[id as usize] {
                    let norm = t.task_k1
                        * (1.0 - t.b + t.b * self.tasks.len[occ as usize] / self.tasks.avg_len);
                    task[occ as usize] += weight * idf * tf * (t.task_k1 + 1.0) / (tf + norm);
                }
            }
        }
        // A vote of the nearest labelled titles: each occupation's share of their similarity
        // (sharpened), so the code the closest titles were given wins.
        let mut knn = vec![0.0f32; n];
        if t.knn > 0.0 && !neighbours.is_empty() {
            let k = (t.knn_k as usize).max(1);
            if neighbours.len() > k {
                neighbours
                    .select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                neighbours.truncate(k);
            }
            let mut total = 0.0;
            for &(sim, doc) in &neighbours {
                let v = sim.powf(t.knn_p);
                knn[self.names.docs[doc as usize].occupation as usize] += v;
                total += v;
            }
            if total > 0.0 {
                for v in &mut knn {
                    *v /= total;
                }
            }
        }
        let best_score = best.iter().flatten().map(|b| b.0).fold(0.0f32, f32::max);
        let mut score: Vec<f32> = (0..n)
            .map(|i| match best[i] {
                Some((b, _, _)) => {
                    let title = if titled[i] < b { titled[i] } else { 0.0 };
                    b + t.others * (sum[i] - b)
                        + t.title_share * title
                        + t.vote * votes[i]
                        + t.knn * knn[i] * best_score
                        + t.task * task[i]
                        + t.prior * self.names.breadth[i]
                }
                None => t.task * task[i],
            })
            .collect();
        // Occupations sharing a SOC6 lend each other a share of their evidence.
        if t.soc6 > 0.0 {
            let mut sum = vec![0.0f32; self.groups];
            for (i, s) in score.iter().enumerate() {
                sum[self.group[i] as usize] += s;
            }
            for (i, s) in score.iter_mut().enumerate() {
                if *s > 0.0 {
                    *s += t.soc6 * (sum[self.group[i] as usize] - *s);
                }
            }
        }
        // Codes typed into the title come first.
        let top = score.iter().copied().fold(0.0f32, f32::max).max(1.0);
        for c in &typed_codes {
            for &occ in self.codes.get(c).into_iter().flatten() {
                score[occ as usize] += 2.0 * top;
            }
        }
        let mut ranked: Vec<u32> = (0..n as u32).filter(|&i| score[i as usize] > 0.0).collect();
        ranked.sort_by(|&a, &b| {
            score[b as usize]
                .total_cmp(&score[a as usize])
                .then(a.cmp(&b))
        });
        let considered = &ranked[..ranked.len().min(limit.max(2) + 8)];
        let s1 = considered.first().map_or(0.0, |&i| score[i as usize]);
        // The best score of another SOC6, for the margin of the first.
        let s2 = considered
            .iter()
            .skip(1)
            .find(|&&i| {
                Some(self.group[i as usize]) != considered.first().map(|&f| self.group[f as usize])
            })
            .map_or(0.0, |&i| score[i as usize]);
        // Labelled titles raise scores and margins: their own model keeps the confidence
        // calibrated.
        let coefficients = if self.labelled.is_empty() {
            &t.confidence
        } else {
            &t.confidence_labelled
        };
        let mut results = Vec::new();
        for (rank, &occ) in considered.iter().take(limit).enumerate() {
            let s = score[occ as usize];
            let (evidence, matched_weight, doc_cover) = match best[occ as usize] {
                Some((_, doc, mw)) => {
                    let d = &self.names.docs[doc as usize];
                    let words = matched_words(&ws, &resolved, &d.terms);
                    let cover = words.len() as f32 / (d.terms.len() as f32).max(1.0);
                    (self.evidence(occupations, d, words), mw, cover.min(1.0))
                }
                None => (
                    Evidence {
                        field: Field::Task,
                        title: occupations[occ as usize].occupation.title.clone(),
                        words: ws
                            .iter()
                            .filter(|w| !w.tail)
                            .map(|w| w.typed.clone())
                            .collect(),
                        source: None,
                    },
                    0.0,
                    0.0,
                ),
            };
            let typed = typed_codes
                .iter()
                .any(|c| self.codes.get(c).is_some_and(|v| v.contains(&occ)));
            let features = Features {
                relative: if s1 > 0.0 { s / s1 } else { 0.0 },
                margin: if rank == 0 && s1 > 0.0 {
                    (s1 - s2) / s1
                } else {
                    0.0
                },
                query_cover: if unigram_weight > 0.0 {
                    matched_weight / unigram_weight
                } else {
                    0.0
                },
                doc_cover,
                score: s,
                first: rank == 0,
                labelled: evidence.field == Field::Labelled,
                typed_code: typed,
            };
            results.push(CodedTitle {
                occupation: occ as usize,
                score: f64::from(s),
                confidence: confidence::confidence(coefficients, &features),
                matched: evidence,
                signals: features.vector(),
            });
        }
        let nearest = if results.is_empty() {
            self.nearest(occupations, &rest, 5)
        } else {
            Vec::new()
        };
        Coded {
            results,
            nearest,
            corrected: ws
                .iter()
                .zip(&resolved)
                .filter_map(|(w, r)| match r {
                    Some((id, true)) => {
                        Some((w.typed.clone(), self.names.terms[*id as usize].clone()))
                    }
                    _ => None,
                })
                .collect(),
        }
    }

    /// Two known words that make up `word` (each at least three letters), the split whose
    /// rarer part is commonest.
    fn split(&self, word: &str) -> Option<(u32, u32)> {
        if word.len() < 7 || !word.is_ascii() {
            return None;
        }
        (3..=word.len() - 3)
            .filter_map(|k| {
                let a = *self.names.vocab.get(&crate::text::stem(&word[..k]))?;
                let b = *self.names.vocab.get(&crate::text::stem(&word[k..]))?;
                let df = self.names.postings[a as usize]
                    .len()
                    .min(self.names.postings[b as usize].len());
                Some((df, a, b))
            })
            .max_by_key(|&(df, a, b)| (df, std::cmp::Reverse((a, b))))
            .map(|(_, a, b)| (a, b))
    }

    /// The known word starting with `prefix` that most names have.
    fn completion(&self, prefix: &str) -> Option<u32> {
        let start = self
            .names
            .sorted
            .partition_point(|&id| self.names.terms[id as usize].as_str() < prefix);
        self.names.sorted[start..]
            .iter()
            .take_while(|&&id| self.names.terms[id as usize].starts_with(prefix))
            .take(200)
            .copied()
            .max_by_key(|&id| {
                (
                    self.names.postings[id as usize].len(),
                    std::cmp::Reverse(id),
                )
            })
    }

    fn evidence(&self, occupations: &[OccupationEntry], d: &Doc, words: Vec<String>) -> Evidence {
        let o = &occupations[d.occupation as usize];
        let (title, source) = match d.field {
            Field::Title => (o.occupation.title.clone(), None),
            Field::Alternate => (o.alternate_titles[d.item as usize].clone(), None),
            Field::Reported => (o.reported_titles[d.item as usize].clone(), None),
            Field::Short => (o.short_titles[d.item as usize].clone(), None),
            Field::Labelled => {
                let l = &self.labelled[d.item as usize];
                (l.title.clone(), Some(l.source.clone()))
            }
            Field::Task => (o.occupation.title.clone(), None),
        };
        Evidence {
            field: d.field,
            title,
            words,
            source,
        }
    }

    /// The O*NET titles nearest to the text by shared letter triples.
    fn nearest(&self, occupations: &[OccupationEntry], text: &str, k: usize) -> Vec<NearestTitle> {
        let q = trigrams(text);
        if q.len() <= 2 {
            return Vec::new();
        }
        let mut scored: Vec<(f64, usize)> = self
            .trigrams
            .iter()
            .enumerate()
            .map(|(i, t)| (dice(&q, t), i))
            .filter(|(s, _)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take(k)
            .map(|(similarity, i)| NearestTitle {
                occupation: i,
                title: occupations[i].occupation.title.clone(),
                similarity,
            })
            .collect()
    }
}

/// An O*NET title without the SOC's qualifiers: `Ophthalmologists, Except Pediatric` names
/// ophthalmologists, and `Surgeons, All Other` surgeons; the qualifier's words are not the
/// occupation's and only dilute the match.
fn core_title(title: &str) -> &str {
    let lower = title.to_ascii_lowercase();
    let cut = [", except", " except ", ", all other", " all other"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min();
    match cut {
        Some(p) if p > 0 && title.is_char_boundary(p) => &title[..p],
        _ => title,
    }
}

/// The query words (as typed) whose terms the name has.
fn matched_words(ws: &[Word], resolved: &[Option<(u32, bool)>], terms: &[u32]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (w, r) in ws.iter().zip(resolved) {
        if let Some((id, _)) = r
            && terms.binary_search(id).is_ok()
            && !out.contains(&w.typed)
        {
            out.push(w.typed.clone());
        }
    }
    out
}

/// The occupations a labelled title's codes name: an O*NET-SOC code itself, or for a 6-digit
/// SOC code its `.00` occupation, else every occupation under it.
pub(crate) fn resolve(
    codes: &HashMap<String, Vec<u32>>,
    occupations: &[OccupationEntry],
    wanted: &[String],
) -> Vec<u32> {
    let mut out = Vec::new();
    for c in wanted {
        let c = c.trim();
        let hits: Vec<u32> = if c.len() == 10 {
            codes
                .get(c)
                .cloned()
                .unwrap_or_else(|| codes.get(soc6(c)).cloned().unwrap_or_default())
        } else {
            let under = codes.get(c).cloned().unwrap_or_default();
            match under.iter().find(|&&i| {
                occupations[i as usize]
                    .occupation
                    .code
                    .as_str()
                    .ends_with(".00")
            }) {
                Some(&i) => vec![i],
                None => under,
            }
        };
        for h in hits {
            if !out.contains(&h) {
                out.push(h);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::core_title;

    #[test]
    fn soc_qualifiers_are_not_the_occupation() {
        assert_eq!(
            core_title("Ophthalmologists, Except Pediatric"),
            "Ophthalmologists"
        );
        assert_eq!(core_title("Surgeons, All Other"), "Surgeons");
        assert_eq!(core_title("Software Developers"), "Software Developers");
    }
}
