//! The report as one self-contained HTML page: every user text escaped, one
//! <style> element with print rules for A4, no script. The EXERCISE mark
//! heads the page and, printed, the top margin of every sheet (a page margin
//! box, where the browser supports them).

use super::{Block, Document, Line, Span, EXERCISE_NOTICE};

const CSS: &str = "\
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 52rem; padding: 1.5rem; }
.exercise-mark { background: #fff4d6; border: 2px solid #b36b00; color: #5c3700; padding: 0.4rem 0.8rem; font-weight: 600; margin: 0 0 1rem; }
.exercise-mark strong { letter-spacing: 0.08em; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.25rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
ul.fields { list-style: none; padding-left: 0; }
a { color: #0b57d0; }
@page { size: A4; margin: 20mm 16mm 16mm; @top-center { content: 'EXERCISE — This was an exercise; nothing here happened for real.'; font: 600 9pt system-ui, sans-serif; color: #5c3700; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .exercise-mark { break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
}
";

pub(super) fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<title>{} (EXERCISE)</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        h(&doc.title)
    ));
    out.push_str(&format!(
        "<p class=\"exercise-mark\"><strong>EXERCISE</strong> — {}</p>\n",
        h(EXERCISE_NOTICE)
    ));
    out.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        h(&doc.title),
        h(&doc.meta)
    ));
    for block in &doc.blocks {
        match block {
            Block::Section(t) => out.push_str(&format!("<h2>{}</h2>\n", h(t))),
            Block::Sub(t) => out.push_str(&format!("<h3>{}</h3>\n", h(t))),
            Block::Para(line) => out.push_str(&format!("<p>{}</p>\n", html_line(line))),
            Block::Prose(t) => {
                for para in paragraphs(t) {
                    out.push_str(&format!("<p>{}</p>\n", para.join("<br>")));
                }
            }
            Block::Fields(fields) => {
                out.push_str("<ul class=\"fields\">\n");
                for (label, line) in fields {
                    out.push_str(&format!(
                        "<li><strong>{}:</strong> {}</li>\n",
                        h(label),
                        html_line(line)
                    ));
                }
                out.push_str("</ul>\n");
            }
            Block::Numbered(items) | Block::Bullets(items) => {
                let tag = if matches!(block, Block::Numbered(_)) {
                    "ol"
                } else {
                    "ul"
                };
                out.push_str(&format!("<{tag}>\n"));
                for line in items {
                    out.push_str(&format!("<li>{}</li>\n", html_line(line)));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Table(header, rows) => {
                out.push_str("<table>\n<thead><tr>");
                for cell in header {
                    out.push_str(&format!("<th>{}</th>", h(cell)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let cell = html_line(cell);
                        out.push_str(&format!(
                            "<td>{}</td>",
                            if cell.is_empty() {
                                "—".to_owned()
                            } else {
                                cell
                            }
                        ));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_line(line: &Line) -> String {
    line.iter()
        .map(|span| match span {
            Span::Text(t) => t.lines().map(h).collect::<Vec<_>>().join("<br>"),
            Span::Strong(t) => format!("<strong>{}</strong>", h_lines(t.trim())),
            Span::Link(label, href) => format!("<a href=\"{}\">{}</a>", h(href), h_lines(label)),
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// User text's paragraphs (separated by blank lines), each a list of its
/// escaped lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(h(line));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Escaped text, its line breaks as `<br>`.
fn h_lines(text: &str) -> String {
    text.lines()
        .map(|l| h(l.trim()))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// HTML-escaped text (for content and attribute values alike).
fn h(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}
