//! Renders a plan as the text of its folder's files. Written by hand rather
//! than by a serializer so that the layout is ours and stable: a header comment
//! per file, keys in a fixed order, one blank line between tables, optional
//! values left out, short lists on one line and long ones one item a line,
//! multi-line text as TOML multi-line strings, no trailing whitespace, one
//! final newline. Equal plans give byte-identical files.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, SecondsFormat, Timelike, Utc};

use super::PlanFile;
use crate::plan::{
    Category, CommunicationRule, CoreMember, DecisionPolicy, EscalationRule, ExtendedContact, Id,
    OnCallRotation, Plan, PotentialIssue, Procedure, Timing,
};

/// Lines longer than this put a list's items one a line.
const WIDTH: usize = 100;

const EDIT_HINT: &str =
    "# Written by `muster plan export`. Edit freely, then run `muster plan check` on this folder.";

/// Every file of the folder for `plan`, in layout order, with `/`-separated paths.
pub(super) fn render(plan: &Plan) -> Vec<PlanFile> {
    let mut files = vec![file("plan.toml", plan_file(plan))];
    files.push(file(
        "categories.toml",
        section(
            "categories, the kinds of emergency the other sections refer to",
            &plan.categories,
            category,
        ),
    ));
    files.push(file(
        "issues.toml",
        section(
            "section 1, potential issues and how each is detected",
            &plan.issues,
            issue,
        ),
    ));
    for p in &plan.procedures {
        files.push(file(&format!("procedures/{}.toml", p.id), procedure(p)));
    }
    files.push(file(
        "escalation.toml",
        section(
            "section 3, escalation: per category, when each team is notified",
            &plan.escalation,
            escalation,
        ),
    ));
    files.push(file(
        "core-team.toml",
        section("section 4, the core response team", &plan.core_team, member),
    ));
    files.push(file(
        "extended-team.toml",
        section(
            "section 5, the extended response team",
            &plan.extended_team,
            contact,
        ),
    ));
    files.push(file(
        "on-call.toml",
        section(
            "weekly on-call rotations among each category's core owners",
            &plan.on_call,
            rotation,
        ),
    ));
    files.push(file(
        "communications.toml",
        section(
            "section 6, communications: who is told what, when, where and by whom",
            &plan.communications,
            communication,
        ),
    ));
    files.push(file(
        "decisions.toml",
        section(
            "section 7, decisions and who must approve them",
            &plan.decisions,
            decision,
        ),
    ));
    files
}

fn file(path: &str, text: String) -> PlanFile {
    PlanFile {
        path: path.to_owned(),
        text,
    }
}

/// A section file: its header, then one table per element.
fn section<T>(what: &str, items: &[T], table: fn(&mut Toml, &T)) -> String {
    let mut t = Toml::new(what);
    for item in items {
        table(&mut t, item);
    }
    t.finish()
}

fn plan_file(plan: &Plan) -> String {
    let mut t =
        Toml::new("the plan's details, the order of its procedures and its exercise policy");
    t.blank();
    t.int("format", super::FORMAT_VERSION);
    t.string("name", &plan.meta.name);
    t.text("organisation", &plan.meta.organisation);
    t.text("summary", &plan.meta.summary);
    t.flag("example", plan.meta.is_example);
    t.blank();
    t.line("# Procedures in plan order; each one is procedures/<id>.toml.");
    let ids: Vec<&Id> = plan.procedures.iter().map(|p| &p.id).collect();
    t.list("procedures", &ids, true);
    t.table("[exercise-policy]");
    let x = &plan.exercise_policy;
    t.int("while-new-every-weeks", x.while_new_every_weeks);
    t.int("new-for-months", x.new_for_months);
    t.int("established-every-months", x.established_every_months);
    t.int("session-hours", x.session_hours);
    t.finish()
}

fn category(t: &mut Toml, c: &Category) {
    t.table("[[category]]");
    t.string("id", c.id.as_str());
    t.string("name", &c.name);
    t.text("description", &c.description);
}

fn issue(t: &mut Toml, i: &PotentialIssue) {
    t.table("[[issue]]");
    t.string("id", i.id.as_str());
    t.string("title", &i.title);
    t.string("category", i.category.as_str());
    t.string("severity", i.severity.as_str());
    t.text("description", &i.description);
    t.text("signal", &i.detection.signal);
    t.string("monitoring", i.detection.monitoring.as_str());
    t.text("source", &i.detection.source);
    for rule in &i.detection.alerts {
        t.table("[[issue.alert]]");
        let labels: Vec<String> = rule
            .labels
            .iter()
            .map(|(name, value)| format!("{} = {}", key(name), quote(value)))
            .collect();
        t.raw("labels", &format!("{{ {} }}", labels.join(", ")));
        if let Some(severity) = rule.severity {
            t.string("severity", severity.as_str());
        }
    }
}

/// A list of strings on one line.
fn strings(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A key as TOML writes it: bare when it can be, else quoted.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        name.to_owned()
    } else {
        quote(name)
    }
}

fn procedure(p: &Procedure) -> String {
    let mut t = Toml::new("section 2, a response procedure and its steps, in order");
    t.blank();
    t.string("id", p.id.as_str());
    t.string("title", &p.title);
    t.text("summary", &p.summary);
    let issues: Vec<&Id> = p.issues.iter().collect();
    t.list("issues", &issues, false);
    for s in &p.steps {
        t.table("[[step]]");
        t.string("id", s.id.as_str());
        t.string("action", &s.action);
        t.text("how", &s.how);
        t.text("tools", &s.tools);
        t.text("test", &s.test);
        if let Some(m) = s.expected_minutes {
            t.int("expected-minutes", m);
        }
        if let Some(d) = &s.decision {
            t.string("decision", d.as_str());
        }
        t.flag("automatable", s.automatable);
        if let Some(c) = &s.command {
            t.table("[step.command]");
            t.raw("argv", &strings(&c.argv));
            t.text("dir", &c.dir);
            t.int("timeout-seconds", c.timeout_seconds);
            if !c.env.is_empty() {
                t.raw("env", &strings(&c.env));
            }
        }
    }
    t.finish()
}

fn escalation(t: &mut Toml, r: &EscalationRule) {
    t.table("[[rule]]");
    t.string("category", r.category.as_str());
    t.string("core", r.core.as_str());
    t.string("extended", r.extended.as_str());
    if let Some(m) = r.page_after_minutes {
        t.int("page-after-minutes", m);
    }
}

fn member(t: &mut Toml, m: &CoreMember) {
    t.table("[[member]]");
    t.string("id", m.id.as_str());
    t.string("name", &m.name);
    t.text("role", &m.role);
    let categories: Vec<&Id> = m.categories.iter().collect();
    t.list("categories", &categories, false);
    t.maybe("email", m.reach.email.as_deref());
    t.maybe("chat", m.reach.chat.as_deref());
    t.maybe("phone", m.reach.phone.as_deref());
    t.maybe("public-key", m.public_key.as_deref());
    if !m.retired_keys.is_empty() {
        // One key a line: key lines are long, and a rotation adds a line.
        t.line("retired-keys = [");
        for r in &m.retired_keys {
            t.line(&format!(
                "  {{ key = {}, retired-from = {} }},",
                quote(&r.key),
                instant_text(r.retired_from)
            ));
        }
        t.line("]");
    }
    if let Some(day) = m.last_verified {
        t.date("last-verified", day);
    }
}

fn contact(t: &mut Toml, c: &ExtendedContact) {
    t.table("[[contact]]");
    t.string("id", c.id.as_str());
    t.string("name", &c.name);
    t.text("role", &c.role);
    t.maybe("email", c.reach.email.as_deref());
    t.maybe("chat", c.reach.chat.as_deref());
    t.maybe("phone", c.reach.phone.as_deref());
    if let Some(day) = c.last_verified {
        t.date("last-verified", day);
    }
}

fn rotation(t: &mut Toml, r: &OnCallRotation) {
    t.table("[[rotation]]");
    t.string("category", r.category.as_str());
    let members: Vec<&Id> = r.members.iter().collect();
    t.list("members", &members, false);
    t.string("handover-day", r.handover_day.as_str());
    t.string("handover-time", &time_text(r.handover_time));
    t.string("time-zone", &r.time_zone);
    t.date("starts-on", r.starts_on);
    for o in &r.overrides {
        t.table("[[rotation.override]]");
        t.string("member", o.member.as_str());
        t.instant("from", o.from);
        t.instant("until", o.until);
        t.text("note", &o.note);
    }
}

fn communication(t: &mut Toml, r: &CommunicationRule) {
    t.table("[[rule]]");
    t.string("id", r.id.as_str());
    t.string("audience", r.audience.as_str());
    t.raw("timing", &timing_text(r.timing));
    t.string("channel", &r.channel);
    if let Some(who) = &r.responsible {
        t.string("responsible", who.as_str());
    }
    let categories: Vec<&Id> = r.categories.iter().collect();
    t.list("categories", &categories, false);
    t.flag("optional", r.optional);
    t.text("notes", &r.notes);
}

fn decision(t: &mut Toml, d: &DecisionPolicy) {
    t.table("[[decision]]");
    t.string("id", d.id.as_str());
    t.string("title", &d.title);
    t.text("description", &d.description);
    let required: Vec<&Id> = d.required.iter().collect();
    t.list("required", &required, false);
    let additional: Vec<&Id> = d.additional.iter().collect();
    t.list("additional", &additional, false);
    if d.additional_needed != 0 {
        t.int("additional-needed", d.additional_needed);
    }
    t.flag("attested-allowed", d.attested_allowed);
}

fn timing_text(timing: Timing) -> String {
    match timing {
        Timing::UntilCompletion => "\"until-completion\"".to_owned(),
        Timing::EveryHours { hours } => format!("{{ every-hours = {hours} }}"),
        Timing::EveryMinutes { minutes } => format!("{{ every-minutes = {minutes} }}"),
        Timing::AfterResolutionDays { days } => format!("{{ after-resolution-days = {days} }}"),
    }
}

/// `09:00`, with seconds and fractions only when there are any.
fn time_text(t: NaiveTime) -> String {
    if t.nanosecond() != 0 {
        t.format("%H:%M:%S%.f").to_string()
    } else if t.second() != 0 {
        t.format("%H:%M:%S").to_string()
    } else {
        t.format("%H:%M").to_string()
    }
}

/// A TOML document being written, line by line.
struct Toml {
    out: String,
}

impl Toml {
    /// Starts a file with its two header comment lines.
    fn new(what: &str) -> Toml {
        let mut t = Toml { out: String::new() };
        t.line(&format!("# Muster plan: {what}."));
        t.line(EDIT_HINT);
        t
    }

    fn finish(self) -> String {
        self.out
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// A table header, after a blank line.
    fn table(&mut self, header: &str) {
        self.blank();
        self.line(header);
    }

    fn raw(&mut self, key: &str, value: &str) {
        self.line(&format!("{key} = {value}"));
    }

    fn int(&mut self, key: &str, value: u32) {
        self.raw(key, &value.to_string());
    }

    /// A flag written only when it is set.
    fn flag(&mut self, key: &str, value: bool) {
        if value {
            self.raw(key, "true");
        }
    }

    fn string(&mut self, key: &str, value: &str) {
        let quoted = quote(value);
        self.raw(key, &quoted);
    }

    /// Free text, left out when empty.
    fn text(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            self.string(key, value);
        }
    }

    /// An optional value, left out when there is none (an empty one is kept).
    fn maybe(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(key, v);
        }
    }

    /// A list of ids: on one line when it fits, else one item a line.
    /// Left out when empty unless `always`.
    fn list(&mut self, key: &str, ids: &[&Id], always: bool) {
        if ids.is_empty() && !always {
            return;
        }
        let items: Vec<String> = ids.iter().map(|i| quote(i.as_str())).collect();
        let inline = format!("{key} = [{}]", items.join(", "));
        if ids.is_empty() || (inline.chars().count() <= WIDTH && key != "procedures") {
            self.line(&inline);
        } else {
            self.line(&format!("{key} = ["));
            for item in items {
                self.line(&format!("  {item},"));
            }
            self.line("]");
        }
    }

    fn date(&mut self, key: &str, day: NaiveDate) {
        if (0..=9999).contains(&day.year()) {
            self.raw(key, &day.format("%Y-%m-%d").to_string());
        } else {
            // TOML dates have four-digit years; others are written as text.
            self.string(key, &day.to_string());
        }
    }

    fn instant(&mut self, key: &str, at: DateTime<Utc>) {
        self.raw(key, &instant_text(at));
    }
}

/// An instant as a TOML offset date-time, or as a string for years TOML cannot write.
fn instant_text(at: DateTime<Utc>) -> String {
    let text = at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    if (0..=9999).contains(&at.year()) {
        text
    } else {
        quote(&text)
    }
}

/// `text` as a TOML basic string: a multi-line one when it holds line breaks
/// and can be written without trailing whitespace, else a one-line one.
fn quote(text: &str) -> String {
    let multi = text.contains('\n')
        && !text.contains('\r')
        && text
            .split('\n')
            .all(|l| !l.ends_with(' ') && !l.ends_with('\t'));
    let mut out = String::with_capacity(text.len() + 8);
    if multi {
        // The line break right after the opening quotes is not part of the text.
        out.push_str("\"\"\"\n");
    } else {
        out.push('"');
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            // In a multi-line string only a quote that could start a run of
            // three (or close the string early) needs its backslash.
            '"' if !multi || matches!(chars.peek(), Some('"') | None) => out.push_str("\\\""),
            '\n' if multi => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str(if multi { "\"\"\"" } else { "\"" });
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn strings_are_quoted_so_toml_reads_them_back() {
        let cases = [
            ("plain", "\"plain\""),
            ("say \"hi\" \\ o/", "\"say \\\"hi\\\" \\\\ o/\""),
            ("tab\there", "\"tab\\there\""),
            ("bell\u{7}", "\"bell\\u0007\""),
            ("two\nlines", "\"\"\"\ntwo\nlines\"\"\""),
            ("a \"\"\" b\nc\"", "\"\"\"\na \\\"\\\"\" b\nc\\\"\"\"\""),
            ("trailing \nspace", "\"trailing \\nspace\""),
            ("crlf\r\n", "\"crlf\\r\\n\""),
        ];
        for (text, expected) in cases {
            assert_eq!(quote(text), expected, "{text:?}");
        }
    }
}
