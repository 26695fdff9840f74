//! Which columns push one block of an HTML page to each role (a debugging aid).
//!
//! usage: `[MODEL=model.json] [PASS=1] cargo run --release --example explain PAGE.html NEEDLE`
//! (pass two by default; PASS=1 for pass one; ROLE=chrome etc. for the role
//! weighed against body, legal by default).
use ghirbal::__private::{add_context_probs, places, Extractor, PageProbs, CONTEXT_PROBS, OWN};
use ghirbal::Role;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let html = std::fs::read(&args[1]).unwrap();
    let needle = &args[2];
    let owned = std::env::var("MODEL")
        .ok()
        .map(|p| ghirbal::Model::from_json(&std::fs::read_to_string(p).unwrap()).unwrap());
    let m = owned
        .as_ref()
        .unwrap_or_else(|| ghirbal::default_model().unwrap());
    let page = ghirbal::page_from_html("x", None, &html, None);
    let langs = ghirbal::identify_blocks(&page);
    let rows = Extractor::new().rows(&page, &langs, m.features());
    assert!(
        m.has_html_passes(),
        "the model has no passes for HTML pages"
    );
    let (pass1, pass2) = m.passes(true);
    let p1: Vec<_> = rows.iter().map(|r| pass1.predict(r)).collect();
    let pl = places(&page);
    let ctx = PageProbs::with_places(&p1, &pl, m.features().container_context);
    let layout = m.layout();
    let i = page
        .iter()
        .position(|(_, t)| t.contains(needle.as_str()))
        .unwrap();
    let first = std::env::var("PASS").is_ok_and(|p| p == "1");
    let pass = if first { pass1 } else { pass2 };
    let row = if first {
        rows[i].clone()
    } else {
        add_context_probs(&rows[i], &ctx, i, &layout)
    };
    println!("block {i}: p1 {:?}", p1[i]);
    let mut groups: std::collections::BTreeMap<String, [f32; 5]> = Default::default();
    for &(c, v) in &row.entries {
        let c = c as usize;
        let name = if c < layout.dense * layout.dense_copies {
            let copy = ["shared", "text", "html"][c / layout.dense];
            let k = c % layout.dense;
            let n = if k < OWN.len() {
                OWN[k].to_string()
            } else {
                format!("neighbour{}", k - OWN.len())
            };
            format!("{n}/{copy}")
        } else if c < layout.pass1 {
            "hashed".to_string()
        } else if c < layout.pass1 + CONTEXT_PROBS {
            "context".to_string()
        } else {
            format!("container{}", c - layout.pass1 - CONTEXT_PROBS)
        };
        let e = groups.entry(name).or_default();
        for (k, ek) in e.iter_mut().enumerate() {
            *ek += pass.weights[c * 5 + k] * v;
        }
    }
    // The role weighed against body: ROLE=chrome|nav|legal|ad (legal by default).
    let against = std::env::var("ROLE").unwrap_or_else(|_| "legal".into());
    let legal = ["body", "chrome", "nav", "legal", "ad"]
        .iter()
        .position(|r| *r == against)
        .unwrap_or(Role::Legal as usize);
    let body = Role::Body as usize;
    let mut v: Vec<_> = groups.into_iter().collect();
    v.sort_by(|a, b| {
        (b.1[legal] - b.1[body])
            .partial_cmp(&(a.1[legal] - a.1[body]))
            .unwrap()
    });
    println!("intercept {:?}", &pass.intercept);
    for (n, s) in v.iter().take(25) {
        println!(
            "{:30} {against}-body {:+.2}  {:?}",
            n,
            s[legal] - s[body],
            s.map(|x| (x * 100.0).round() / 100.0)
        );
    }
}
