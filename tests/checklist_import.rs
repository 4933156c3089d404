//! `fieldaudit checklist import`: CISO Assistant framework libraries and CSV
//! tables become checklists that validate and can be audited against. Every
//! library here is written by the test, in that format.

mod common;

use common::Sandbox;

/// One requirement node of a library, as YAML list item lines.
fn node(
    urn: &str,
    ref_id: Option<&str>,
    name: &str,
    depth: u32,
    parent: Option<&str>,
    assessable: bool,
) -> String {
    let mut out = format!("      - urn: {urn}\n");
    if let Some(r) = ref_id {
        out += &format!("        ref_id: '{r}'\n");
    }
    out += &format!(
        "        name: \"{name}\"\n        depth: {depth}\n        assessable: {assessable}\n"
    );
    if let Some(p) = parent {
        out += &format!("        parent_urn: {p}\n");
    }
    if assessable {
        out += "        description: \"Is it done, and who checks it?\"\n";
        out += "        annotation: Look at the last two cycles.\n";
        out += "        typical_evidence: \"- A record\\n- Minutes of the review\"\n";
    }
    out
}

fn library(nodes: &[String]) -> String {
    format!(
        "urn: urn:test:risk:library:made-up\nref_id: Made-Up 2026\nname: Made-up framework\nlocale: en\nobjects:\n  framework:\n    urn: urn:test:risk:framework:made-up\n    ref_id: made-up\n    name: Made-up framework\n    requirement_nodes:\n{}",
        nodes.concat()
    )
}

/// Three depths, a node without ref_id, a duplicate ref_id, non-ASCII names
/// and an assessable node under an assessable one.
fn small_library() -> String {
    let u = |s: &str| format!("urn:test:req:made-up:{s}");
    library(&[
        node(&u("1"), Some("1"), "Gouvernance et société", 1, None, false),
        node(
            &u("1.1"),
            Some("1.1"),
            "Rôles — responsabilités",
            2,
            Some(&u("1")),
            false,
        ),
        node(
            &u("1.1.1"),
            Some("1.1.1"),
            "Ведущий аудитор",
            3,
            Some(&u("1.1")),
            true,
        ),
        node(
            &u("1.1.1.a"),
            None,
            "Sub-point without ref_id",
            4,
            Some(&u("1.1.1")),
            true,
        ),
        node(
            &u("1.1.2"),
            Some("1.1.1"),
            "Duplicate ref_id",
            3,
            Some(&u("1.1")),
            true,
        ),
        node(&u("2"), Some("2"), "審査", 1, None, false),
        node(
            &u("2.1"),
            Some("2 1"),
            "Ref id with a space",
            2,
            Some(&u("2")),
            true,
        ),
    ])
}

#[test]
fn a_library_imports_validates_and_is_audited_against() {
    let s = Sandbox::new();
    s.write("lib.yaml", &small_library());
    let out = s.run("checklist import lib.yaml --from ciso-assistant -o made.ron");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        warnings.contains(
            "(urn 'urn:test:req:made-up:1.1.1.a'): has no ref_id; its requirement is '1.1.1.a'"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "made-up:1.1.2'): its ref_id '1.1.1' is already used; its requirement is '1.1.2'"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("its ref_id '2 1' is not a valid id; its requirement is '2.1'"),
        "{warnings}"
    );
    assert!(s.ok("checklist validate made.ron").contains("made-up-2026"));
    let shown = s.json("checklist show made.ron --json");
    let ids: Vec<&str> = shown["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1.1.1", "1.1.1.a", "1.1.2", "2.1"]);
    let first = &shown["requirements"][0];
    assert_eq!(first["title"], "Ведущий аудитор");
    assert_eq!(first["section"], "1.1");
    assert_eq!(first["questions"][0], "Is it done, and who checks it?");
    assert_eq!(first["questions"][1], "Look at the last two cycles.");
    assert_eq!(first["evidence"][1], "Minutes of the review");
    s.ok("new a.ron --checklist made.ron --client Acme");
    s.ok("assess a.ron 1.1.1.a --verdict conforming");
    assert!(s.read("a.ron").contains("1.1.1.a"));
}

#[test]
fn a_large_library_of_1200_nodes_imports_in_one_go() {
    let s = Sandbox::new();
    let mut nodes = Vec::new();
    for c in 1..=40 {
        let chapter = format!("urn:test:req:big:{c}");
        nodes.push(node(
            &chapter,
            Some(&c.to_string()),
            &format!("Chapter {c}"),
            1,
            None,
            false,
        ));
        for p in 1..=5 {
            let part = format!("{chapter}.{p}");
            nodes.push(node(
                &part,
                Some(&format!("{c}.{p}")),
                "Part",
                2,
                Some(&chapter),
                false,
            ));
            for r in 1..=5 {
                let req = format!("{part}.{r}");
                nodes.push(node(
                    &req,
                    Some(&format!("{c}.{p}.{r}")),
                    "Control é",
                    3,
                    Some(&part),
                    true,
                ));
            }
        }
    }
    assert_eq!(nodes.len(), 1240);
    s.write("big.yaml", &library(&nodes));
    let out = s.ok("checklist import big.yaml --from ciso-assistant -o big.ron");
    assert!(out.contains("200 sections, 1000 requirements"), "{out}");
    s.ok("checklist validate big.ron");
    s.ok("new a.ron --checklist big.ron --client Acme");
    s.ok("assess a.ron 40.5.5 --verdict nonconforming");
}

#[test]
fn a_missing_field_and_bad_yaml_name_file_line_and_column() {
    let s = Sandbox::new();
    s.write(
        "nourn.yaml",
        &small_library().replacen(
            "      - urn: urn:test:req:made-up:2\n",
            "      - nourn: x\n",
            1,
        ),
    );
    let err = s.fails("checklist import nourn.yaml --from ciso-assistant -o x.ron");
    assert!(
        err.contains("nourn.yaml:") && err.contains("missing field `urn`"),
        "{err}"
    );
    assert!(
        err.contains("nourn.yaml:48:9:"),
        "the line of the node: {err}"
    );
    s.write(
        "bad.yaml",
        "objects:\n  framework:\n    requirement_nodes:\n      - urn: \"a\n",
    );
    let err = s.fails("checklist import bad.yaml --from ciso-assistant -o x.ron");
    assert!(
        err.contains("bad.yaml:5:1: found unexpected end of stream"),
        "{err}"
    );
    assert!(!s.path("x.ron").exists());
}

#[test]
fn hostile_files_are_refused_or_bounded() {
    let s = Sandbox::new();
    // Larger than the bound: refused unread.
    let big = std::fs::File::create(s.path("huge.yaml")).unwrap();
    big.set_len(33 * 1024 * 1024).unwrap();
    let err = s.fails("checklist import huge.yaml --from ciso-assistant -o x.ron");
    assert!(
        err.contains("huge.yaml: the file is larger than 32 MiB"),
        "{err}"
    );
    // Binary.
    std::fs::write(s.path("bin.yaml"), [0x7f, 0x45, 0x4c, 0x46, 0xff, 0x00]).unwrap();
    let err = s.fails("checklist import bin.yaml --from ciso-assistant -o x.ron");
    assert!(
        err.contains("bin.yaml:1:5: byte 0xFF is not UTF-8"),
        "{err}"
    );
    // Deep brackets, which the YAML parser takes quadratic time over.
    let deep = format!(
        "objects: {{framework: {{requirement_nodes: [{{urn: x, assessable: true, x: {}{}}}]}}}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    s.write("deep.yaml", &deep);
    let err = s.fails("checklist import deep.yaml --from ciso-assistant -o x.ron");
    assert!(
        err.contains("deep.yaml:1:") && err.contains("nest deeper than 64"),
        "{err}"
    );
    // An alias bomb: nine to the eleventh strings if expanded.
    let mut bomb = String::from("a: &a [l, l, l, l, l, l, l, l, l]\n");
    let names: Vec<char> = "abcdefghijk".chars().collect();
    for w in names.windows(2) {
        bomb += &format!(
            "{}: &{} [{}]\n",
            w[1],
            w[1],
            vec![format!("*{}", w[0]); 9].join(", ")
        );
    }
    bomb += "objects: {framework: {requirement_nodes: [{urn: x, ref_id: X, assessable: true, extra: *k}]}}\n";
    s.write("bomb.yaml", &bomb);
    let started = std::time::Instant::now();
    let _ = s.run("checklist import bomb.yaml --from ciso-assistant -o bomb.ron");
    assert!(
        started.elapsed().as_secs() < 10,
        "the alias bomb took {:?}",
        started.elapsed()
    );
}

#[test]
fn parent_cycles_missing_parents_and_control_characters() {
    let s = Sandbox::new();
    let text = "objects:\n  framework:\n    requirement_nodes:\n\
      - {urn: a, ref_id: A, name: \"Bell\\u0007 and \\e[31mred\", assessable: true, parent_urn: b}\n\
      - {urn: b, ref_id: B, name: B, assessable: true, parent_urn: a}\n\
      - {urn: c, ref_id: C, name: C, assessable: true, parent_urn: \"gone\\e[2J\"}\n"
        .replace("\\\n", "\n")
        .replace("\n- ", "\n      - ");
    s.write("cyc.yaml", &text);
    let out = s.run("checklist import cyc.yaml --from ciso-assistant -o cyc.ron");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("cycle; placed at the top"), "{stderr}");
    assert!(
        stderr.contains("is not in the library; placed at the top"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "raw escape on the terminal: {stderr:?}"
    );
    let shown = s.json("checklist show cyc.ron --json");
    assert_eq!(
        shown["requirements"][0]["title"],
        "Bell\u{7} and \u{1b}[31mred"
    );
    let outline = s.ok("checklist show cyc.ron");
    assert!(
        !outline.contains('\u{1b}') && !outline.contains('\u{7}'),
        "{outline:?}"
    );
}

#[test]
fn an_existing_output_is_never_replaced() {
    let s = Sandbox::new();
    s.write("lib.yaml", &small_library());
    s.write("made.ron", "mine");
    let err = s.fails("checklist import lib.yaml --from ciso-assistant -o made.ron");
    assert!(err.contains("made.ron: already exists"), "{err}");
    assert_eq!(s.read("made.ron"), "mine");
}

const HEAD: &str = "section_id,section_title,kind,id,title,question,evidence,maps_to\n";

#[test]
fn a_csv_table_imports_with_multi_line_cells() {
    let s = Sandbox::new();
    s.write(
        "t.csv",
        &format!(
            "{HEAD}6,Planning,clause,6.1,Risks and chances,\"Who owns the risk register?\nHow often is it reviewed?\",\"Risk register\nReview minutes\",iso42001-2023:6.1.2; iso42001-2023:6.1.3\nA.2,Policies,control,A.2.2,AI policy — écrite,Is there a policy?,Policy document,\n6,Planning,clause,6.2,Objectives,Are objectives set?,Objectives list,\n"
        ),
    );
    let out =
        s.ok("checklist import t.csv --from csv --id acme-ai --title 'Acme AI checklist' -o t.ron");
    assert!(out.contains("2 sections, 3 requirements"), "{out}");
    s.ok("checklist validate t.ron");
    let shown = s.json("checklist show t.ron --json");
    let first = &shown["requirements"][0];
    assert_eq!(first["questions"].as_array().unwrap().len(), 2);
    assert_eq!(first["evidence"][1], "Review minutes");
    assert_eq!(first["maps_to"][1], "iso42001-2023:6.1.3");
    assert_eq!(
        shown["requirements"][1]["id"], "6.2",
        "rows of a section are kept together"
    );
    assert_eq!(shown["requirements"][2]["kind"], "control");
    s.ok("new a.ron --checklist t.ron --client Acme");
    s.ok("assess a.ron A.2.2 --verdict conforming");
}

#[test]
fn csv_refusals_name_the_line_and_column() {
    let s = Sandbox::new();
    let cases = [
        (
            format!("{HEAD}6,P,clause,6.1,T,Q,E,\n6,P,rule,6.2,T,Q,E,\n"),
            "t.csv:3: column `kind`",
        ),
        (
            "section_id,section_title,id,title,question,evidence,maps_to\n".to_string(),
            "column `kind`",
        ),
        (
            format!("{HEAD}6,P,clause,6.1,T,\"Q\nQ2\",E,\n6,P,clause,6.1,T,Q,E,\n"),
            "t.csv:4: column `id`",
        ),
        (
            format!("{HEAD}6,P,clause,6.1,T,Q,E,\n6,P,clause\n"),
            "t.csv:3: the row has 3 cell(s) where the header row has 8",
        ),
        (
            format!("{HEAD}6,P,clause,6.1,T,Q,E,nowhere:1\n"),
            "unknown checklist 'nowhere'",
        ),
    ];
    for (text, expected) in cases {
        s.write("t.csv", &text);
        let err = s.fails("checklist import t.csv --from csv --id a --title A -o t.ron");
        assert!(err.contains(expected), "expected {expected:?} in: {err}");
        assert!(!s.path("t.ron").exists());
    }
    s.write("t.csv", &format!("{HEAD}6,P,clause,6.1,T,Q,E,\n"));
    let err = s.fails("checklist import t.csv --from csv --id iso42001-2023 --title A -o t.ron");
    assert!(
        err.contains("'iso42001-2023' is the id of a checklist shipped"),
        "{err}"
    );
    let err = s.fails("checklist import t.csv --from csv -o t.ron");
    assert!(err.contains("--id ID and --title TITLE"), "{err}");
}

#[test]
fn a_long_chain_of_assessable_parents_imports_in_linear_time() {
    let s = Sandbox::new();
    let mut text = String::from("objects:\n  framework:\n    requirement_nodes:\n");
    for i in 0..40_000 {
        text += &format!(
            "      - {{urn: n{i}, ref_id: n{i}, assessable: true, parent_urn: n{}}}\n",
            i.max(1) - 1
        );
    }
    s.write("chain.yaml", &text);
    let started = std::time::Instant::now();
    let out = s.ok("checklist import chain.yaml --from ciso-assistant -o chain.ron");
    assert!(out.contains("40000 requirements"), "{out}");
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}
