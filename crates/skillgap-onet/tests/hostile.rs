//! Release folders and zips built to hurt the loader: special files in place of release files,
//! files far too large, zip bombs and zips that lie about their sizes, and the smaller traps (NUL
//! fill, CR-only line ends, a name in the wrong letter case, a 10 MB value). Each must end in a
//! clear error, at once and without reading the bulk into memory (the peak-memory figures are in
//! `bench/hostile.sh`).

use std::io::Write;
use std::path::{Path, PathBuf};

use skillgap_core::SilentProgress;
use skillgap_onet::{LoadOptions, QUOTED_CHARS, ReleaseError, ReleaseSource, read_release};
use skillgap_testkit::{ReleaseCopy, onet_dir};

fn read(source: ReleaseSource) -> Result<skillgap_onet::ReadOutcome, ReleaseError> {
    read_release(&source, &LoadOptions::default(), &SilentProgress)
}

fn dir_err(copy: &ReleaseCopy) -> ReleaseError {
    read(ReleaseSource::Dir(copy.dir.clone())).expect_err("a hostile release must fail")
}

const MIB: u64 = 1 << 20;

#[test]
fn a_symlink_to_dev_zero_is_refused_without_reading_it() {
    let copy = ReleaseCopy::new();
    copy.remove("Skills.txt");
    std::os::unix::fs::symlink("/dev/zero", copy.file("Skills.txt")).unwrap();
    let e = dir_err(&copy);
    assert!(
        matches!(&e, ReleaseError::NotAFile { path, kind: "a character device" } if path.ends_with("Skills.txt")),
        "{e}"
    );
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn a_fifo_is_refused_instead_of_waiting_for_a_writer() {
    let copy = ReleaseCopy::new();
    copy.remove("Knowledge.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(copy.file("Knowledge.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    // Were the FIFO opened, this test would hang here: nobody ever writes to it.
    let e = dir_err(&copy);
    assert!(
        matches!(
            &e,
            ReleaseError::NotAFile {
                kind: "a FIFO (named pipe)",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn a_directory_in_place_of_a_file_is_named_as_one() {
    let copy = ReleaseCopy::new();
    copy.remove("Occupation Data.txt");
    std::fs::create_dir(copy.file("Occupation Data.txt")).unwrap();
    let e = dir_err(&copy);
    assert!(
        matches!(
            &e,
            ReleaseError::NotAFile {
                kind: "a directory",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn a_file_beyond_its_limit_is_refused_with_the_reason_for_the_limit() {
    let copy = ReleaseCopy::new();
    // Sparse: 2 GiB on paper, nothing on disk; only its size may be looked at.
    let f = std::fs::File::create(copy.file("Skills.txt")).unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    let e = dir_err(&copy);
    match &e {
        ReleaseError::TooLarge {
            file, size, limit, ..
        } => {
            assert_eq!((*file, *size), ("Skills.txt", 2 << 30));
            // 4 × 5,550,164 bytes, rounded up to whole MiB.
            assert_eq!(*limit, 22 * MIB);
        }
        other => panic!("{other}"),
    }
    let msg = e.to_string();
    assert!(
        msg.contains("2.0 GiB") && msg.contains("22.0 MiB") && msg.contains("O*NET 29.0"),
        "{msg}"
    );
}

#[test]
fn a_file_one_byte_over_its_limit_is_refused_and_one_at_it_is_read() {
    let copy = ReleaseCopy::new();
    // Scales Reference's limit is the 1 MiB floor: the real file padded with blank lines.
    let real = copy.read("Scales Reference.txt");
    let mut at_limit = real.clone();
    at_limit.resize(MIB as usize, b'\n');
    copy.write("Scales Reference.txt", &at_limit);
    let out = read(ReleaseSource::Dir(copy.dir.clone())).expect("a file at its limit is read");
    assert_eq!(out.release.scales.len(), 29);
    at_limit.push(b'\n');
    copy.write("Scales Reference.txt", &at_limit);
    let e = dir_err(&copy);
    assert!(
        matches!(e, ReleaseError::TooLarge { file: "Scales Reference.txt", size, limit, .. } if size == MIB + 1 && limit == MIB),
        "{e}"
    );
}

#[test]
fn a_nul_filled_file_is_not_called_empty() {
    let copy = ReleaseCopy::new();
    copy.write("Knowledge.txt", vec![0u8; 4096]);
    let e = dir_err(&copy);
    assert!(
        matches!(
            e,
            ReleaseError::NulByte {
                file: "Knowledge.txt",
                line: 1,
                byte_offset: 0
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("not a text file"), "{e}");
    assert!(!e.to_string().contains("is empty"), "{e}");

    // Zero-fill after real rows (an interrupted copy): the first NUL is located.
    let mut bytes = copy.read("Scales Reference.txt");
    let offset = bytes.len();
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    bytes.extend(std::iter::repeat_n(0u8, 100));
    copy.write(
        "Knowledge.txt",
        std::fs::read(onet_dir().join("Knowledge.txt")).unwrap(),
    );
    copy.write("Scales Reference.txt", bytes);
    let e = dir_err(&copy);
    assert!(
        matches!(e, ReleaseError::NulByte { file: "Scales Reference.txt", line, byte_offset } if line == lines + 1 && byte_offset == offset),
        "{e}"
    );
}

#[test]
fn cr_only_line_ends_are_named_and_a_file_of_blanks_is_not_called_empty() {
    let copy = ReleaseCopy::new();
    copy.edit("Scales Reference.txt", |t| {
        t.replace("\r\n", "\r").replace('\n', "\r")
    });
    let e = dir_err(&copy);
    assert!(
        matches!(
            e,
            ReleaseError::CarriageReturnLineEnds {
                file: "Scales Reference.txt"
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("carriage return (CR) alone"), "{e}");

    copy.write("Scales Reference.txt", "\r".repeat(500));
    let e = dir_err(&copy);
    assert!(
        matches!(
            e,
            ReleaseError::BlankFile {
                file: "Scales Reference.txt",
                bytes: 500
            }
        ),
        "{e}"
    );
    assert!(!e.to_string().contains("is empty"), "{e}");
}

#[test]
fn a_name_in_the_wrong_letter_case_gets_a_hint() {
    let copy = ReleaseCopy::new();
    std::fs::rename(copy.file("Skills.txt"), copy.file("skills.TXT")).unwrap();
    let e = dir_err(&copy);
    assert!(
        matches!(&e, ReleaseError::MissingFile { file: "Skills.txt", found_as: Some(other), .. } if other == "skills.TXT"),
        "{e}"
    );
    assert!(
        e.to_string().contains(
            "it holds `skills.TXT`, which differs only in letter case: rename it to `Skills.txt`"
        ),
        "{e}"
    );

    // The same inside a zip.
    let tmp = tempfile::tempdir().unwrap();
    let zip = zip_with(tmp.path(), "SKILLS.txt", Content::Real("Skills.txt"));
    let e = read(ReleaseSource::Zip(zip)).unwrap_err();
    assert!(
        matches!(&e, ReleaseError::MissingFile { file: "Skills.txt", found_as: Some(other), .. } if other == "SKILLS.txt"),
        "{e}"
    );
}

#[test]
fn a_ten_megabyte_value_is_quoted_only_in_part() {
    let copy = ReleaseCopy::new();
    let huge = "9".repeat(10_000_000) + "x";
    copy.edit_line("Skills.txt", 2, |l| {
        let mut f: Vec<&str> = l.split('\t').collect();
        f[4] = &huge;
        f.join("\t")
    });
    let msg = dir_err(&copy).to_string();
    assert!(
        msg.contains("Skills.txt line 2, column `Data Value`"),
        "{}",
        &msg[..msg.len().min(2000)]
    );
    assert!(
        msg.contains(&format!(
            "`{}… (10000001 bytes in all)`",
            "9".repeat(QUOTED_CHARS)
        )),
        "{}",
        &msg[..msg.len().min(2000)]
    );
    assert!(msg.len() < 2_000, "message is {} bytes", msg.len());

    // The same through a parse error of skillgap-core (an occupation code).
    let copy = ReleaseCopy::new();
    let code = "1".repeat(10_000_000);
    copy.edit_line("Skills.txt", 2, |l| {
        let (_, rest) = l.split_once('\t').unwrap();
        format!("{code}\t{rest}")
    });
    let msg = dir_err(&copy).to_string();
    assert!(
        msg.contains("is not an O*NET-SOC code"),
        "{}",
        &msg[..msg.len().min(2000)]
    );
    assert!(
        msg.contains("(10000000 bytes in all)"),
        "{}",
        &msg[..msg.len().min(2000)]
    );
    assert!(msg.len() < 2_000, "message is {} bytes", msg.len());
}

#[test]
fn a_huge_header_is_quoted_in_part_and_not_compared_for_misspellings() {
    let copy = ReleaseCopy::new();
    let huge = "Scale I".repeat(1_000_000);
    copy.edit_line("Skills.txt", 1, |h| h.replacen("Scale ID", &huge, 1));
    let msg = dir_err(&copy).to_string();
    assert!(
        msg.contains("has no column `Scale ID`"),
        "{}",
        &msg[..msg.len().min(2000)]
    );
    assert!(
        msg.contains("bytes in all)"),
        "{}",
        &msg[..msg.len().min(2000)]
    );
    assert!(msg.len() < 2_000, "message is {} bytes", msg.len());
}

/// What a zip entry holds.
enum Content {
    /// A real release file, by name.
    Real(&'static str),
    /// This many zero bytes: compresses about 1,000 to 1.
    Zeros(u64),
}

/// Writes a zip of `entries` (deflated) into `dir`; returns its path.
fn write_zip(dir: &Path, entries: &[(&str, Content)]) -> PathBuf {
    let path = dir.join("db_29_0_text.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, content) in entries {
        zip.start_file(*name, opts).unwrap();
        match content {
            Content::Real(file) => zip
                .write_all(&std::fs::read(onet_dir().join(file)).unwrap())
                .unwrap(),
            Content::Zeros(n) => {
                let block = vec![0u8; MIB as usize];
                let mut left = *n;
                while left > 0 {
                    let k = left.min(MIB);
                    zip.write_all(&block[..k as usize]).unwrap();
                    left -= k;
                }
            }
        }
    }
    zip.finish().unwrap();
    path
}

/// The real required files, as the official zip nests them, with `Skills.txt` replaced.
fn zip_with_skills(dir: &Path, skills: Content) -> PathBuf {
    zip_with(dir, "Skills.txt", skills)
}

/// The real required files, as the official zip nests them, with `Skills.txt` replaced by
/// `skills` under the name `skills_name`.
fn zip_with(dir: &Path, skills_name: &str, skills: Content) -> PathBuf {
    let skills_entry = format!("db_29_0_text/{skills_name}");
    write_zip(
        dir,
        &[
            (
                "db_29_0_text/Scales Reference.txt",
                Content::Real("Scales Reference.txt"),
            ),
            (
                "db_29_0_text/Content Model Reference.txt",
                Content::Real("Content Model Reference.txt"),
            ),
            (
                "db_29_0_text/Occupation Data.txt",
                Content::Real("Occupation Data.txt"),
            ),
            (&skills_entry, skills),
            ("db_29_0_text/Knowledge.txt", Content::Real("Knowledge.txt")),
        ],
    )
}

/// Rewrites the uncompressed size that the local header and the central directory record of
/// entry `name` declare: a forged zip, as only a hostile one would be.
fn forge_declared_size(path: &Path, name: &str, size: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    let name = name.as_bytes();
    let mut patched = 0;
    for i in 0..bytes.len().saturating_sub(46) {
        let (sig, size_at, name_len_at, name_at) = match &bytes[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => ("local", 22, 26, 30),
            [0x50, 0x4b, 0x01, 0x02] => ("central", 24, 28, 46),
            _ => continue,
        };
        let len = u16::from_le_bytes([bytes[i + name_len_at], bytes[i + name_len_at + 1]]) as usize;
        if len == name.len() && bytes.get(i + name_at..i + name_at + len) == Some(name) {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
            let _ = sig;
        }
    }
    assert_eq!(patched, 2, "both headers of the entry are rewritten");
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn the_real_release_zipped_reads_like_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = zip_with_skills(tmp.path(), Content::Real("Skills.txt"));
    let out = read(ReleaseSource::Zip(zip)).expect("the real files zipped are read");
    assert_eq!(out.release.ratings.len(), 61_530 + 58_014);
}

#[test]
fn a_zip_entry_declaring_more_than_its_limit_is_refused_before_unpacking() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = zip_with_skills(tmp.path(), Content::Zeros(23 * MIB));
    let e = read(ReleaseSource::Zip(zip)).unwrap_err();
    assert!(
        matches!(e, ReleaseError::TooLarge { file: "Skills.txt", size, limit, .. } if size == 23 * MIB && limit == 22 * MIB),
        "{e}"
    );
}

#[test]
fn a_zip_bomb_within_the_size_limit_is_refused_by_its_ratio() {
    let tmp = tempfile::tempdir().unwrap();
    // 20 MiB of zeros deflate to about 20 KiB: 1,000 to 1.
    let zip = zip_with_skills(tmp.path(), Content::Zeros(20 * MIB));
    let e = read(ReleaseSource::Zip(zip)).unwrap_err();
    assert!(
        matches!(&e, ReleaseError::ZipEntry { entry: "Skills.txt", problem, .. } if problem.contains("an expansion over 100 times")),
        "{e}"
    );
    assert!(e.to_string().contains("zip bomb"), "{e}");
}

#[test]
fn a_zip_entry_unpacking_to_more_than_it_declares_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    // 64 MiB of zeros, declared as 512 KiB: small enough to pass every check made beforehand.
    let zip = zip_with_skills(tmp.path(), Content::Zeros(64 * MIB));
    forge_declared_size(&zip, "db_29_0_text/Skills.txt", 512 * 1024);
    let e = read(ReleaseSource::Zip(zip)).unwrap_err();
    assert!(
        matches!(&e, ReleaseError::ZipEntry { entry: "Skills.txt", problem, .. } if problem.contains("more than the 524288 bytes its header declares")),
        "{e}"
    );
}

#[test]
fn a_zip_entry_unpacking_to_less_than_it_declares_is_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = zip_with_skills(tmp.path(), Content::Real("Skills.txt"));
    forge_declared_size(&zip, "db_29_0_text/Skills.txt", 6_000_000);
    let e = read(ReleaseSource::Zip(zip)).unwrap_err();
    assert!(
        matches!(&e, ReleaseError::ZipEntry { entry: "Skills.txt", problem, .. } if problem.contains("5550164 bytes, fewer than the 6000000")),
        "{e}"
    );
}

#[test]
fn a_zip_path_that_is_a_fifo_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("db_29_0_text.zip");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let e = read(ReleaseSource::Zip(fifo)).unwrap_err();
    assert!(
        matches!(
            e,
            ReleaseError::NotAFile {
                kind: "a FIFO (named pipe)",
                ..
            }
        ),
        "{e}"
    );
}
