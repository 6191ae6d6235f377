//! The report as Markdown (GitHub-flavoured): user text escaped as the
//! binder's `export::md_escape` does, so that it can never become markup,
//! a table column or HTML.

use super::{Block, Document, Line, Span, EXERCISE_NOTICE};

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

fn or_dash(s: String) -> String {
    if s.is_empty() {
        "—".to_owned()
    } else {
        s
    }
}

// ---- escaping -----------------------------------------------------------------

/// Escapes every character that means something inline.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Several lines inside a line of markup: each escaped, joined with `<br>`.
fn inline(text: &str) -> String {
    lines(text)
        .map(|l| esc(l.trim()))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// As [`inline`], keeping the space around each line (for a span of text
/// between others).
fn inline_spaced(text: &str) -> String {
    lines(text).map(esc).collect::<Vec<_>>().join("<br>")
}

fn one_line(text: &str) -> String {
    lines(text).map(str::trim).collect::<Vec<_>>().join(" ")
}

/// Blank lines separate paragraphs; other line breaks are hard breaks;
/// nothing at the start of a line can open a block.
fn paragraphs(text: &str) -> String {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines(text.trim()) {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\\\n"));
                current.clear();
            }
            continue;
        }
        current.push(block_safe(&esc(line)));
    }
    if !current.is_empty() {
        out.push(current.join("\\\n"));
    }
    out.join("\n\n")
}

/// An escaped line's start made unable to open a block (`-`, `+`, `=`,
/// `1.`, `1)`).
fn block_safe(line: &str) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_owned()
}
