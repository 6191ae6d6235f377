//! The report as Markdown (GitHub-flavoured): user text escaped by the
//! binder's `export::md_escape`, so that it can never become markup, a
//! table column or HTML.

use super::{Block, Document, Line, Span, EXERCISE_NOTICE};
use crate::export::md_escape::{block_safe, esc, inline, lines, one_line, or_dash, paragraphs};

pub(super) fn render(doc: &Document) -> String {
    let mut out = vec![
        format!("# {}", esc(&one_line(&doc.title))),
        format!("> **EXERCISE** — {EXERCISE_NOTICE}"),
        esc(&doc.meta),
    ];
    for block in &doc.blocks {
        out.push(match block {
            Block::Section(h) => format!("## {}", esc(&one_line(h))),
            Block::Sub(h) => format!("### {}", esc(&one_line(h))),
            Block::Para(line) => block_safe(&md_line(line)),
            Block::Prose(t) => paragraphs(t),
            Block::Fields(fields) => fields
                .iter()
                .map(|(label, line)| format!("- **{label}:** {}", or_dash(md_line(line))))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Numbered(items) => items
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{}. {}", i + 1, block_safe(&md_line(l))))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Bullets(items) => items
                .iter()
                .map(|l| format!("- {}", block_safe(&md_line(l))))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(header, rows) => {
                let mut t = vec![
                    format!("| {} |", header.join(" | ")),
                    format!("|{}", " --- |".repeat(header.len())),
                ];
                t.extend(rows.iter().map(|row| {
                    let cells: Vec<String> = row.iter().map(|c| or_dash(md_line(c))).collect();
                    format!("| {} |", cells.join(" | "))
                }));
                t.join("\n")
            }
        });
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

/// A line of spans as Markdown: user text escaped, line breaks as `<br>`.
fn md_line(line: &Line) -> String {
    line.iter()
        .map(|span| match span {
            Span::Text(t) => inline_spaced(t),
            Span::Strong(t) if t.trim().is_empty() => String::new(),
            Span::Strong(t) => format!("**{}**", inline(t.trim())),
            Span::Link(label, href) => format!("[{}]({href})", inline(label)),
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// As [`inline`], keeping the space around each line (for a span of text
/// between others).
fn inline_spaced(text: &str) -> String {
    lines(text).map(esc).collect::<Vec<_>>().join("<br>")
}
