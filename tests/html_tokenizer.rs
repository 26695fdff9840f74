//! ghirbal's HTML tokenizer against html5ever's own: the document trees
//! built from either must be the same, for hand-picked corner cases and for
//! random tag soup made of the pieces the tokenizer's states turn on.

use ghirbal::html::dom::{parse_with, parse_with_html5ever_tokenizer};
use proptest::prelude::*;

fn same_tree(html: &str) {
    for scripting in [true, false] {
        let ours = parse_with(html, scripting).outline();
        let theirs = parse_with_html5ever_tokenizer(html, scripting).outline();
        assert_eq!(ours, theirs, "scripting {scripting}, input {html:?}");
    }
}

#[test]
fn corner_cases_build_the_same_tree() {
    let cases = [
        "",
        "\u{feff}<p>bom",
        "\u{feff}\u{feff}<p>two boms",
        "<p>a\r\nb\rc\n\rd</p>",
        "<pre>\nx</pre><pre>\r\ny</pre><pre></>\nz</pre><textarea>\nt</textarea>",
        "<pre>&#10\nx</pre><pre>&#10;x</pre><listing>\n\nl</listing>",
        "<p>&amp; &amp &ampx &notit; &notin; &#65; &#x41; &#X41 &#; &#x; &#0; &#x110000; &#128; &#xD800; &NewLine; &;</p>",
        "<a href='?a=1&b=2&amp;c=3&copy=4&copy;'>x</a><a title=&lt;b&gt>y</a>",
        "<p>\0a</p><svg>\0<![CDATA[x\0y]]]></svg><math><![CDATA[]]></math>",
        "<!DOCTYPE html><p>x",
        "<!doctype html PUBLIC \"-//W3C//DTD HTML 4.01//EN\" 'http://www.w3.org/TR/html4/strict.dtd'><p>x",
        "<!DOCTYPE html SYSTEM \"about:legacy-compat\"><p>x",
        "<!DOCTYPE><p>x",
        "<!DOCTYPE html PUBLIC><p>x",
        "<!DOCTYPE html bogus><p>x",
        "<!-- a -- b --!><!----><!---><!--><!-- <!-- --><? pi ?></ bogus><p>x",
        "<script>if (a<b && c>d) document.write('</scr'+'ipt>');</script><p>after",
        "<script><!--<script>x</script>--></script><p>y",
        "<script><!-- -- <s --></script><script><!--<script></script></script>--></script><p>z",
        "<style>p{}</style </style><title>a&amp;b</titlex></title><p>q",
        "<xmp><b>x</b></xmp><iframe><p></iframe><noscript><p>ns</noscript><plaintext><p>pt",
        "<p a=1 A=2 b c='3'd=4 e = \"5\" f=>g</p><p/><br/><p x/y>",
        "<P CLASS=X><DIV Id=Y>Upper</DIV></P>",
        "<table>x<tr> <td>a</table><frameset> a <frame></frameset> b ",
        "<p>\u{feff}mid</p><script>x</script>\u{feff}after",
        "<meta charset=utf-8>\u{feff}<p>x",
        "<p>unterminated <a href='x",
        "<p>end <",
        "<p>end </",
        "<p>end <!",
        "<p>end <!-",
        "<p>end &",
        "<p>end &#",
        "<p>end &#x",
        "<p>end &am",
        "<script>end </scr",
        "<script><!--",
        "<textarea>end &a",
        "<svg><![CDATA[end",
        "<!DOCTYPE html PUBLIC \"x",
    ];
    for c in cases {
        same_tree(c);
    }
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<",
        ">",
        "/",
        "!",
        "?",
        "-",
        "--",
        "=",
        "'",
        "\"",
        "&",
        "#",
        ";",
        "x",
        "X",
        "[",
        "]",
        " ",
        "\n",
        "\r",
        "\t",
        "\0",
        "\u{feff}",
        "é",
        "a",
        "B",
        "1",
        "amp",
        "amp;",
        "lt",
        "notin",
        "#65",
        "#x41;",
        "<p>",
        "</p>",
        "<pre>",
        "<textarea>",
        "</textarea>",
        "<title>",
        "</title>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<!--",
        "-->",
        "--!>",
        "<!DOCTYPE",
        "html",
        "PUBLIC",
        "SYSTEM",
        "<svg>",
        "</svg>",
        "<math>",
        "<![CDATA[",
        "]]>",
        "<table>",
        "<tr>",
        "<td>",
        "</table>",
        "<a href=",
        "<b>",
        "</b>",
        "<i>",
        "<div",
        "</div>",
        "<br/>",
        "<frameset>",
        "<noscript>",
        "<plaintext>",
        "<xmp>",
        "class",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_soup_builds_the_same_tree(parts in prop::collection::vec(piece(), 0..40)) {
        same_tree(&parts.concat());
    }
}
