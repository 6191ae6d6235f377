//! The whole plan as one Markdown binder (GitHub-flavoured): a cover, the
//! contents, the seven sections, the exercise policy and a contact sheet —
//! the app's printable binder, as a file to keep in a wiki or a repository.
//!
//! User text is escaped (see `md_escape`) so that it can never become markup
//! or HTML; the only markup is the binder's own, and equal plans give
//! identical files.

use chrono::NaiveDate;

use super::ical::policy_text;
use super::md_escape::{cell, esc, inline, one_line, or_dash, paragraphs};
use crate::plan::{
    DecisionPolicy, Id, OnCallRotation, Plan, PotentialIssue, Reach, SECTION_TITLES,
};

/// The binder of `plan`, dated `printed`.
pub fn binder(plan: &Plan, printed: NaiveDate) -> String {
    let mut b = Binder {
        plan,
        out: String::new(),
    };
    b.cover(printed);
    b.issues();
    b.procedures();
    b.escalation();
    b.core_team();
    b.extended_team();
    b.communications();
    b.decisions();
    b.section("Exercise policy");
    b.line(&format!("{}.", esc(&policy_text(&plan.exercise_policy))));
    b.contact_sheet();
    b.out
}

struct Binder<'a> {
    plan: &'a Plan,
    out: String,
}

impl Binder<'_> {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn section(&mut self, title: &str) {
        self.blank();
        self.line(&format!("## {title}"));
        self.blank();
    }

    fn numbered(&mut self, n: usize) {
        self.section(&format!("{}. {}", n + 1, SECTION_TITLES[n]));
    }

    fn empty(&mut self, what: &str) {
        self.line(&format!("_No {what} yet._"));
    }

    fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>) {
        self.line(&format!("| {} |", header.join(" | ")));
        self.line(&format!("|{}", " --- |".repeat(header.len())));
        for row in rows {
            self.line(&format!("| {} |", row.join(" | ")));
        }
    }

    /// A contact's name, or their id when no team has them.
    fn name(&self, id: &Id) -> String {
        match self.plan.contact_name(id) {
            Some(name) => esc(name.trim()),
            None => format!("`{id}` (not on a team)"),
        }
    }

    fn names(&self, ids: &[Id]) -> String {
        ids.iter()
            .map(|id| self.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn category(&self, id: &Id) -> String {
        match self.plan.category(id) {
            Some(c) => esc(c.name.trim()),
            None => format!("`{id}` (unknown category)"),
        }
    }

    fn cover(&mut self, printed: NaiveDate) {
        let meta = &self.plan.meta;
        self.line(&format!("# {}", esc(&one_line(&meta.name))));
        self.blank();
        if meta.organisation.trim().is_empty() {
            self.line("Emergency response plan");
        } else {
            let org = esc(&one_line(&meta.organisation));
            self.line(&format!("**{org}** · Emergency response plan"));
        }
        if !meta.summary.trim().is_empty() {
            self.blank();
            self.line(&paragraphs(&meta.summary));
        }
        if meta.is_example {
            self.blank();
            self.line("> **Example.** This is the starter plan: its people, addresses and numbers are examples.");
        }
        self.blank();
        self.line(&format!(
            "Printed {}. Keep a printed copy where the team can reach it when laptops are down.",
            printed.format("%-d %B %Y")
        ));
        self.section("Contents");
        let p = self.plan;
        let counts = [
            p.issues.len(),
            p.procedures.len(),
            p.escalation.len(),
            p.core_team.len(),
            p.extended_team.len(),
            p.communications.len(),
            p.decisions.len(),
        ];
        for (n, title) in SECTION_TITLES.iter().enumerate() {
            let anchor = format!("{}-{}", n + 1, title.to_lowercase().replace(' ', "-"));
            self.line(&format!("{}. [{title}](#{anchor}) ({})", n + 1, counts[n]));
        }
        self.line("8. [Exercise policy](#exercise-policy)");
        self.line("9. [Contact sheet](#contact-sheet)");
    }

    fn issues(&mut self) {
        self.numbered(0);
        let p = self.plan;
        if p.issues.is_empty() {
            return self.empty("potential issues");
        }
        let known = |i: &&PotentialIssue| p.category(&i.category).is_some();
        let groups = p
            .categories
            .iter()
            .map(|c| {
                let heading = format!("{} (`{}`)", esc(&one_line(&c.name)), c.id);
                let issues: Vec<_> = p.issues.iter().filter(|i| i.category == c.id).collect();
                (heading, c.description.as_str(), issues)
            })
            .chain(std::iter::once((
                "Issues in no known category".to_owned(),
                "",
                p.issues.iter().filter(|i| !known(i)).collect(),
            )));
        let mut first = true;
        for (heading, description, issues) in groups {
            if issues.is_empty() {
                continue;
            }
            if !first {
                self.blank();
            }
            first = false;
            self.line(&format!("### {heading}"));
            self.blank();
            if !description.trim().is_empty() {
                self.line(&paragraphs(description));
                self.blank();
            }
            let rows = issues
                .iter()
                .map(|i| {
                    let d = &i.detection;
                    let how = match d.source.trim() {
                        "" => d.monitoring.as_str().to_owned(),
                        source => format!("{}, {}", d.monitoring.as_str(), inline(source)),
                    };
                    vec![
                        titled(&i.title, &i.id, &i.description),
                        format!("{} {}", i.severity.as_str(), i.severity.label()),
                        format!("{}<br>_{how}_", cell(&d.signal)),
                    ]
                })
                .collect();
            self.table(&["Issue", "Severity", "Detection"], rows);
        }
    }

    fn procedures(&mut self) {
        self.numbered(1);
        let p = self.plan;
        if p.procedures.is_empty() {
            return self.empty("response procedures");
        }
        for (n, procedure) in p.procedures.iter().enumerate() {
            if n > 0 {
                self.blank();
            }
            self.line(&format!("### {}", esc(&one_line(&procedure.title))));
            self.blank();
            let answers: Vec<String> = procedure
                .issues
                .iter()
                .map(|i| {
                    p.issue(i)
                        .map_or(format!("`{i}`"), |i| esc(&one_line(&i.title)))
                })
                .collect();
            let answers = if answers.is_empty() {
                "no issue yet".to_owned()
            } else {
                answers.join(", ")
            };
            self.line(&format!("`{}` · Answers: {answers}", procedure.id));
            if !procedure.summary.trim().is_empty() {
                self.blank();
                self.line(&paragraphs(&procedure.summary));
            }
            self.blank();
            if procedure.steps.is_empty() {
                self.empty("steps");
                continue;
            }
            let mut decisions: Vec<&Id> = Vec::new();
            for (k, s) in procedure.steps.iter().enumerate() {
                let mut head = format!("{}. **{}** (`{}`)", k + 1, inline(&s.action), s.id);
                if let Some(d) = &s.decision {
                    let title = p
                        .decision(d)
                        .map_or(format!("`{d}`"), |d| esc(&one_line(&d.title)));
                    head.push_str(&format!(" — **needs decision:** {title}"));
                    if !decisions.contains(&d) {
                        decisions.push(d);
                    }
                }
                self.line(&head);
                for (label, text) in [
                    ("How", &s.how),
                    ("Tools", &s.tools),
                    ("How to test", &s.test),
                ] {
                    if !text.trim().is_empty() {
                        self.line(&format!("   - {label}: {}", inline(text)));
                    }
                }
                if let Some(minutes) = s.expected_minutes {
                    self.line(&format!("   - Expected time: {}", minutes_text(minutes)));
                }
            }
            let known: Vec<_> = decisions.iter().filter_map(|d| p.decision(d)).collect();
            if !known.is_empty() {
                self.blank();
                self.line("Decisions these steps may need:");
                self.blank();
                for d in known {
                    let mut text = format!(
                        "- **{}**: required {}",
                        esc(&one_line(&d.title)),
                        self.required(&d.required)
                    );
                    if let Some(more) = self.additional(d) {
                        text.push_str(&format!("; {more}"));
                    }
                    self.line(&text);
                }
            }
        }
    }

    fn required(&self, ids: &[Id]) -> String {
        if ids.is_empty() {
            "nobody named".to_owned()
        } else {
            self.names(ids)
        }
    }

    fn additional(&self, d: &DecisionPolicy) -> Option<String> {
        if d.additional.is_empty() {
            None
        } else if d.additional_needed > 0 {
            Some(format!(
                "{} of: {}",
                d.additional_needed,
                self.names(&d.additional)
            ))
        } else {
            Some(format!(
                "none needed; may co-sign: {}",
                self.names(&d.additional)
            ))
        }
    }

    fn escalation(&mut self) {
        self.numbered(2);
        let p = self.plan;
        if p.escalation.is_empty() {
            self.empty("escalation rules");
        } else {
            let rows = p
                .escalation
                .iter()
                .map(|r| {
                    let owners: Vec<String> = p
                        .core_team
                        .iter()
                        .filter(|m| m.categories.contains(&r.category))
                        .map(|m| esc(m.name.trim()))
                        .collect();
                    vec![
                        format!("{} (`{}`)", self.category(&r.category), r.category),
                        r.core.label().to_owned(),
                        r.extended.label().to_owned(),
                        or_dash(owners.join(", ")),
                    ]
                })
                .collect();
            self.table(
                &["Category", "Core team told", "Extended team told", "Owners"],
                rows,
            );
        }
        self.blank();
        self.line("### On-call rotations");
        self.blank();
        if p.on_call.is_empty() {
            self.line("_No on-call rotations: every owner is reached directly._");
            return;
        }
        let rows = p.on_call.iter().map(|r| self.rotation(r)).collect();
        self.table(
            &[
                "Category",
                "Rotation, in hand-over order",
                "Hand-over",
                "Starts",
                "Overrides",
            ],
            rows,
        );
    }

    fn rotation(&self, r: &OnCallRotation) -> Vec<String> {
        let members: Vec<String> = r.members.iter().map(|m| self.name(m)).collect();
        let overrides: Vec<String> = r
            .overrides
            .iter()
            .map(|o| {
                let note = match o.note.trim() {
                    "" => String::new(),
                    note => format!(" ({})", inline(note)),
                };
                format!(
                    "{} from {} until {}{note}",
                    self.name(&o.member),
                    o.from.format("%Y-%m-%d %H:%M UTC"),
                    o.until.format("%Y-%m-%d %H:%M UTC")
                )
            })
            .collect();
        vec![
            self.category(&r.category),
            or_dash(members.join(" → ")),
            format!(
                "{}s at {} ({})",
                capitalised(r.handover_day.as_str()),
                r.handover_time.format("%H:%M"),
                esc(&r.time_zone)
            ),
            r.starts_on.to_string(),
            or_dash(overrides.join("<br>")),
        ]
    }

    fn core_team(&mut self) {
        self.numbered(3);
        let p = self.plan;
        if p.core_team.is_empty() {
            return self.empty("core team members");
        }
        let rows = p
            .core_team
            .iter()
            .map(|m| {
                let owns: Vec<String> = m.categories.iter().map(|c| self.category(c)).collect();
                let mut row = vec![
                    named(&m.name, &m.id),
                    cell(&m.role),
                    or_dash(owns.join(", ")),
                ];
                row.extend(reach(&m.reach));
                row.push(verified(m.last_verified));
                row
            })
            .collect();
        self.table(
            &[
                "Name",
                "Role",
                "Owns",
                "Email",
                "Chat",
                "Phone",
                "Last verified",
            ],
            rows,
        );
    }

    fn extended_team(&mut self) {
        self.numbered(4);
        let p = self.plan;
        if p.extended_team.is_empty() {
            return self.empty("extended team contacts");
        }
        let rows = p
            .extended_team
            .iter()
            .map(|c| {
                let mut row = vec![named(&c.name, &c.id), cell(&c.role)];
                row.extend(reach(&c.reach));
                row.push(verified(c.last_verified));
                row
            })
            .collect();
        self.table(
            &["Name", "Role", "Email", "Chat", "Phone", "Last verified"],
            rows,
        );
    }

    fn communications(&mut self) {
        self.numbered(5);
        let p = self.plan;
        if p.communications.is_empty() {
            return self.empty("communication rules");
        }
        let rows = p
            .communications
            .iter()
            .map(|r| {
                let optional = if r.optional { "<br>_optional_" } else { "" };
                let applies = if r.categories.is_empty() {
                    "all categories".to_owned()
                } else {
                    r.categories
                        .iter()
                        .map(|c| self.category(c))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                vec![
                    format!("{} (`{}`){optional}", r.audience.label(), r.id),
                    r.timing.describe(),
                    cell(&r.channel),
                    r.responsible
                        .as_ref()
                        .map_or("nobody yet".to_owned(), |who| self.name(who)),
                    applies,
                    cell(&r.notes),
                ]
            })
            .collect();
        self.table(
            &[
                "Audience",
                "Timing",
                "Channel",
                "Responsible",
                "Applies to",
                "Notes",
            ],
            rows,
        );
    }

    fn decisions(&mut self) {
        self.numbered(6);
        let p = self.plan;
        if p.decisions.is_empty() {
            return self.empty("decision policies");
        }
        let rows = p
            .decisions
            .iter()
            .map(|d| {
                vec![
                    titled(&d.title, &d.id, &d.description),
                    self.required(&d.required),
                    self.additional(d).unwrap_or_else(|| "—".to_owned()),
                ]
            })
            .collect();
        self.table(
            &[
                "Decision",
                "Required approvers (all)",
                "Additional approvers",
            ],
            rows,
        );
    }

    fn contact_sheet(&mut self) {
        self.section("Contact sheet");
        let p = self.plan;
        if p.core_team.is_empty() && p.extended_team.is_empty() {
            return self.line("_Nobody on either team yet._");
        }
        let mut rows = Vec::new();
        for m in &p.core_team {
            let owns: Vec<String> = m.categories.iter().map(|c| self.category(c)).collect();
            let mut row = vec![cell(&m.name), "Core".to_owned(), cell(&m.role)];
            row.extend(reach(&m.reach));
            row.push(or_dash(owns.join(", ")));
            rows.push(row);
        }
        for c in &p.extended_team {
            let mut row = vec![cell(&c.name), "Extended".to_owned(), cell(&c.role)];
            row.extend(reach(&c.reach));
            row.push("—".to_owned());
            rows.push(row);
        }
        self.table(
            &["Name", "Team", "Role", "Email", "Chat", "Phone", "Owns"],
            rows,
        );
    }
}

/// `**Title** (`id`)<br>description`, for the first cell of a row.
fn titled(title: &str, id: &Id, description: &str) -> String {
    let mut text = format!("**{}** (`{id}`)", inline(title.trim()));
    if !description.trim().is_empty() {
        text.push_str("<br>");
        text.push_str(&inline(description.trim()));
    }
    text
}

/// `Name (`id`)`.
fn named(name: &str, id: &Id) -> String {
    format!("{} (`{id}`)", inline(name.trim()))
}

fn reach(r: &Reach) -> [String; 3] {
    let value = |v: &Option<String>| v.as_deref().map_or("—".to_owned(), cell);
    [value(&r.email), value(&r.chat), value(&r.phone)]
}

fn verified(day: Option<NaiveDate>) -> String {
    day.map_or("never".to_owned(), |d| d.to_string())
}

/// "about 10 min", "about 1 h 30 min".
fn minutes_text(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("about {m} min"),
        (h, 0) => format!("about {h} h"),
        (h, m) => format!("about {h} h {m} min"),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
