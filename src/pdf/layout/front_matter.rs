//! Front matter folio generates: the half-title, the title page and the
//! copyright page, each a flow of its own starting a new page. They read the
//! book's metadata only; chapters with those roles replace them.

use super::cx::{Cx, Role, rgb};
use super::flow::Flow;
use super::frame::StructKind;
use super::inline::{self, Align, Links, ParaStyle};
use super::tagging;
use crate::diag::Span;
use crate::ir::Book;

/// A centred line style for the generated pages.
fn centered(cx: &Cx<'_>, role: Role, size: f32, italic: bool, bold: bool) -> ParaStyle {
    ParaStyle {
        role,
        size,
        leading: size * 1.25,
        bold,
        italic,
        color: rgb(cx.style.text.color),
        align: Align::Center,
        hyphenate: false,
        indent: 0.0,
    }
}

/// Sets `text` into `flow`, each line kept with the next.
fn push_text(
    flow: &mut Vec<Flow>,
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    text: &str,
    width: f32,
    style: &ParaStyle,
) {
    // Each piece of text on a generated page is a paragraph of its own.
    let node = cx.tags.open(StructKind::P);
    for line in inline::plain(
        cx,
        links,
        text,
        width,
        style,
        Span::file(crate::source::SourceId(0)),
    ) {
        let mut vbox = line.vbox;
        tagging::wrap_node(&mut vbox.items, node);
        flow.push(Flow::boxed(vbox));
        flow.push(Flow::Keep);
    }
    if node.is_some() {
        cx.tags.close();
    }
}

/// The half-title: the title alone on the first recto.
pub(super) fn half_title(cx: &mut Cx<'_>, links: &mut dyn Links, book: &Book, w: f32) -> Vec<Flow> {
    let mut flow = vec![
        Flow::PageBreak { recto: true },
        Flow::spacer(cx.style.headings.chapter_drop.0 * 1.5),
        Flow::Keep,
    ];
    let style = centered(cx, Role::Heading, cx.style.text.size * 1.6, false, false);
    push_text(&mut flow, cx, links, &book.meta.title, w, &style);
    flow
}

/// The title page: title, subtitle, authors and publisher, centred.
pub(super) fn title_page(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    book: &Book,
    w: f32,
    h: f32,
) -> Vec<Flow> {
    let m = &book.meta;
    let mut flow = vec![
        Flow::PageBreak { recto: true },
        Flow::spacer(h * 0.18),
        Flow::Keep,
    ];
    push_text(
        &mut flow,
        cx,
        links,
        &m.title,
        w,
        &centered(
            cx,
            Role::Heading,
            cx.style.heading(1).size * 1.2,
            false,
            false,
        ),
    );
    if let Some(sub) = &m.subtitle {
        flow.push(Flow::spacer(cx.style.text.leading * 0.6));
        push_text(
            &mut flow,
            cx,
            links,
            sub,
            w,
            &centered(cx, Role::Heading, cx.style.text.size * 1.35, true, false),
        );
    }
    if !m.authors.is_empty() {
        flow.push(Flow::spacer(cx.style.text.leading * 3.0));
        push_text(
            &mut flow,
            cx,
            links,
            &m.authors.join(", "),
            w,
            &centered(cx, Role::Heading, cx.style.text.size * 1.3, false, false),
        );
    }
    if let Some(p) = &m.publisher {
        flow.push(Flow::spacer(h * 0.3));
        push_text(
            &mut flow,
            cx,
            links,
            p,
            w,
            &centered(cx, Role::Heading, cx.style.text.size, false, false),
        );
    }
    flow
}

/// The copyright page (a verso): title, rights, edition, publisher and
/// date, ISBN, set small at the foot.
pub(super) fn copyright_page(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    book: &Book,
    w: f32,
    h: f32,
) -> Vec<Flow> {
    let m = &book.meta;
    let size = cx.style.blocks.footnote_size + 0.5;
    let style = ParaStyle {
        role: Role::Body,
        size,
        leading: size * 1.35,
        bold: false,
        italic: false,
        color: rgb(cx.style.text.color),
        align: Align::Left,
        hyphenate: false,
        indent: 0.0,
    };
    let mut lines: Vec<String> = vec![m.title.clone()];
    if let Some(r) = &m.rights {
        lines.push(r.clone());
    }
    if let Some(e) = &m.edition {
        lines.push(e.clone());
    }
    match (&m.publisher, &m.date) {
        (Some(p), Some(d)) => lines.push(format!("{p}, {d}")),
        (Some(p), None) => lines.push(p.clone()),
        (None, Some(d)) => lines.push(d.clone()),
        (None, None) => {}
    }
    if let Some(isbn) = m.identifier.isbn() {
        lines.push(format!("ISBN {}-{}", &isbn[..3], &isbn[3..]));
    }
    let mut flow = vec![
        Flow::PageBreak { recto: false },
        Flow::spacer(h * 0.55),
        Flow::Keep,
    ];
    for text in lines {
        push_text(&mut flow, cx, links, &text, w, &style);
        flow.push(Flow::spacer(size * 0.5));
        flow.push(Flow::Keep);
    }
    flow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::layout::testing::{NoLinks, book, flow_text, with_cx};

    #[test]
    fn the_half_title_is_the_title_alone_on_a_recto() {
        with_cx(|cx| {
            let flow = half_title(cx, &mut NoLinks, &book(Vec::new()), 324.0);
            assert!(matches!(flow[0], Flow::PageBreak { recto: true }));
            let text = flow_text(&flow);
            assert!(text.contains("Test") && text.contains("Book"), "{text}");
            assert!(!text.contains("Ada"), "{text}");
        });
    }

    #[test]
    fn the_title_page_has_title_subtitle_author_and_publisher_in_order() {
        with_cx(|cx| {
            let flow = title_page(cx, &mut NoLinks, &book(Vec::new()), 324.0, 540.0);
            assert!(matches!(flow[0], Flow::PageBreak { recto: true }));
            let text = flow_text(&flow);
            let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
            assert!(at("Book") < at("Subtitle") && at("Subtitle") < at("Ada"));
            assert!(at("Ada") < at("Press"));
        });
    }

    #[test]
    fn the_copyright_page_is_a_verso_with_rights_and_a_hyphenated_isbn() {
        with_cx(|cx| {
            let flow = copyright_page(cx, &mut NoLinks, &book(Vec::new()), 324.0, 540.0);
            assert!(matches!(flow[0], Flow::PageBreak { recto: false }));
            let text = flow_text(&flow);
            assert!(text.contains("reserved."), "{text}");
            assert!(text.contains("978-0306406157"), "{text}");
            assert!(text.contains("Test Press, 2024"), "{text}");
        });
    }
}
