//! `label-sheet` and `label-apply`: a page's labels corrected in a sheet come
//! back as labelled HTML that trains and evaluates like any labelled page.

mod common;

use common::*;

const PAGE: &str = "<html><body><nav><ul><li><a href=/>Home</a></li><li><a href=/w>World</a></li></ul></nav>\
<article><h1>Oil prices climb</h1><p>Oil prices rose on Monday after the cartel said it would cut output.</p>\
<p>Advertisement</p><p>Analysts expect further rises this winter.</p></article>\
<footer><p>© 2025 Example News. All rights reserved.</p></footer></body></html>";

fn rows(sheet: &str) -> Vec<Vec<String>> {
    sheet
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn corrected_sheet_becomes_labelled_html() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(&page, PAGE).unwrap();
    let sheets = dir.path().join("sheets");
    let o = run(
        &[
            "label-sheet",
            page.to_str().unwrap(),
            "--out",
            sheets.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sheet_path = sheets.join("p.tsv");
    let sheet = std::fs::read_to_string(&sheet_path).unwrap();
    assert!(sheet.contains(&format!("# source: {}", page.display())));
    let r = rows(&sheet);
    let texts: Vec<&str> = r.iter().map(|c| c[4].as_str()).collect();
    assert_eq!(
        texts,
        [
            "Home",
            "World",
            "Oil prices climb",
            "Oil prices rose on Monday after the cartel said it would cut output.",
            "Advertisement",
            "Analysts expect further rises this winter.",
            "© 2025 Example News. All rights reserved."
        ]
    );
    // Set the labels a reader would give, then apply.
    let want = ["nav", "nav", "body", "body", "ad", "body", "legal"];
    let mut edited = String::new();
    for line in sheet.lines() {
        if line.starts_with('#') {
            edited.push_str(line);
        } else {
            let mut c: Vec<&str> = line.split('\t').collect();
            let n: usize = c[0].parse().unwrap();
            c[1] = want[n];
            c[2] = "en";
            edited.push_str(&c.join("\t"));
        }
        edited.push('\n');
    }
    std::fs::write(&sheet_path, edited).unwrap();
    let out = dir.path().join("labelled");
    let o = run(
        &[
            "label-apply",
            sheet_path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 blocks unmatched"), "{}", stderr(&o));
    // The labelled page's own labels now show in a new sheet.
    let again = dir.path().join("again");
    let o = run(
        &[
            "label-sheet",
            out.join("p.html").to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = rows(&std::fs::read_to_string(again.join("p.tsv")).unwrap());
    let roles: Vec<&str> = r.iter().map(|c| c[1].as_str()).collect();
    assert_eq!(roles, want);
}

#[test]
fn sheet_with_a_bad_label_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(&page, PAGE).unwrap();
    let sheet = dir.path().join("p.tsv");
    std::fs::write(
        &sheet,
        format!("# source: {}\n0\tmenu\ten\tli\tHome\n", page.display()),
    )
    .unwrap();
    let o = run(&["label-apply", sheet.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("p.tsv:2"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        PAGE,
        "source untouched"
    );
}

#[test]
fn pages_of_one_name_in_different_directories_get_a_sheet_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for site in ["a-news", "b-news", "b-news/archive"] {
        let d = dir.path().join(site);
        std::fs::create_dir_all(&d).unwrap();
        let page = d.join("home.html");
        std::fs::write(&page, PAGE.replace("Oil prices climb", site)).unwrap();
        pages.push(page);
    }
    // `home.htm` beside `b-news/home.html`: its name and its directory's
    // form are both taken, so it is numbered.
    let third = dir.path().join("b-news").join("home.htm");
    std::fs::write(&third, PAGE).unwrap();
    pages.push(third);
    let sheets = dir.path().join("sheets");
    let mut args = vec!["label-sheet", "--out", sheets.to_str().unwrap()];
    args.extend(pages.iter().map(|p| p.to_str().unwrap()));
    let o = run(&args, b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&sheets)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "archive~home.tsv",
            "b-news~home.tsv",
            "home.tsv",
            "home~2.tsv"
        ]
    );
    // Each sheet names its own page, so applying them finds every page.
    let mut sources: Vec<String> = names
        .iter()
        .map(|n| {
            let s = std::fs::read_to_string(sheets.join(n)).unwrap();
            s.lines()
                .find_map(|l| l.strip_prefix("# source: ").map(str::to_string))
                .unwrap()
        })
        .collect();
    sources.sort();
    let mut want: Vec<String> = pages.iter().map(|p| p.display().to_string()).collect();
    want.sort();
    assert_eq!(sources, want);
}
