//! Turning imported contacts into plan contacts: each gets an id made from its
//! name, unique in the plan, and joins the chosen team at the end; a contact
//! whose name is already on a team is refused, so importing a file twice adds
//! nobody twice.

use std::collections::{HashMap, HashSet};

use super::{duplicate_names, name_key, ImportedContact, Located, Team};
use crate::plan::{CoreMember, ExtendedContact, Id, Plan, MAX_ID_LEN};

/// The plan with `contacts` appended to `team`, validated; or every problem,
/// located at the contact's line in its file. The caller stores the result as
/// one revision (`Store::replace_plan`), so an import is all or nothing.
///
/// Imported contacts are not verified (`last_verified` is unset, so the plan
/// check asks the team to confirm them) and core members own no categories.
/// The organisation, when the file names one, is added to the role ("Security
/// consultant, Brightline"), as the plan has no field of its own for it.
pub fn import_contacts(
    plan: &Plan,
    contacts: &[ImportedContact],
    team: Team,
) -> Result<Plan, Vec<Located>> {
    let mut problems = Vec::new();
    for c in contacts {
        if c.name.trim().is_empty() {
            problems.push(Located::new(
                c.line,
                1,
                "this contact has no name: fill it in, or leave the contact out",
            ));
        }
    }
    problems.extend(duplicate_names(contacts));
    let on_teams: HashMap<String, (&str, &Id)> = plan
        .core_team
        .iter()
        .map(|m| (name_key(&m.name), ("core", &m.id)))
        .chain(
            plan.extended_team
                .iter()
                .map(|c| (name_key(&c.name), ("extended", &c.id))),
        )
        .collect();
    for c in contacts {
        if let Some((team, id)) = on_teams.get(&name_key(&c.name)) {
            problems.push(Located::new(
                c.line,
                1,
                format!(
                    "`{}` is already on the {team} team (`{id}`): leave them out of the file, or edit that contact in Muster",
                    c.name.trim()
                ),
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(problems);
    }

    let mut taken: HashSet<String> = plan
        .core_team
        .iter()
        .map(|m| m.id.to_string())
        .chain(plan.extended_team.iter().map(|c| c.id.to_string()))
        .collect();
    let mut new = plan.clone();
    for c in contacts {
        let id = unique(&slug(&c.name), &mut taken);
        let role = match (c.role.trim(), c.organisation.trim()) {
            (role, "") => role.to_owned(),
            ("", org) => org.to_owned(),
            (role, org) => format!("{role}, {org}"),
        };
        let name = c.name.trim().to_owned();
        match team {
            Team::Core => new.core_team.push(CoreMember {
                id,
                name,
                role,
                categories: Vec::new(),
                reach: c.reach.clone(),
                public_key: None,
                retired_keys: Vec::new(),
                last_verified: None,
            }),
            Team::Extended => new.extended_team.push(ExtendedContact {
                id,
                name,
                role,
                reach: c.reach.clone(),
                last_verified: None,
            }),
        }
    }
    let problems = crate::plan::validate(&new);
    if problems.is_empty() {
        return Ok(new);
    }
    // Imported contacts are built to be sound; a problem here is the plan's own.
    let line_of = |element: &str| {
        let members = match team {
            Team::Core => new.core_team.iter().map(|m| &m.id).collect::<Vec<_>>(),
            Team::Extended => new.extended_team.iter().map(|c| &c.id).collect(),
        };
        let first_new = members.len() - contacts.len();
        members[first_new..]
            .iter()
            .position(|id| id.as_str() == element)
            .map_or(1, |i| contacts[i].line)
    };
    Err(problems
        .iter()
        .map(|p| Located::new(line_of(&p.location.element), 1, p.to_string()))
        .collect())
}

/// `base`, or `base-2`, `base-3`, … : the first not in `taken`, which it joins.
fn unique(base: &str, taken: &mut HashSet<String>) -> Id {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        let suffix = format!("-{n}");
        let stem = cut(base, MAX_ID_LEN - suffix.len());
        candidate = format!("{stem}{suffix}");
        n += 1;
    }
    taken.insert(candidate.clone());
    crate::plan::id(&candidate)
}

/// An id made from a name: ASCII letters and digits, lowercase, with single
/// hyphens for everything else; common accented Latin letters lose their
/// accents (`Zoë Ångström` → `zoe-angstrom`). A name with nothing left
/// (`李雷`) becomes `contact`. At most [`MAX_ID_LEN`] bytes.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        // Apostrophes join a word: O'Brien → obrien.
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        let plain: Vec<char> = fold_accent(c)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !plain.is_empty() {
            out.extend(plain);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = cut(out.trim_matches('-'), MAX_ID_LEN);
    if trimmed.is_empty() {
        "contact".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The first `max` bytes of an ASCII slug, without a trailing hyphen.
fn cut(slug: &str, max: usize) -> &str {
    slug.get(..max.min(slug.len()))
        .unwrap_or(slug)
        .trim_end_matches('-')
}

/// A Latin letter without its accent, as ASCII; other characters as they are.
fn fold_accent(c: char) -> String {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ţťŧț", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("þ", "th"),
        ("ð", "d"),
    ];
    let lower: String = c.to_lowercase().collect();
    for (from, to) in TABLE {
        if lower.chars().all(|l| from.contains(l)) && !lower.is_empty() {
            return (*to).to_owned();
        }
    }
    lower
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids_made_from_names() {
        for (name, expected) in [
            ("Ada Example", "ada-example"),
            ("  Doe, Jane  ", "doe-jane"),
            ("Zoë Ångström", "zoe-angstrom"),
            ("Conor O'Brien", "conor-obrien"),
            ("Jürgen Groß", "jurgen-gross"),
            ("李雷", "contact"),
            ("R2-D2 (droid)", "r2-d2-droid"),
            ("--", "contact"),
        ] {
            assert_eq!(slug(name), expected, "{name:?}");
            assert!(Id::parse(&slug(name)).is_ok());
        }
        let long = slug(&"word ".repeat(40));
        assert!(
            long.len() <= MAX_ID_LEN && Id::parse(&long).is_ok(),
            "{long}"
        );
    }

    #[test]
    fn ids_get_a_number_when_taken() {
        let mut taken: HashSet<String> = ["ada", "ada-2"].map(str::to_owned).into();
        assert_eq!(unique("ada", &mut taken).as_str(), "ada-3");
        assert_eq!(unique("ada", &mut taken).as_str(), "ada-4");
        let base = "a".repeat(MAX_ID_LEN);
        taken.insert(base.clone());
        let next = unique(&base, &mut taken);
        assert!(Id::parse(next.as_str()).is_ok() && next.as_str().ends_with("-2"));
    }
}
