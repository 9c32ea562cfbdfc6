//! Reading the real O*NET 29.0 release, and copies of it damaged in every way the loader must catch.

use skillgap_core::{Domain, SilentProgress, SocCode};
use skillgap_onet::{LoadOptions, ReleaseError, ReleaseSource, read_release};
use skillgap_testkit::{ReleaseCopy, onet_dir};

fn read(dir: &std::path::Path) -> Result<skillgap_onet::ReadOutcome, ReleaseError> {
    read_release(
        &ReleaseSource::Dir(dir.to_owned()),
        &LoadOptions::default(),
        &SilentProgress,
    )
}

fn lenient(dir: &std::path::Path) -> skillgap_onet::ReadOutcome {
    let opts = LoadOptions {
        lenient: true,
        version: None,
    };
    read_release(&ReleaseSource::Dir(dir.to_owned()), &opts, &SilentProgress).expect("lenient read")
}

#[test]
fn reads_the_real_release_with_exact_counts() {
    let out = read(&onet_dir()).expect("29.0 is valid");
    let r = &out.release;
    assert!(out.rejected.is_empty());
    assert_eq!(r.version, "29.0");
    assert_eq!(r.occupations.len(), 1016);
    assert_eq!(r.scales.len(), 29);
    assert_eq!(r.descriptors.len(), 627);
    let in_domain = |d: Domain| {
        r.ratings
            .iter()
            .filter(|x| Domain::of(&x.element) == Some(d))
            .count()
    };
    assert_eq!(in_domain(Domain::Skills), 61_530);
    assert_eq!(in_domain(Domain::Knowledge), 58_014);
    assert_eq!(r.level_anchors.len(), 483);
    assert_eq!(r.alternate_titles.len(), 55_120);
    assert_eq!(r.tasks.len(), 18_796);
    assert_eq!(r.job_zones.len(), 923);
    let rated: std::collections::HashSet<SocCode> = r
        .ratings
        .iter()
        .filter(|x| Domain::of(&x.element) == Some(Domain::Skills))
        .map(|x| x.occupation)
        .collect();
    assert_eq!(rated.len(), 879);
    assert!(
        !rated.contains(&SocCode::parse("15-1252.00").unwrap()),
        "Software Developers has no skill ratings in 29.0"
    );

    // The first data line of Skills.txt, field by field.
    let first = &r.ratings[0];
    assert_eq!(first.occupation.as_str(), "11-1011.00");
    assert_eq!(first.element.as_str(), "2.A.1.a");
    assert!(first.scale.is_importance());
    assert_eq!(first.value, 4.12);
    assert_eq!(first.n, Some(8));
    assert_eq!(first.standard_error, Some(0.125));
    assert_eq!((first.lower_ci, first.upper_ci), (Some(3.88), Some(4.37)));
    assert_eq!(
        (first.recommend_suppress, first.not_relevant),
        (Some(false), None)
    );
    assert_eq!(first.date.unwrap().to_string(), "2023-08-01");
    assert_eq!(first.domain_source.as_deref(), Some("Analyst"));

    let skills = r.files.iter().find(|f| f.name == "Skills.txt").unwrap();
    assert_eq!(
        skills.sha256,
        "52e042e9cfc3352a2da28a39a164cfd8244267e9fd3d0ee027c2d4228919e23d"
    );
    assert_eq!(skills.rows, 61_530);
}

#[test]
fn reads_technology_and_education_with_exact_counts() {
    let r = read(&onet_dir()).expect("29.0 is valid").release;
    assert_eq!(r.technology_skills.len(), 32_470);
    let occupations: std::collections::HashSet<SocCode> =
        r.technology_skills.iter().map(|t| t.occupation).collect();
    assert_eq!(occupations.len(), 923);
    let first = &r.technology_skills[0];
    assert_eq!(
        (
            first.occupation.as_str(),
            first.example.as_str(),
            first.commodity_code,
            first.commodity_title.as_str(),
            first.hot,
            first.in_demand
        ),
        (
            "11-1011.00",
            "Adobe Acrobat",
            43232202,
            "Document management software",
            true,
            false
        )
    );
    assert_eq!(r.technology_skills.iter().filter(|t| t.hot).count(), 11_573);
    assert_eq!(
        r.technology_skills.iter().filter(|t| t.in_demand).count(),
        1_979
    );
    assert_eq!(r.education_categories.len(), 41);
    assert_eq!(r.education.len(), 36_209);
    let occupations: std::collections::HashSet<SocCode> =
        r.education.iter().map(|e| e.occupation).collect();
    assert_eq!(occupations.len(), 858);
    // Line 3: 11-1011.00 2.D.1 RL category 2, 4.46 % (N 28, SE 4.1428, CI 0.6307–25.5524).
    let e = &r.education[1];
    assert_eq!(
        (
            e.occupation.as_str(),
            e.element.as_str(),
            e.scale.as_str(),
            e.category
        ),
        ("11-1011.00", "2.D.1", "RL", Some(2))
    );
    assert_eq!(
        (e.value, e.n, e.standard_error),
        (4.46, Some(28), Some(4.1428))
    );
    assert_eq!((e.lower_ci, e.upper_ci), (Some(0.6307), Some(25.5524)));
    let importance = r
        .education
        .iter()
        .filter(|e| e.scale.as_str() == "IM")
        .count();
    assert_eq!(importance, 1031);
    assert!(
        r.education
            .iter()
            .all(|e| e.category.is_none() == (e.scale.as_str() == "IM"))
    );
    let bachelor = r
        .education_categories
        .iter()
        .find(|c| c.scale.as_str() == "RL" && c.category == 6)
        .unwrap();
    assert!(
        bachelor.description.starts_with("Bachelor"),
        "{}",
        bachelor.description
    );
    let file = r
        .files
        .iter()
        .find(|f| f.name == "Technology Skills.txt")
        .unwrap();
    assert_eq!(
        (file.sha256.as_str(), file.rows),
        (
            "fcbab497c7bd587d419b73a47cc1705c3241022c3f7e9c75137309234da8b29c",
            32_470
        )
    );
}

#[test]
fn bad_technology_and_education_rows_name_file_line_and_column() {
    let tech = "Technology Skills.txt";
    let ete = "Education, Training, and Experience.txt";
    let copy = ReleaseCopy::new();
    copy.edit_line(tech, 2, |l| l.replace("\tY\tN", "\tyes\tN"));
    copy.edit_line(tech, 3, |l| l.replace("43232306", "4323230"));
    copy.edit_line(ete, 3, |l| l.replace("\tRL\t2\t", "\tRL\t13\t"));
    copy.edit_line(ete, 5, |l| l.replace("\tRL\t4\t", "\tRL\t3\t"));
    let e = err(&copy);
    assert!(
        e.contains("Technology Skills.txt line 2, column `Hot Technology`: expected `Y` or `N`, found `yes`"),
        "{e}"
    );
    assert!(
        e.contains("Technology Skills.txt line 3, column `Commodity Code`"),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "{ete} line 3, column `Category`: unknown category 13 of 2.D.1 RL"
        )),
        "{e}"
    );
    assert!(
        e.contains(&format!("{ete} line 5, column `Scale ID`: duplicate row: 11-1011.00 2.D.1 RL category 3 already appears on line 4")),
        "{e}"
    );
    assert!(e.contains("4 invalid rows"), "{e}");
}

#[test]
fn education_rows_need_their_categories_file() {
    let copy =
        ReleaseCopy::with_files(|n| n != "Education, Training, and Experience Categories.txt");
    let e = err(&copy);
    assert!(
        e.contains("`Education, Training, and Experience Categories.txt` is missing"),
        "{e}"
    );
    let copy = ReleaseCopy::with_files(|n| {
        !n.starts_with("Education, Training") && n != "Technology Skills.txt"
    });
    let r = read(&copy.dir).unwrap().release;
    assert!(r.education.is_empty() && r.technology_skills.is_empty());
    assert_eq!(r.tasks.len(), 18_796);
}

#[test]
fn lf_line_ends_read_the_same_as_crlf() {
    let copy = ReleaseCopy::new();
    copy.edit("Skills.txt", |t| t.replace("\r\n", "\n"));
    let out = read(&copy.dir).unwrap();
    assert_eq!(out.release.ratings.len(), 61_530 + 58_014);
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let copy = ReleaseCopy::new();
    copy.edit("Occupation Data.txt", |t| format!("\u{feff}{t}"));
    assert_eq!(read(&copy.dir).unwrap().release.occupations.len(), 1016);
}

fn err(copy: &ReleaseCopy) -> String {
    read(&copy.dir)
        .expect_err("damaged release must fail")
        .to_string()
}

#[test]
fn a_missing_directory_is_named() {
    let e = read(std::path::Path::new("/nonexistent/db_29_0_text")).unwrap_err();
    assert!(matches!(e, ReleaseError::DirectoryNotFound(_)));
    assert!(e.to_string().contains("/nonexistent/db_29_0_text"));
}

#[test]
fn a_missing_required_file_is_named() {
    let copy = ReleaseCopy::with_files(|n| n != "Scales Reference.txt");
    let e = err(&copy);
    assert!(e.contains("`Scales Reference.txt` is missing"), "{e}");
}

#[test]
fn optional_files_may_be_absent() {
    let copy = ReleaseCopy::with_files(|n| n != "Task Statements.txt" && n != "Job Zones.txt");
    let out = read(&copy.dir).unwrap();
    assert!(out.release.tasks.is_empty() && out.release.job_zones.is_empty());
    assert_eq!(out.release.alternate_titles.len(), 55_120);
}

#[test]
fn an_empty_file_is_an_error() {
    let copy = ReleaseCopy::new();
    copy.write("Knowledge.txt", "");
    assert!(err(&copy).contains("`Knowledge.txt` is empty"));
    copy.write("Knowledge.txt", "O*NET-SOC Code\tElement ID\r\n");
    assert!(err(&copy).contains("`Knowledge.txt` is empty"));
}

#[test]
fn a_misspelled_header_names_file_column_and_suggestion() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Skills.txt", 1, |h| h.replace("Data Value", "Data Valeu"));
    let e = err(&copy);
    assert!(e.contains("`Skills.txt` has no column `Data Value`"), "{e}");
    assert!(e.contains("did you mean `Data Valeu`"), "{e}");
}

#[test]
fn too_few_and_too_many_fields_name_the_line() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Skills.txt", 5, |l| {
        l.rsplit_once('\t').unwrap().0.to_owned()
    });
    copy.edit_line("Skills.txt", 9, |l| format!("{l}\textra"));
    let e = err(&copy);
    assert!(
        e.contains(
            "Skills.txt line 5: expected 13 tab-separated fields (as in the header), found 12"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "Skills.txt line 9: expected 13 tab-separated fields (as in the header), found 14"
        ),
        "{e}"
    );
}

#[test]
fn non_numeric_and_out_of_range_values_name_line_and_column() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Skills.txt", 2, |l| l.replace("\t4.12\t", "\tabc\t"));
    copy.edit_line("Skills.txt", 3, |l| l.replace("\t4.62\t", "\t9.00\t"));
    let e = err(&copy);
    assert!(
        e.contains("Skills.txt line 2, column `Data Value`: expected a number, found `abc`"),
        "{e}"
    );
    assert!(e.contains("Skills.txt line 3, column `Data Value`: expected a value from 0 to 7 (scale LV Level), found 9.00"), "{e}");
}

#[test]
fn unknown_codes_and_descriptors_are_rejected() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Knowledge.txt", 2, |l| {
        l.replacen("11-1011.00", "99-9999.00", 1)
    });
    copy.edit_line("Knowledge.txt", 4, |l| l.replacen("2.C.1.b", "2.C.1.z", 1));
    let e = err(&copy);
    assert!(
        e.contains(
            "Knowledge.txt line 2, column `O*NET-SOC Code`: unknown occupation `99-9999.00`"
        ),
        "{e}"
    );
    assert!(
        e.contains("Knowledge.txt line 4, column `Element ID`: unknown element `2.C.1.z`"),
        "{e}"
    );
}

#[test]
fn a_duplicate_row_is_rejected_with_the_first_line() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Skills.txt", 3, |l| {
        let mut f: Vec<&str> = l.split('\t').collect();
        f[3] = "IM";
        f.join("\t")
    });
    let e = err(&copy);
    assert!(e.contains("Skills.txt line 3, column `Scale ID`: duplicate rating: 11-1011.00 2.A.1.a IM already appears on line 2"), "{e}");
    assert!(
        e.contains("has no LV rating for 2.A.1.a (Reading Comprehension)"),
        "{e}"
    );
}

#[test]
fn a_file_cut_off_mid_line_is_an_error() {
    let copy = ReleaseCopy::new();
    let bytes = copy.read("Skills.txt");
    copy.write("Skills.txt", &bytes[..bytes.len() - 30]);
    let e = err(&copy);
    assert!(
        e.contains("`Skills.txt` ends in the middle of line 61531"),
        "{e}"
    );
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let copy = ReleaseCopy::new();
    let mut bytes = copy.read("Occupation Data.txt");
    let at = bytes.iter().position(|b| *b == b'\n').unwrap() + 5;
    bytes[at] = 0xFF;
    copy.write("Occupation Data.txt", &bytes);
    let e = err(&copy);
    assert!(
        e.contains(&format!("invalid byte at offset {at} (line 2)")),
        "{e}"
    );
}

#[test]
fn lenient_mode_keeps_valid_rows_and_reports_the_rest() {
    let copy = ReleaseCopy::new();
    // One bad value drops that row, which leaves its occupation incomplete in Skills.txt.
    copy.edit_line("Skills.txt", 2, |l| l.replace("\t4.12\t", "\t-1\t"));
    copy.edit_line("Alternate Titles.txt", 2, |l| {
        l.replacen("11-1011.00", "11-1011.0X", 1)
    });
    let out = lenient(&copy.dir);
    let skills = out
        .release
        .ratings
        .iter()
        .filter(|r| Domain::of(&r.element) == Some(Domain::Skills))
        .count();
    assert_eq!(skills, 61_530 - 70);
    assert_eq!(out.release.alternate_titles.len(), 55_120 - 1);
    assert!(
        !out.release
            .ratings
            .iter()
            .any(|r| r.occupation.as_str() == "11-1011.00"
                && Domain::of(&r.element) == Some(Domain::Skills))
    );
    assert_eq!(out.rejected[0].line, 2);
    assert_eq!(out.rejected[0].column, Some("Data Value"));
    let dropped = out
        .rejected
        .iter()
        .filter(|r| r.reason.starts_with("dropped"))
        .count();
    assert_eq!(dropped, 69);
    assert!(
        out.rejected
            .iter()
            .any(|r| r.file == "Alternate Titles.txt" && r.line == 2)
    );
}

#[test]
fn the_version_can_be_given_when_the_path_does_not_say() {
    let copy = ReleaseCopy::new();
    let plain = copy.dir.with_file_name("onet");
    std::fs::rename(&copy.dir, &plain).unwrap();
    let e = read(&plain).unwrap_err();
    assert!(e.to_string().contains("--release-version"), "{e}");
    let opts = LoadOptions {
        lenient: false,
        version: Some("29.0".into()),
    };
    let out = read_release(&ReleaseSource::Dir(plain.clone()), &opts, &SilentProgress).unwrap();
    assert_eq!(out.release.version, "29.0");
    std::fs::rename(&plain, &copy.dir).unwrap();
}

#[test]
fn a_descriptor_missing_from_the_whole_file_is_an_error() {
    let copy = ReleaseCopy::new();
    copy.edit("Skills.txt", |t| {
        t.lines()
            .filter(|l| !l.contains("\t2.A.1.a\t"))
            .map(|l| format!("{l}\r\n"))
            .collect()
    });
    let e = err(&copy);
    assert!(e.contains("Skills.txt line 1, column `Element ID`: no occupation has a rating for 2.A.1.a (Reading Comprehension)"), "{e}");
    assert!(e.contains("all 35 of them"), "{e}");
}

#[test]
fn ratings_files_hold_only_importance_and_level() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Skills.txt", 2, |l| l.replace("\tIM\t", "\tCX\t"));
    copy.edit_line("Skills.txt", 4, |l| {
        l.replace("\tn/a\t08/2023", "\tY\t08/2023")
    });
    let e = err(&copy);
    assert!(e.contains("Skills.txt line 2, column `Scale ID`: expected IM or LV in a ratings file, found `CX` (Context)"), "{e}");
    assert!(e.contains("Skills.txt line 4, column `Not Relevant`: expected `n/a`: Not Relevant applies to level (LV) rows only"), "{e}");
}
