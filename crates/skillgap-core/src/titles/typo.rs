//! Typos: a word the index does not know is read as a known word one edit away (a letter
//! dropped, added, changed, or two swapped), found through a map of every known word's
//! one-letter deletions (symmetric delete), so a look-up is a handful of hash probes.

use rustc_hash::FxHashMap as HashMap;

/// Shortest word corrected: below it, one edit is too large a share of the word.
pub(crate) const MIN_TYPO_LEN: usize = 5;

/// Known words by their one-letter deletions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Typos {
    by_deletion: HashMap<String, Vec<u32>>,
}

/// Calls `f` with each of `word`'s one-letter deletions, written in turn into one buffer.
fn each_deletion(word: &str, mut f: impl FnMut(&str)) {
    let mut deletion = String::with_capacity(word.len());
    for (i, c) in word.char_indices() {
        deletion.clear();
        deletion.push_str(&word[..i]);
        deletion.push_str(&word[i + c.len_utf8()..]);
        f(&deletion);
    }
}

/// Whether `a` and `b` are at most one edit apart (Damerau: a swap of neighbours is one edit).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if prefix == la && prefix == lb {
        return true;
    }
    let suffix = |x: &[char], y: &[char]| x == y;
    if la == lb {
        // Substitution, or a swap of neighbours.
        suffix(&a[prefix + 1..], &b[prefix + 1..])
            || (prefix + 1 < la
                && a[prefix] == b[prefix + 1]
                && a[prefix + 1] == b[prefix]
                && suffix(&a[prefix + 2..], &b[prefix + 2..]))
    } else if la > lb {
        suffix(&a[prefix + 1..], &b[prefix..])
    } else {
        suffix(&a[prefix..], &b[prefix + 1..])
    }
}

impl Typos {
    /// Adds a known word.
    pub(crate) fn add(&mut self, word: &str, id: u32) {
        if word.chars().count() < MIN_TYPO_LEN - 1 || !word.chars().all(char::is_alphabetic) {
            return;
        }
        self.push(word, id);
        each_deletion(word, |d| self.push(d, id));
    }

    /// Files `id` under `key`, allocating the key only when it is new.
    fn push(&mut self, key: &str, id: u32) {
        match self.by_deletion.get_mut(key) {
            Some(ids) => ids.push(id),
            None => {
                self.by_deletion.insert(key.to_owned(), vec![id]);
            }
        }
    }

    /// Known words one edit from `word`, by id (unsorted, deduplicated).
    pub(crate) fn candidates<'k>(&self, word: &str, known: impl Fn(u32) -> &'k str) -> Vec<u32> {
        if word.chars().count() < MIN_TYPO_LEN || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut look = |key: &str| {
            let ids = self.by_deletion.get(key).into_iter().flatten();
            out.extend(ids.filter(|&&id| within_one_edit(word, known(id))));
        };
        look(word);
        each_deletion(word, look);
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("enginer", "engineer"));
        assert!(within_one_edit("nrse", "nurse"));
        assert!(within_one_edit("accuntant", "accountant"));
        assert!(within_one_edit("acocuntant", "accountant"));
        assert!(within_one_edit("nurze", "nurse"));
        assert!(!within_one_edit("nurses", "nur"));
        assert!(!within_one_edit("baker", "banker2"));
        assert!(!within_one_edit("manager", "mangaers"));
    }

    #[test]
    fn candidates_are_found_by_deletion() {
        let words = ["engineer", "baker", "nurse"];
        let mut t = Typos::default();
        for (i, w) in words.iter().enumerate() {
            t.add(w, i as u32);
        }
        assert_eq!(t.candidates("enginer", |i| words[i as usize]), [0]);
        assert_eq!(t.candidates("nurze", |i| words[i as usize]), [2]);
        assert!(t.candidates("zzzzzz", |i| words[i as usize]).is_empty());
        // Too short to correct.
        assert!(t.candidates("nrs", |i| words[i as usize]).is_empty());
    }
}
