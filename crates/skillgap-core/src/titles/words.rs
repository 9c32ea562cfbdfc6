//! From a job title as people type it to the terms the coder ranks on: case and punctuation
//! folded, codes typed into the title taken out, common abbreviations spelled out, level and
//! seniority words set aside, what follows a dash, comma or bracket marked as weaker (it is
//! usually a location, shift, department or company), and words reduced to a stem.

use crate::text::stem;

/// Words that carry no weight in a title.
const STOP: &[&str] = &[
    "a", "an", "and", "the", "of", "for", "in", "to", "at", "on", "with", "by", "or", "de", "amp",
];

/// Level and seniority words: they do not change the occupation, so they are dropped whenever
/// the title has another word (`Senior Accountant` is an accountant; `Principal` alone is not
/// dropped).
const SENIORITY: &[&str] = &[
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "senior",
    "junior",
    "lead",
    "principal",
    "intern",
    "internship",
    "trainee",
    "level",
    "entry",
    "experienced",
    "mid",
    "journeyman",
    "journeyperson",
    "sr",
    "jr",
    "snr",
];

/// Abbreviations spelled out (lower case, without dots).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("sr", "senior"),
    ("snr", "senior"),
    ("jr", "junior"),
    ("mgr", "manager"),
    ("mngr", "manager"),
    ("mgmt", "management"),
    ("mgt", "management"),
    ("asst", "assistant"),
    ("assist", "assistant"),
    ("assoc", "associate"),
    ("eng", "engineer"),
    ("engr", "engineer"),
    ("engg", "engineering"),
    ("tech", "technician"),
    ("techn", "technician"),
    ("admin", "administrator"),
    ("adm", "administrator"),
    ("admn", "administrator"),
    ("rn", "registered nurse"),
    ("lpn", "licensed practical nurse"),
    ("lvn", "licensed vocational nurse"),
    ("cna", "certified nursing assistant"),
    ("crna", "nurse anesthetist"),
    ("np", "nurse practitioner"),
    ("aprn", "nurse practitioner"),
    ("cdl", "truck driver"),
    ("vp", "vice president"),
    ("svp", "vice president"),
    ("evp", "vice president"),
    ("avp", "vice president"),
    ("dir", "director"),
    ("exec", "executive"),
    ("execs", "executives"),
    ("coord", "coordinator"),
    ("spec", "specialist"),
    ("splst", "specialist"),
    ("rep", "representative"),
    ("repr", "representative"),
    ("acct", "accountant"),
    ("acctg", "accounting"),
    ("dev", "developer"),
    ("devel", "developer"),
    ("sw", "software"),
    ("hw", "hardware"),
    ("qa", "quality assurance"),
    ("qc", "quality control"),
    ("hr", "human resources"),
    ("it", "information technology"),
    ("ui", "user interface"),
    ("ux", "user experience"),
    ("db", "database"),
    ("dba", "database administrator"),
    ("sde", "software development engineer"),
    ("swe", "software engineer"),
    ("sdet", "software test engineer"),
    ("ceo", "chief executive officer"),
    ("cfo", "chief financial officer"),
    ("cto", "chief technology officer"),
    ("cio", "chief information officer"),
    ("coo", "chief operating officer"),
    ("pm", "project manager"),
    ("pa", "physician assistant"),
    ("md", "physician"),
    ("cpa", "certified public accountant"),
    ("ot", "occupational therapist"),
    ("pt", "physical therapist"),
    ("slp", "speech language pathologist"),
    ("emt", "emergency medical technician"),
    ("rt", "respiratory therapist"),
    ("maint", "maintenance"),
    ("ops", "operations"),
    ("mfg", "manufacturing"),
    ("mech", "mechanical"),
    ("elec", "electrical"),
    ("sys", "systems"),
    ("prog", "programmer"),
    ("bi", "business intelligence"),
    ("supv", "supervisor"),
    ("supvr", "supervisor"),
    ("supt", "superintendent"),
    ("mktg", "marketing"),
    ("mkt", "marketing"),
    ("fin", "financial"),
    ("svc", "service"),
    ("svcs", "services"),
    ("cust", "customer"),
    ("gm", "general manager"),
    ("tchr", "teacher"),
    ("instr", "instructor"),
    ("prof", "professor"),
    ("ml", "machine learning"),
    ("ai", "artificial intelligence"),
    ("ee", "electrical engineer"),
    ("me", "mechanical engineer"),
    ("hvac", "heating air conditioning"),
    ("mri", "magnetic resonance imaging"),
    ("dept", "department"),
    ("ctr", "center"),
    ("intl", "international"),
    ("natl", "national"),
    ("govt", "government"),
    ("sci", "scientist"),
    ("anal", "analyst"),
    ("analy", "analyst"),
    ("pharm", "pharmacist"),
    ("phd", "doctor"),
    ("hha", "home health aide"),
    ("pca", "personal care aide"),
    ("ma", "medical assistant"),
    ("pgy", "resident"),
    ("bsn", "registered nurse"),
    ("mts", "technical staff"),
    ("anlst", "analyst"),
    ("spclst", "specialist"),
    ("mngmt", "management"),
    ("postdoc", "postdoctoral"),
];

/// One word of a title, as the coder sees it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Word {
    /// The stemmed term.
    pub term: String,
    /// The word as typed (lower case), for the evidence.
    pub typed: String,
    /// After a dash, comma or bracket: a weaker word.
    pub tail: bool,
    /// A level or seniority word.
    pub seniority: bool,
}

/// The codes typed into a title (`NN-NNNN` or `NN-NNNN.NN`), and the title without them.
pub(crate) fn take_codes(title: &str) -> (Vec<String>, String) {
    let b = title.as_bytes();
    let mut codes = Vec::new();
    let mut rest = String::with_capacity(title.len());
    let mut i = 0;
    let digit = |j: usize| b.get(j).is_some_and(u8::is_ascii_digit);
    while i < b.len() {
        let starts = (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && digit(i)
            && digit(i + 1)
            && b.get(i + 2) == Some(&b'-')
            && (3..7).all(|k| digit(i + k));
        if starts {
            let mut end = i + 7;
            if b.get(end) == Some(&b'.') && digit(end + 1) && digit(end + 2) {
                end += 3;
            }
            if !b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                codes.push(title[i..end].to_owned());
                rest.push(' ');
                i = end;
                continue;
            }
        }
        let c = title[i..].chars().next().expect("inside the string");
        rest.push(c);
        i += c.len_utf8();
    }
    (codes, rest)
}

/// Where the title's core ends: the first ` - `, `,`, `(`, `[`, `|`, ` @ ` or ` at `.
fn core_end(title: &str) -> Option<usize> {
    // ASCII lower case keeps every byte where it was (full lower case does not: `Ⱦ` is two
    // bytes, `ⱦ` three), so a marker's offset is a boundary in `title` too.
    let lower = title.to_ascii_lowercase();
    [
        " - ", " – ", " — ", ",", "(", "[", "|", " @ ", " at ", ";", ":",
    ]
    .iter()
    .filter_map(|m| lower.find(m))
    .filter(|&p| lower[..p].chars().any(char::is_alphabetic))
    .min()
}

fn expand(word: &str) -> Option<&'static str> {
    ABBREVIATIONS
        .iter()
        .find(|(a, _)| *a == word)
        .map(|(_, full)| *full)
}

/// Splits a title into words: lower case, abbreviations spelled out, stop words dropped,
/// stemmed. `mark_tail` marks what follows a dash, comma or bracket (queries); documents are
/// taken whole.
pub(crate) fn words(title: &str, mark_tail: bool) -> Vec<Word> {
    let end = if mark_tail { core_end(title) } else { None };
    let mut out = Vec::new();
    let mut push = |piece: &str, tail: bool| {
        for raw in piece.split(|c: char| !c.is_alphanumeric()) {
            if raw.is_empty() {
                continue;
            }
            let mut lower = raw.to_lowercase();
            // A residency year run into its number (`PGY2`) is the resident's year.
            if lower.starts_with("pgy") && lower[3..].bytes().all(|c| c.is_ascii_digit()) {
                lower.truncate(3);
            }
            // Letters and digits run together (`JC50`, `L3`) are an employer's grade or job
            // code, a level like `III`.
            let numeric = lower.bytes().all(|c| c.is_ascii_digit())
                || (lower.bytes().any(|c| c.is_ascii_digit())
                    && lower.bytes().any(|c| c.is_ascii_alphabetic()));
            let expanded = expand(&lower).unwrap_or(&lower);
            for w in expanded.split(' ') {
                if STOP.contains(&w) {
                    continue;
                }
                let seniority = numeric || SENIORITY.contains(&w);
                out.push(Word {
                    term: stem(w),
                    typed: lower.clone(),
                    tail,
                    seniority,
                });
            }
        }
    };
    match end {
        Some(p) => {
            push(&title[..p], false);
            push(&title[p..], true);
        }
        None => push(title, false),
    }
    // Level words go when anything else is left.
    if out.iter().any(|w| !w.seniority) {
        out.retain(|w| !w.seniority);
    }
    // A one-letter word left alone (the `s` of `Nurse's`) says nothing.
    out.retain(|w| w.term.len() > 1 || w.term.bytes().all(|c| c.is_ascii_digit()));
    out
}

/// The core's last word, or the word before `of` (`Director of Nursing` → `director`): the
/// head noun, which names the occupation more than its modifiers.
pub(crate) fn head(words: &[Word], title: &str) -> Option<usize> {
    let core: Vec<usize> = (0..words.len()).filter(|&i| !words[i].tail).collect();
    let lower = title.to_lowercase();
    if let Some(of) = lower.find(" of ") {
        // The last core word typed before ` of `.
        let before = &lower[..of];
        let last = before
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())?;
        if let Some(&i) = core.iter().rev().find(|&&i| words[i].typed == last) {
            return Some(i);
        }
    }
    core.last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(title: &str) -> Vec<(String, bool)> {
        words(title, true)
            .into_iter()
            .map(|w| (w.term, w.tail))
            .collect()
    }

    #[test]
    fn abbreviations_are_spelled_out() {
        let t: Vec<String> = words("Sr. Software Eng II", true)
            .into_iter()
            .map(|w| w.term)
            .collect();
        assert_eq!(t, ["softwar", "engineer"]);
        let t: Vec<String> = words("RN", true).into_iter().map(|w| w.term).collect();
        assert_eq!(t, ["register", "nurs"]);
        let t: Vec<String> = words("Asst. Mgr", true)
            .into_iter()
            .map(|w| w.term)
            .collect();
        assert_eq!(t, ["assistant", "manager"]);
    }

    #[test]
    fn seniority_goes_unless_alone() {
        assert_eq!(terms("Lead Carpenter 2"), [("carpenter".to_owned(), false)]);
        assert_eq!(terms("Principal"), [("principal".to_owned(), false)]);
    }

    #[test]
    fn grades_and_job_codes_are_levels() {
        // Letters and digits run together are a grade or job code, like `III`.
        assert_eq!(terms("Manager JC50"), [("manager".to_owned(), false)]);
        // A residency year is the resident's.
        assert_eq!(terms("PGY2"), [("resident".to_owned(), false)]);
        assert_eq!(terms("3D Animator"), [("animator".to_owned(), false)]);
    }

    #[test]
    fn noise_after_a_dash_or_comma_is_tail() {
        let t = terms("Registered Nurse - Neuroscience ICU");
        assert_eq!(
            t,
            [
                ("register".to_owned(), false),
                ("nurs".to_owned(), false),
                ("neuroscienc".to_owned(), true),
                ("icu".to_owned(), true)
            ]
        );
        let t = terms("Cook, Acme Diner");
        assert_eq!(t[0], ("cook".to_owned(), false));
        assert!(t[1..].iter().all(|(_, tail)| *tail));
        // Nothing before the comma: the whole title is the core.
        assert!(terms(", Cook").iter().all(|(_, tail)| !*tail));
    }

    #[test]
    fn codes_are_taken_out() {
        let (codes, rest) = take_codes("Programmer Analyst [15-1251.00] / 15-1299");
        assert_eq!(codes, ["15-1251.00", "15-1299"]);
        assert_eq!(rest.trim(), "Programmer Analyst [ ] /");
        // A phone-like number is not a code.
        assert!(take_codes("call 555-12345").0.is_empty());
    }

    #[test]
    fn head_noun() {
        let w = words("Director of Nursing", true);
        assert_eq!(w[head(&w, "Director of Nursing").unwrap()].term, "director");
        let w = words("Web Developer - Remote", true);
        assert_eq!(
            w[head(&w, "Web Developer - Remote").unwrap()].term,
            "developer"
        );
    }
}
