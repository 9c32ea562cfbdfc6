//! How related two occupations are: a blend of what their titles say, what their tasks say,
//! how alike their rating profiles are, and how far apart their job zones lie, in the spirit
//! of O*NET's own Related Occupations method (task, knowledge and title similarity), computed
//! once for every pair of occupations that has task statements.
//!
//! Each component is a similarity in [0, 1]. Components live on very different scales (two
//! knowledge profiles correlate at 0.6 on average, two task texts share a cosine of 0.05), so
//! before blending each is standardised over all pairs: `z = (x − mean) / sd`. The score of a
//! pair is the weighted mean of the standardised components both occupations have (weights
//! renormalised over those present), so an occupation without ratings is still ranked on its
//! texts and job zone. A score of 0 is an average pair; positive scores are closer than average,
//! in standard deviations.

mod component;
mod encoding;
mod features;
mod input;
mod ranked;
mod stream;
mod table;

pub use component::{
    ABILITIES_WEIGHT, Component, Components, DESCRIPTION_PIECE, FAMILY_WEIGHT, JOB_ZONE_WEIGHT,
    KNOWLEDGE_WEIGHT, MAIN_TITLE_PIECE, NEIGHBOURS, SKILLS_WEIGHT, SUPPLEMENTAL_TASK_PIECE,
    TASKS_WEIGHT, TITLES_WEIGHT, TextWeights, WORK_ACTIVITIES_WEIGHT, Weights,
};
pub use encoding::{DecodeError, FORMAT_VERSION};
pub use input::{RelatednessInput, TaskText};
pub use ranked::{Pair, Relatedness};
pub use table::PairTable;

#[cfg(test)]
mod tests {
    //! Small hand-made occupations (arithmetic fixtures, not O*NET data).
    use super::component::N;
    use super::features::{centred, correlation, family};
    use super::*;
    use crate::{Cell, Domain, SocCode};

    fn code(s: &str) -> SocCode {
        SocCode::parse(s).unwrap()
    }

    fn cells(importance: &[f64]) -> Vec<Cell> {
        importance
            .iter()
            .map(|v| Cell {
                importance: Some(*v),
                ..Cell::default()
            })
            .collect()
    }

    fn input<'a>(
        c: &str,
        title: &'a str,
        task: &'a str,
        zone: u8,
        knowledge: Option<&'a [Cell]>,
    ) -> RelatednessInput<'a> {
        RelatednessInput {
            code: code(c),
            title,
            alternate_titles: vec![],
            description: "",
            tasks: vec![TaskText {
                text: task,
                core: true,
            }],
            job_zone: Some(zone),
            profiles: knowledge
                .map(|k| (Domain::Knowledge, k))
                .into_iter()
                .collect(),
        }
    }

    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    }

    #[test]
    fn family_counts_shared_soc_levels() {
        let f = |a, b| family(code(a), code(b));
        assert_eq!(f("15-1252.00", "15-1252.01"), 1.0);
        assert_eq!(f("15-1252.00", "15-1253.00"), 0.75);
        assert_eq!(f("15-1252.00", "15-1241.00"), 0.5);
        assert_eq!(f("15-1252.00", "15-2011.00"), 0.25);
        assert_eq!(f("15-1252.00", "17-1252.00"), 0.0);
    }

    #[test]
    fn profile_similarity_is_the_rescaled_pearson_correlation() {
        let (a, b) = ([4.0, 2.0, 3.5, 1.0], [3.0, 2.5, 4.0, 1.5]);
        let (ca, cb) = (cells(&a), cells(&b));
        let r = correlation(&centred(&ca).unwrap(), &centred(&cb).unwrap());
        assert!((f64::from(r) - (pearson(&a, &b) + 1.0) / 2.0).abs() < 1e-6);
        // A flat profile has no shape to compare; a missing importance, no profile at all.
        assert!(centred(&cells(&[2.0, 2.0])).is_none());
        let mut gap = cells(&a);
        gap[1].importance = None;
        assert!(centred(&gap).is_none());
    }

    #[test]
    fn components_blend_over_what_both_sides_have() {
        let (k1, k2) = (cells(&[5.0, 1.0, 3.0]), cells(&[4.0, 2.0, 3.0]));
        let inputs = [
            input(
                "47-2111.00",
                "Electricians",
                "install wiring in buildings",
                3,
                Some(&k1),
            ),
            input(
                "47-2152.00",
                "Plumbers",
                "install pipes in buildings",
                3,
                Some(&k2),
            ),
            input("35-2014.00", "Cooks", "prepare meals", 1, None),
            // No tasks: not ranked at all.
            RelatednessInput {
                tasks: vec![],
                ..input("47-2199.00", "Construction Workers, All Other", "", 2, None)
            },
        ];
        let table = PairTable::build(&inputs, &TextWeights::default());
        let codes: Vec<&str> = table.codes().iter().map(SocCode::as_str).collect();
        assert_eq!(codes, ["35-2014.00", "47-2111.00", "47-2152.00"]);
        let (cook, elec, plumb) = (0, 1, 2);

        // Knowledge: only the two rated ones have it.
        let k = table.component(Component::Knowledge, elec, plumb).unwrap();
        let r = pearson(&[5.0, 1.0, 3.0], &[4.0, 2.0, 3.0]);
        assert!((f64::from(k) - (r + 1.0) / 2.0).abs() < 1e-6);
        assert_eq!(table.component(Component::Knowledge, elec, cook), None);
        // Job zones 3 and 1: closeness 1 − 2/4.
        assert_eq!(table.component(Component::JobZone, elec, cook), Some(0.5));
        // 47-2111 and 47-2152 share major group 47 and minor group 47-21, not the broad group.
        assert_eq!(table.component(Component::Family, elec, plumb), Some(0.5));
        // Task texts share `install` and `building` only; titles share nothing.
        assert!(table.component(Component::Tasks, elec, plumb).unwrap() > 0.2);
        assert_eq!(table.component(Component::Tasks, elec, cook), Some(0.0));
        assert_eq!(table.component(Component::Titles, elec, plumb), Some(0.0));

        // The score is the weighted mean of the standardised components present.
        let w = Weights::default();
        let z = |c: Component, a, b| {
            let (m, sd) = table.scale(c);
            (table.component(c, a, b).unwrap() - m) / sd
        };
        let present = [
            Component::Titles,
            Component::Tasks,
            Component::JobZone,
            Component::Family,
        ];
        let expect: f32 = present
            .iter()
            .map(|c| w.get(*c) * z(*c, elec, cook))
            .sum::<f32>()
            / present.iter().map(|c| w.get(*c)).sum::<f32>();
        assert!((table.score(&w, elec, cook) - expect).abs() < 1e-5);

        // The closest to the electrician is the plumber; itself is never listed.
        let closest = table.closest(&w, elec, 5);
        assert_eq!(
            closest.iter().map(|c| c.0).collect::<Vec<_>>(),
            [plumb, cook]
        );

        // The kept ranking and on-demand pairs agree with the table.
        let rel = table.clone().into_relatedness(w);
        let pair = rel.pair(code("47-2111.00"), code("47-2152.00")).unwrap();
        assert_eq!(pair.components.get(Component::Knowledge), Some(k));
        assert!((pair.score - table.score(&w, elec, plumb)).abs() < 1e-5);
        let listed: Vec<SocCode> = rel
            .closest(code("47-2111.00"), 10)
            .iter()
            .map(|p| p.occupation)
            .collect();
        assert_eq!(listed, [code("47-2152.00"), code("35-2014.00")]);
        assert!(rel.pair(code("47-2111.00"), code("47-2111.00")).is_none());
        assert!(!rel.contains(code("47-2199.00")));
        assert!(rel.closest(code("47-2199.00"), 10).is_empty());
    }

    #[test]
    fn ties_are_broken_by_code() {
        // Three identical occupations but for their codes (and so their family).
        let inputs: Vec<RelatednessInput> = ["51-1011.00", "41-1011.00", "31-1011.00"]
            .iter()
            .map(|c| input(c, "Helpers", "help", 2, None))
            .collect();
        let table = PairTable::build(&inputs, &TextWeights::default());
        let closest = table.closest(&Weights::default(), 1, 5);
        assert_eq!(closest.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(closest[0].1, closest[1].1);
    }

    /// Profiles for [`varied`]: knowledge and skills importance, one flat (no shape).
    fn varied_cells() -> [Vec<Cell>; 7] {
        [
            cells(&[5.0, 1.0, 3.0, 2.0]),
            cells(&[4.0, 2.0, 3.0, 2.5]),
            cells(&[4.5, 1.5, 2.0, 3.0]),
            cells(&[3.0, 3.0, 3.0, 3.0]),
            cells(&[1.0, 2.0, 4.5, 4.0]),
            cells(&[2.0, 4.0, 1.0]),
            cells(&[2.5, 3.5, 1.5]),
        ]
    }

    /// Occupations lacking each thing in turn: skills, all profiles, a job zone, a profile
    /// with any shape; one with alternate titles, a supplemental task and a description.
    fn varied(c: &[Vec<Cell>; 7]) -> Vec<RelatednessInput<'_>> {
        let mut inputs = vec![
            input(
                "47-2111.00",
                "Electricians",
                "install wiring in buildings",
                3,
                Some(&c[0]),
            ),
            input(
                "47-2152.00",
                "Plumbers",
                "install pipes in buildings",
                3,
                Some(&c[1]),
            ),
            input(
                "47-2152.01",
                "Pipe Fitters",
                "fit pipes and valves",
                3,
                Some(&c[2]),
            ),
            input("35-2014.00", "Cooks, Restaurant", "prepare meals", 1, None),
            input(
                "35-2012.00",
                "Cooks, Institution",
                "prepare meals in bulk",
                2,
                Some(&c[3]),
            ),
            input(
                "15-1252.00",
                "Software Developers",
                "write software",
                4,
                Some(&c[4]),
            ),
        ];
        inputs[0].profiles.push((Domain::Skills, &c[5]));
        inputs[1].profiles.push((Domain::Skills, &c[6]));
        inputs[2].job_zone = None;
        let dev = &mut inputs[5];
        dev.alternate_titles = vec!["Programmer", "Application Developer"];
        dev.description = "Research, design, and develop computer applications.";
        dev.tasks.push(TaskText {
            text: "Supervise the work of programmers and technicians.",
            core: false,
        });
        inputs
    }

    fn pair_bits(p: &Pair) -> (SocCode, u32, [Option<u32>; N]) {
        (
            p.occupation,
            p.score.to_bits(),
            p.components.0.map(|v| v.map(f32::to_bits)),
        )
    }

    #[test]
    fn streaming_and_dense_builds_agree_bit_for_bit() {
        let c = varied_cells();
        let inputs = varied(&c);
        let dense = PairTable::build(&inputs, &TextWeights::default());
        let mut weights = Weights::default();
        // A zero weight leaves its component out of the blend (and its sums unused).
        weights.set(Component::Family, 0.0);
        for w in [Weights::default(), weights] {
            let want = dense.clone().into_relatedness(w);
            let got = Relatedness::build_with(&inputs, &TextWeights::default(), w);
            assert_eq!(got.codes(), dense.codes());
            for c in Component::ALL {
                assert_eq!(got.scale(c), dense.scale(c), "{}", c.as_str());
            }
            for &a in got.codes() {
                let (w_list, g_list) = (want.closest(a, 10), got.closest(a, 10));
                // Fewer occupations than NEIGHBOURS: each lists all the others.
                assert_eq!(g_list.len(), 5, "{a}");
                assert_eq!(
                    w_list.iter().map(pair_bits).collect::<Vec<_>>(),
                    g_list.iter().map(pair_bits).collect::<Vec<_>>(),
                    "{a}"
                );
                for p in &g_list {
                    let on_demand = got.pair(a, p.occupation).unwrap();
                    assert_eq!(pair_bits(&on_demand), pair_bits(p));
                }
            }
        }
        // The flat profile has no shape: its knowledge is absent, not 0.5.
        let flat = Relatedness::build(&inputs)
            .pair(code("35-2012.00"), code("47-2111.00"))
            .unwrap();
        assert_eq!(flat.components.get(Component::Knowledge), None);
        assert!(flat.components.get(Component::Tasks).is_some());
    }

    #[test]
    fn encoding_round_trips_exactly() {
        let c = varied_cells();
        let built = Relatedness::build(&varied(&c));
        let bytes = built.to_bytes();
        let read = Relatedness::from_bytes(&bytes).unwrap();
        assert_eq!(read.to_bytes(), bytes);
        assert_eq!(read.codes(), built.codes());
        for &a in built.codes() {
            let list = |r: &Relatedness| r.closest(a, 10).iter().map(pair_bits).collect::<Vec<_>>();
            assert_eq!(list(&read), list(&built));
            for &b in built.codes().iter().filter(|b| **b != a) {
                let p = |r: &Relatedness| pair_bits(&r.pair(a, b).unwrap());
                assert_eq!(p(&read), p(&built));
            }
        }
        // Nothing ranked encodes too.
        let empty = Relatedness::default();
        let read = Relatedness::from_bytes(&empty.to_bytes()).unwrap();
        assert!(read.codes().is_empty());
        assert!(read.closest(code("47-2111.00"), 5).is_empty());
    }

    #[test]
    fn damaged_encodings_are_refused_with_where_and_why() {
        let c = varied_cells();
        let built = Relatedness::build(&varied(&c));
        let bytes = built.to_bytes();
        let damaged = |at: usize, with: &[u8]| {
            let mut b = bytes.clone();
            b[at..at + with.len()].copy_from_slice(with);
            Relatedness::from_bytes(&b).unwrap_err()
        };

        // Cut anywhere: refused as cut off, never half-read.
        for cut in 0..bytes.len() {
            let e = Relatedness::from_bytes(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(e, DecodeError::Truncated { .. }),
                "cut at {cut}: {e}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            Relatedness::from_bytes(&longer).unwrap_err(),
            DecodeError::Trailing {
                end: bytes.len(),
                extra: 1
            }
        );
        assert!(matches!(damaged(0, b"PK"), DecodeError::Magic { .. }));
        assert_eq!(
            damaged(4, &2u32.to_le_bytes()),
            DecodeError::Version { found: 2 }
        );
        // Six occupations, so five neighbours each.
        let e = damaged(12, &4u32.to_le_bytes());
        assert!(
            e.to_string()
                .contains("4 neighbours per occupation, expected 5"),
            "{e}"
        );
        // The first occupation's code (at 112, after the header) and job zone (at 122).
        let e = damaged(112, b"99-9999.99");
        assert!(
            matches!(&e, DecodeError::Invalid { at, problem }
                if *at > 122 && problem == "35-2012.00 does not follow the code before it"),
            "{e}"
        );
        let e = damaged(122, &[9]);
        assert!(
            e.to_string()
                .contains("job zone 9 of 15-1252.00 is not 0–5"),
            "{e}"
        );
        let e = damaged(112, b"15-1252-00");
        assert!(e.to_string().contains("is not an occupation code"), "{e}");
        // The first neighbour (of the first occupation) made the occupation itself.
        let first = bytes.len() - 6 * 5 * (8 + 4 * N);
        let e = damaged(first, &0u32.to_le_bytes());
        assert_eq!(
            e,
            DecodeError::Invalid {
                at: first,
                problem: "neighbour 0 of occupation 0 is not another of the 6 occupations".into()
            }
        );
    }
}
