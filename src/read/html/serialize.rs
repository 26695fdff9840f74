//! Labelled HTML out: a parsed page written back with its block labels on it.
//!
//! In: a parsed page ([`super::HtmlPage`], extracted with
//! [`super::extract::Options::record_nodes`]) and a role and language for
//! each block. Out: an HTML document in the labelled-HTML training format:
//! `data-ghirbal-role` / `data-ghirbal-lang` on each element that owns
//! blocks, and — where one element's own blocks disagree (a `<p>` whose
//! `<br>`-separated lines have different roles) — on a bare `<span>` around
//! each of its text nodes. The head is replaced by `<meta charset="utf-8">`
//! and `ghirbal:id` / `ghirbal:url` metas; invisible content (scripts,
//! styles, comments, hidden elements) is left out, which changes no block
//! and no structural feature (those ignore invisible content and
//! label-only spans). Reading the output back gives the same blocks.

use super::dom::{Kind, NodeId, NONE};
use super::extract::is_skipped;
use super::HtmlPage;
use html5ever::serialize::{HtmlSerializer, SerializeOpts, Serializer, TraversalScope};
use html5ever::{ns, LocalName, QualName};
use std::collections::HashMap;
use std::io::{self, Write};

fn qual(local: &str) -> QualName {
    QualName::new(None, ns!(html), LocalName::from(local))
}

fn attr_name(local: &str) -> QualName {
    QualName::new(None, ns!(), LocalName::from(local))
}

/// Write `page` as labelled HTML; `labels[i]` is block `i`'s `(role, lang)`.
pub fn write_labelled<W: Write>(
    out: W,
    page: &HtmlPage,
    labels: &[(&str, &str)],
) -> io::Result<()> {
    let dom = &page.dom;
    let x = &page.extracted;
    // Per owner: the labels of its blocks if they agree, else None.
    let mut owner_labels: HashMap<NodeId, Option<(&str, &str)>> = HashMap::new();
    for (i, &o) in x.owners.iter().enumerate() {
        let l = labels[i];
        owner_labels
            .entry(o)
            .and_modify(|e| {
                if *e != Some(l) {
                    *e = None
                }
            })
            .or_insert(Some(l));
    }
    let mut span_for: HashMap<NodeId, (&str, &str)> = HashMap::new();
    for &(t, b) in &x.text_nodes {
        let b = b as usize;
        if owner_labels.get(&x.owners[b]) == Some(&None) {
            span_for.insert(t, labels[b]);
        }
    }
    let mut ser = HtmlSerializer::new(
        out,
        SerializeOpts {
            scripting_enabled: !x.fallback,
            traversal_scope: TraversalScope::ChildrenOnly(None),
            create_missing_parent: true,
        },
    );
    if dom
        .children(0)
        .any(|c| matches!(dom.kind(c), Kind::Doctype))
    {
        ser.write_doctype("html")?;
    }
    let Some(root) = dom.root_element() else {
        return Ok(());
    };
    let role = attr_name("data-ghirbal-role");
    let lang = attr_name("data-ghirbal-lang");
    let mut node = root;
    loop {
        let n = dom.node(node);
        let mut opened = false;
        match dom.kind(node) {
            Kind::Element(e) if e.is_html() && &**e.local() == "head" => {
                ser.start_elem(qual("head"), std::iter::empty())?;
                let charset = (attr_name("charset"), "utf-8".to_string());
                ser.start_elem(
                    qual("meta"),
                    std::iter::once((&charset.0, charset.1.as_str())),
                )?;
                ser.end_elem(qual("meta"))?;
                let metas = [
                    ("ghirbal:id", Some(page.page.id.as_str())),
                    ("ghirbal:url", page.page.url.as_deref()),
                ];
                for (name, value) in metas {
                    if let Some(v) = value {
                        let a = [(attr_name("name"), name), (attr_name("content"), v)];
                        ser.start_elem(qual("meta"), a.iter().map(|(n, v)| (n, *v)))?;
                        ser.end_elem(qual("meta"))?;
                    }
                }
                ser.end_elem(qual("head"))?;
            }
            Kind::Element(e) if !is_skipped(e, x.fallback) => {
                let extra = owner_labels.get(&node).copied().flatten();
                let mut attrs: Vec<(&QualName, &str)> =
                    e.attrs.iter().map(|a| (&a.name, &*a.value)).collect();
                if let Some((r, l)) = extra {
                    attrs.push((&role, r));
                    attrs.push((&lang, l));
                }
                ser.start_elem(e.name.clone(), attrs.into_iter())?;
                opened = true;
            }
            Kind::Text(t) => match span_for.get(&node) {
                Some((r, l)) => {
                    let a = [(&role, *r), (&lang, *l)];
                    ser.start_elem(qual("span"), a.into_iter())?;
                    ser.write_text(t)?;
                    ser.end_elem(qual("span"))?;
                }
                None => ser.write_text(t)?,
            },
            _ => {}
        }
        if opened && n.first_child != NONE {
            node = n.first_child;
            continue;
        }
        let mut cur = node;
        let mut close = opened;
        loop {
            let cn = dom.node(cur);
            if close {
                if let Kind::Element(e) = dom.kind(cur) {
                    ser.end_elem(e.name.clone())?;
                }
            }
            if cur == root {
                return Ok(());
            }
            if cn.next != NONE {
                node = cn.next;
                break;
            }
            cur = cn.parent;
            if cur == NONE {
                return Ok(());
            }
            close = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Limits;
    use crate::read::html::extract::Options;

    #[test]
    fn labelled_output_reads_back_to_the_same_blocks_and_labels() {
        let html = "<!doctype html><html lang=en><head><title>t</title><script>x</script></head>\
            <body class=page><nav><a href=/>Home</a> <a href=/n>News</a></nav>\
            <p>Para one &amp; more.<br>Share this</p><!-- c --><div hidden>h</div>\
            <footer>© 2025</footer></body></html>";
        let opts = Options {
            record_nodes: true,
            ..Options::default()
        };
        let page = crate::read::html::parse_page(
            "p",
            Some("https://x.example/a"),
            html.as_bytes(),
            None,
            &Limits::default(),
            opts,
        );
        let labels = [
            ("nav", "en"),
            ("body", "en"),
            ("chrome", "en"),
            ("legal", "none"),
        ];
        let mut out = Vec::new();
        write_labelled(&mut out, &page, &labels).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            !s.contains("<script") && !s.contains("hidden") && !s.contains("<!--"),
            "{s}"
        );
        assert!(
            s.contains("<meta name=\"ghirbal:url\" content=\"https://x.example/a\">"),
            "{s}"
        );
        let back = crate::read::html::parse_page(
            "q",
            None,
            s.as_bytes(),
            None,
            &Limits::default(),
            Options::default(),
        );
        assert_eq!(back.page.text, page.page.text);
        let got: Vec<(Option<&str>, Option<&str>)> = back
            .extracted
            .labels
            .iter()
            .map(|(r, l)| (r.as_deref(), l.as_deref()))
            .collect();
        let want: Vec<_> = labels.iter().map(|(r, l)| (Some(*r), Some(*l))).collect();
        assert_eq!(got, want);
        let mut s0 = page.page.blocks[1].structure.as_deref().unwrap().clone();
        let s1 = back.page.blocks[1].structure.as_deref().unwrap();
        // Ancestors are named by node numbers, which differ between the two
        // documents; how many there are does not.
        let depth = |s: &crate::page::Structure| {
            s.ancestors
                .iter()
                .filter(|&&a| a != crate::page::NO_ANCESTOR)
                .count()
        };
        assert_eq!(depth(&s0), depth(s1));
        s0.ancestors = s1.ancestors;
        assert_eq!(&s0, s1);
        assert_eq!(
            back.extracted.head.url.as_deref(),
            Some("https://x.example/a")
        );
    }
}
