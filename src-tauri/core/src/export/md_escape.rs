//! Markdown escaping of user text, for the binder: every character with a
//! meaning inline (`\` `` ` `` `*` `_` `[` `]` `<` `>` `&` `|` `~` `#` `$`)
//! gets a backslash, whatever would open a block at the start of a line (`-`,
//! `+`, `=`, `1.`) too, and line breaks become `<br>` inside tables and lists
//! and hard breaks in paragraphs. So user text can never become markup or HTML.
//! The binder and the exercise report both escape with it.

/// `text`, or `—` when it is empty.
pub fn or_dash(text: String) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text
    }
}

/// Text for a table cell: escaped, line breaks as `<br>`, `—` when empty.
pub fn cell(text: &str) -> String {
    or_dash(inline(text.trim()))
}

/// Several lines of user text inside a line of markup (a table cell, a list
/// item): each line escaped, joined with `<br>`.
pub fn inline(text: &str) -> String {
    lines(text)
        .map(|l| esc(l.trim()))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// User text on a line of its own: no line breaks.
pub fn one_line(text: &str) -> String {
    lines(text).map(str::trim).collect::<Vec<_>>().join(" ")
}

/// User text as paragraphs of its own: blank lines separate paragraphs, other
/// line breaks are hard breaks, and nothing at the start of a line can open
/// a block (a list, a heading, a quote, code).
pub fn paragraphs(text: &str) -> String {
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

/// The lines of `text`, with CRLF line ends taken as LF.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Escapes an escaped line's start so that it cannot open a block: `-`, `+`,
/// `=` (lists, setext headings) and `1.` / `1)` (ordered lists).
pub fn block_safe(line: &str) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_owned()
}

/// Escapes every character that means something inline, so user text shows as written.
pub fn esc(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_inline_and_at_the_start_of_lines() {
        assert_eq!(
            esc("a*b_c `d` [e](f) <g> &h; |i ~j~ #k $l$ \\m"),
            "a\\*b\\_c \\`d\\` \\[e\\](f) \\<g\\> \\&h; \\|i \\~j\\~ \\#k \\$l\\$ \\\\m"
        );
        assert_eq!(inline("one\r\ntwo | three\n"), "one<br>two \\| three<br>");
        assert_eq!(cell("  "), "—");
        assert_eq!(one_line(" a\n b "), "a b");
        assert_eq!(
            paragraphs("- a\n+ b\n= c\n12. d\n3) e\n> f\n\n\n# g\n    code"),
            "\\- a\\\n\\+ b\\\n\\= c\\\n12\\. d\\\n3\\) e\\\n\\> f\n\n\\# g\\\ncode"
        );
    }
}
