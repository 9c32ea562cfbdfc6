//! A compact, versioned byte encoding of [`Relatedness`]: what a store keeps so that a start
//! reads relatedness back instead of building it.
//!
//! Reading it back copies arrays and checks them; nothing is tokenised, correlated or ranked,
//! so it costs a small fraction of a build. Every number is little-endian; floats are IEEE 754
//! `f32` bits, written as they are held, so a round trip is exact.
//!
//! ```text
//! header
//!   magic       4 bytes   "SGRL"
//!   version     u32       FORMAT_VERSION
//!   n           u32       ranked occupations
//!   k           u32       neighbours per occupation: min(NEIGHBOURS, n − 1)
//!   weights     8 × f32   in Component::ALL order
//!   scale       8 × (f32 mean, f32 sd), in Component::ALL order
//! n occupations, by ascending code
//!   code        10 bytes  ASCII `NN-NNNN.NN`
//!   job zone    u8        1–5; 0 when unknown
//!   profiles    u8        bit c set when the occupation has a profile for component c
//!   titles      u32 count, then count × (u32 term, f32 weight), terms ascending
//!   tasks       the same
//!   per set profile bit, ascending: u32 length, then length × f32 (centred, unit length)
//! n × k neighbours, occupation after occupation (as above), each best first
//!   index       u32       the other occupation's position among the n above
//!   score       f32
//!   components  8 × f32   in Component::ALL order; NaN when absent
//! ```

use std::fmt;

use super::component::{Component, N, Weights};
use super::features::Features;
use super::ranked::{Neighbour, Relatedness, neighbour_count};
use crate::SocCode;
use crate::text::SparseVector;

/// The encoding's version. Raise it whenever the layout changes, and whenever what is encoded
/// would come out differently from the same data (the tokenizer, the weights, the components,
/// [`super::NEIGHBOURS`]): a store keyed by it then rebuilds instead of serving stale rankings.
pub const FORMAT_VERSION: u32 = 1;

const MAGIC: &[u8; 4] = b"SGRL";

/// Why bytes could not be read back as [`Relatedness`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// They do not start with the encoding's magic bytes.
    #[error("not encoded relatedness: it starts with {found:?}, expected \"SGRL\"")]
    Magic {
        /// The first bytes found.
        found: Vec<u8>,
    },
    /// They were written by another version of the encoding.
    #[error(
        "relatedness encoded in format {found}, but this build reads format {FORMAT_VERSION}: build it again"
    )]
    Version {
        /// The version found.
        found: u32,
    },
    /// They end before the encoding does.
    #[error("encoded relatedness is cut off at byte {at}: expected {expected}")]
    Truncated {
        /// The offset where more was expected.
        at: usize,
        /// What was expected there.
        expected: String,
    },
    /// A value breaks the encoding's rules.
    #[error("encoded relatedness is invalid at byte {at}: {problem}")]
    Invalid {
        /// The offset of the value.
        at: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// Bytes follow the end of the encoding.
    #[error("encoded relatedness ends at byte {end}, but {extra} more bytes follow")]
    Trailing {
        /// Where the encoding ends.
        end: usize,
        /// How many bytes follow.
        extra: usize,
    },
}

impl Relatedness {
    /// Writes everything relatedness keeps, in the layout described in this module, under
    /// [`FORMAT_VERSION`]. The same value always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.codes.len();
        let mut out = Vec::with_capacity(self.encoded_len());
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, FORMAT_VERSION);
        put_u32(&mut out, n as u32);
        put_u32(&mut out, self.k as u32);
        for w in self.weights.0 {
            put_f32(&mut out, w);
        }
        for (mean, sd) in self.scale {
            put_f32(&mut out, mean);
            put_f32(&mut out, sd);
        }
        for f in &self.features {
            out.extend_from_slice(f.code.as_str().as_bytes());
            out.push(f.job_zone.unwrap_or(0));
            out.push(
                f.profiles
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.is_some())
                    .fold(0u8, |mask, (c, _)| mask | 1 << c),
            );
            for v in [&f.titles, &f.tasks] {
                put_u32(&mut out, v.entries().len() as u32);
                for &(t, w) in v.entries() {
                    put_u32(&mut out, t);
                    put_f32(&mut out, w);
                }
            }
            for p in f.profiles.iter().flatten() {
                put_u32(&mut out, p.len() as u32);
                for &v in p.iter() {
                    put_f32(&mut out, v);
                }
            }
        }
        for nb in &self.neighbours {
            put_u32(&mut out, nb.index);
            put_f32(&mut out, nb.score);
            for v in nb.components {
                put_f32(&mut out, v);
            }
        }
        out
    }

    fn encoded_len(&self) -> usize {
        let features: usize = self
            .features
            .iter()
            .map(|f| {
                12 + 8 * (f.titles.entries().len() + f.tasks.entries().len() + 1)
                    + f.profiles
                        .iter()
                        .flatten()
                        .map(|p| 4 + 4 * p.len())
                        .sum::<usize>()
            })
            .sum();
        16 + 4 * N * 3 + features + self.neighbours.len() * (8 + 4 * N)
    }

    /// Reads back what [`Relatedness::to_bytes`] wrote, checking every part: the magic bytes
    /// and [`FORMAT_VERSION`], that each count fits in what is left, codes (valid, ascending),
    /// job zones, term order, profile lengths (one per component), and that every neighbour is
    /// another ranked occupation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader { bytes, at: 0 };
        let magic = r.take(4, "the magic bytes \"SGRL\"")?;
        if magic != MAGIC {
            return Err(DecodeError::Magic {
                found: magic.to_vec(),
            });
        }
        let version = r.u32("the format version")?;
        if version != FORMAT_VERSION {
            return Err(DecodeError::Version { found: version });
        }
        let n = r.u32("the occupation count")? as usize;
        let at = r.at;
        let k = r.u32("the neighbour count")? as usize;
        if k != neighbour_count(n) {
            return Err(r.invalid(
                at,
                format!(
                    "{k} neighbours per occupation, expected {} for {n} occupations",
                    neighbour_count(n)
                ),
            ));
        }
        let mut weights = Weights([0.0; N]);
        for w in &mut weights.0 {
            *w = r.f32("a weight")?;
        }
        let mut scale = [(0.0, 1.0); N];
        for (c, s) in scale.iter_mut().enumerate() {
            let at = r.at;
            *s = (r.f32("a mean")?, r.f32("a standard deviation")?);
            if !(s.0.is_finite() && s.1.is_finite() && s.1 > 0.0) {
                return Err(r.invalid(
                    at,
                    format!(
                        "{} is scaled by mean {} and deviation {}; expected finite values and a positive deviation",
                        Component::ALL[c].as_str(),
                        s.0,
                        s.1
                    ),
                ));
            }
        }

        // Each record is at least 22 bytes: refuse a count the bytes cannot hold before
        // allocating for it.
        r.check_room(n, 22, "the occupations")?;
        let mut features: Vec<Features> = Vec::with_capacity(n);
        let mut lengths: [Option<usize>; N] = [None; N];
        for _ in 0..n {
            features.push(r.features(features.last().map(|f| f.code), &mut lengths)?);
        }

        let record = 8 + 4 * N;
        r.check_room(n * k, record, "the neighbours")?;
        let first = r.at;
        let raw = r.take(n * k * record, "the neighbours")?;
        let mut neighbours = Vec::with_capacity(n * k);
        for (i, rec) in raw.chunks_exact(record).enumerate() {
            let (a, index) = (i / k.max(1), le_u32(&rec[..4]));
            if index as usize >= n || index as usize == a {
                return Err(r.invalid(
                    first + i * record,
                    format!(
                        "neighbour {index} of occupation {a} is not another of the {n} occupations"
                    ),
                ));
            }
            neighbours.push(Neighbour {
                index,
                score: le_f32(&rec[4..8]),
                components: std::array::from_fn(|c| le_f32(&rec[8 + 4 * c..12 + 4 * c])),
            });
        }
        if r.at != bytes.len() {
            return Err(DecodeError::Trailing {
                end: r.at,
                extra: bytes.len() - r.at,
            });
        }
        Ok(Relatedness::assemble(features, scale, weights, neighbours))
    }
}

/// A little-endian `u32` from 4 bytes (callers slice exactly 4).
fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// A little-endian `f32` from 4 bytes (callers slice exactly 4).
fn le_f32(b: &[u8]) -> f32 {
    f32::from_bits(le_u32(b))
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_f32(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, expected: impl fmt::Display) -> Result<&'a [u8], DecodeError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| DecodeError::Truncated {
                at: self.at,
                expected: expected.to_string(),
            })?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self, expected: &str) -> Result<u8, DecodeError> {
        Ok(self.take(1, expected)?[0])
    }

    fn u32(&mut self, expected: &str) -> Result<u32, DecodeError> {
        Ok(le_u32(self.take(4, expected)?))
    }

    fn f32(&mut self, expected: &str) -> Result<f32, DecodeError> {
        Ok(le_f32(self.take(4, expected)?))
    }

    fn invalid(&self, at: usize, problem: String) -> DecodeError {
        DecodeError::Invalid { at, problem }
    }

    /// Fails unless `count` records of at least `size` bytes fit in what is left.
    fn check_room(&self, count: usize, size: usize, what: &str) -> Result<(), DecodeError> {
        let left = self.bytes.len() - self.at;
        match count.checked_mul(size) {
            Some(need) if need <= left => Ok(()),
            _ => Err(DecodeError::Truncated {
                at: self.at,
                expected: format!("{what}: {count} of at least {size} bytes each"),
            }),
        }
    }

    /// One occupation's record; `previous` is the code before it, `lengths` each profile
    /// component's length so far.
    fn features(
        &mut self,
        previous: Option<SocCode>,
        lengths: &mut [Option<usize>; N],
    ) -> Result<Features, DecodeError> {
        let at = self.at;
        let raw = self.take(10, "an occupation code")?;
        let code = std::str::from_utf8(raw)
            .ok()
            .and_then(|s| SocCode::parse(s).ok())
            .ok_or_else(|| {
                self.invalid(
                    at,
                    format!("{raw:?} is not an occupation code (NN-NNNN.NN)"),
                )
            })?;
        if previous.is_some_and(|p| p >= code) {
            return Err(self.invalid(at, format!("{code} does not follow the code before it")));
        }
        let at = self.at;
        let job_zone = match self.u8("a job zone")? {
            0 => None,
            z @ 1..=5 => Some(z),
            z => return Err(self.invalid(at, format!("job zone {z} of {code} is not 0–5"))),
        };
        let at = self.at;
        let mask = self.u8("a profile mask")?;
        let profile_components: u8 = [
            Component::Knowledge,
            Component::Skills,
            Component::Abilities,
            Component::WorkActivities,
        ]
        .iter()
        .fold(0, |m, c| m | 1 << c.index());
        if mask & !profile_components != 0 {
            return Err(self.invalid(
                at,
                format!("profile mask {mask:#010b} of {code} names a component without profiles"),
            ));
        }
        let titles = self.vector(code, "title")?;
        let tasks = self.vector(code, "task")?;
        let mut profiles: [Option<Box<[f32]>>; N] = Default::default();
        for (c, p) in profiles.iter_mut().enumerate() {
            if mask & 1 << c == 0 {
                continue;
            }
            let at = self.at;
            let len = self.u32("a profile length")? as usize;
            if *lengths[c].get_or_insert(len) != len {
                return Err(self.invalid(
                    at,
                    format!(
                        "the {} profile of {code} has {len} values, others {}",
                        Component::ALL[c].as_str(),
                        lengths[c].unwrap_or_default()
                    ),
                ));
            }
            self.check_room(len, 4, "a profile")?;
            let raw = self.take(len * 4, "a profile")?;
            *p = Some(raw.chunks_exact(4).map(le_f32).collect());
        }
        Ok(Features {
            code,
            titles,
            tasks,
            profiles,
            job_zone,
        })
    }

    fn vector(&mut self, code: SocCode, text: &str) -> Result<SparseVector, DecodeError> {
        let count = self.u32("a term count")? as usize;
        self.check_room(count, 8, "terms")?;
        let at = self.at;
        let entries = self
            .take(count * 8, "terms")?
            .chunks_exact(8)
            .map(|e| (le_u32(&e[..4]), le_f32(&e[4..])))
            .collect();
        SparseVector::from_entries(entries).ok_or_else(|| {
            self.invalid(
                at,
                format!("the {text} terms of {code} are not in ascending order"),
            )
        })
    }
}
