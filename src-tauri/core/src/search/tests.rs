//! Tests of the search module.
use chrono::NaiveDate;

use super::*;
use crate::starter;

/// An in-memory database with the search table exactly as migration 0002 creates it.
fn db() -> Connection {
    let migration = include_str!("../store/migrations/0002_editor.sql");
    let start = migration
        .find("CREATE VIRTUAL TABLE search_index")
        .unwrap_or_else(|| panic!("migration 0002 no longer creates search_index"));
    let len = migration[start..]
        .find(");")
        .unwrap_or_else(|| panic!("unterminated CREATE VIRTUAL TABLE"));
    let conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("open: {e}"));
    conn.execute_batch(&migration[start..start + len + 2])
        .unwrap_or_else(|e| panic!("create search_index: {e}"));
    conn
}

fn starter_plan() -> Plan {
    starter::plan(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default())
}

fn indexed(plan: &Plan) -> Connection {
    let conn = db();
    rebuild(&conn, plan).unwrap_or_else(|e| panic!("rebuild: {e}"));
    conn
}

fn find(conn: &Connection, typed: &str) -> Vec<SearchHit> {
    search(conn, typed, 20).unwrap_or_else(|e| panic!("search {typed:?}: {e}"))
}

/// (section, element) of each hit.
fn keys(conn: &Connection, typed: &str) -> Vec<(Section, String)> {
    find(conn, typed)
        .into_iter()
        .map(|h| (h.section, h.element))
        .collect()
}

fn key(section: Section, element: &str) -> (Section, String) {
    (section, element.to_owned())
}

fn rows(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM search_index", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("count: {e}"))
}

#[test]
fn finds_an_issue_by_a_prefix_of_its_title() {
    let conn = indexed(&starter_plan());
    let hits = find(&conn, "stol us");
    let first = hits.first().unwrap_or_else(|| panic!("no hits"));
    assert_eq!(
        (first.section, first.element.as_str(), first.title.as_str()),
        (Section::Issues, "stolen-user-funds", "Stolen user funds")
    );
    assert!(keys(&conn, "Stolen user fund").contains(&key(Section::Issues, "stolen-user-funds")));
}

#[test]
fn finds_a_procedure_by_a_word_in_a_step_s_tools() {
    let mut plan = starter_plan();
    plan.procedures[3].steps[1].tools = "Ledger Nano, Frobnicator CLI".to_owned();
    let procedure = plan.procedures[3].id.to_string();
    let conn = indexed(&plan);
    assert_eq!(
        keys(&conn, "frobn"),
        vec![key(Section::Procedures, &procedure)]
    );
}

#[test]
fn finds_a_contact_by_a_fragment_of_an_email_address() {
    let mut plan = starter_plan();
    plan.extended_team[1].reach.email = Some("liaison.desk@forumwatch.example.org".into());
    let contact = plan.extended_team[1].id.to_string();
    let conn = indexed(&plan);
    assert_eq!(
        keys(&conn, "desk@forumwa"),
        vec![key(Section::ExtendedTeam, &contact)]
    );
}

#[test]
fn folds_diacritics_and_case_both_ways() {
    let mut plan = starter_plan();
    plan.categories[0].description = "The Café Zürich terminal is down.".to_owned();
    plan.issues[0].description = "Naive resume of the senor's job.".to_owned();
    let conn = indexed(&plan);
    let category = key(Section::Categories, plan.categories[0].id.as_str());
    let issue = key(Section::Issues, plan.issues[0].id.as_str());
    assert_eq!(keys(&conn, "cafe zur"), vec![category.clone()]);
    assert_eq!(keys(&conn, "CAFÉ"), vec![category]);
    assert_eq!(keys(&conn, "naïve résumé señor"), vec![issue]);
}

#[test]
fn finds_people_through_the_elements_that_name_them() {
    let conn = indexed(&starter_plan());
    let found = keys(&conn, "chloe");
    assert_eq!(found.first(), Some(&key(Section::CoreTeam, "chloe-demo")));
    assert!(
        found.iter().any(|(s, _)| *s == Section::Decisions),
        "{found:?}"
    );
}

#[test]
fn title_matches_rank_above_body_matches() {
    let mut plan = starter_plan();
    // The body match is in a short document, the title match in a long one,
    // so length alone would favour the body match.
    plan.categories[1].description = "Zeppelin".to_owned();
    plan.issues[5].title = "Zeppelin tether failure".to_owned();
    let conn = indexed(&plan);
    assert_eq!(
        keys(&conn, "zepp"),
        vec![
            key(Section::Issues, plan.issues[5].id.as_str()),
            key(Section::Categories, plan.categories[1].id.as_str()),
        ]
    );
}

#[test]
fn a_title_holding_some_of_the_words_ranks_above_bodies_holding_all() {
    let mut plan = starter_plan();
    plan.issues[2].title = "Kraken alarm".to_owned();
    plan.issues[2].description = "A squid was seen.".to_owned();
    plan.categories[2].description = "Kraken and squid, squid, squid.".to_owned();
    plan.procedures[1].summary = "Squid only.".to_owned();
    let conn = indexed(&plan);
    assert_eq!(
        keys(&conn, "squid krak"),
        vec![
            key(Section::Issues, plan.issues[2].id.as_str()),
            key(Section::Categories, plan.categories[2].id.as_str()),
        ]
    );
    // A title holding every word beats one holding some.
    plan.decisions[1].title = "Squid and kraken drill".to_owned();
    let conn = indexed(&plan);
    assert_eq!(
        keys(&conn, "squid krak"),
        vec![
            key(Section::Decisions, plan.decisions[1].id.as_str()),
            key(Section::Issues, plan.issues[2].id.as_str()),
            key(Section::Categories, plan.categories[2].id.as_str()),
        ]
    );
}

#[test]
fn every_word_must_match_and_results_are_stable_and_limited() {
    let conn = indexed(&starter_plan());
    let broad = keys(&conn, "p");
    assert!(broad.len() == 20, "{}", broad.len());
    assert_eq!(broad, keys(&conn, "p"));
    let few = search(&conn, "p", 3).unwrap();
    assert_eq!(few.len(), 3);
    assert!(search(&conn, "p", 0).unwrap().is_empty());
    let narrow = keys(&conn, "oracle fail");
    assert!(!narrow.is_empty() && narrow.len() < keys(&conn, "oracle").len());
    assert!(keys(&conn, "oracle zzzqqq").is_empty());
}

#[test]
fn reindex_replaces_the_old_text_with_the_new() {
    let mut plan = starter_plan();
    let conn = indexed(&plan);
    let before = rows(&conn);
    let issue = plan.issues[2].id.to_string();
    plan.issues[2].title = "Kraken in the harbour".to_owned();
    plan.issues[2].description = "Tentacles everywhere.".to_owned();
    reindex(&conn, &plan, Section::Issues, &issue).unwrap();
    assert_eq!(rows(&conn), before);
    assert_eq!(keys(&conn, "krak"), vec![key(Section::Issues, &issue)]);
    assert_eq!(keys(&conn, "tentac"), vec![key(Section::Issues, &issue)]);
    assert!(!keys(&conn, "stolen admin credentials").contains(&key(Section::Issues, &issue)));
}

#[test]
fn a_deleted_element_disappears() {
    let mut plan = starter_plan();
    let conn = indexed(&plan);
    let gone = plan.issues.remove(0);
    assert!(keys(&conn, "ddos").contains(&key(Section::Issues, gone.id.as_str())));
    reindex(&conn, &plan, Section::Issues, gone.id.as_str()).unwrap();
    assert!(!keys(&conn, "ddos").contains(&key(Section::Issues, gone.id.as_str())));
    assert!(!keys(&conn, &gone.title).contains(&key(Section::Issues, gone.id.as_str())));
}

#[test]
fn renaming_a_category_or_a_contact_reindexes_the_elements_that_name_it() {
    let mut plan = starter_plan();
    let conn = indexed(&plan);
    let category = plan.categories[0].id.to_string();
    plan.categories[0].name = "Piracy".to_owned();
    reindex(&conn, &plan, Section::Categories, &category).unwrap();
    let found = keys(&conn, "piracy");
    for issue in plan
        .issues
        .iter()
        .filter(|i| i.category.as_str() == category)
    {
        assert!(
            found.contains(&key(Section::Issues, issue.id.as_str())),
            "{found:?}"
        );
    }
    assert!(
        found.contains(&key(Section::CoreTeam, "ada-example")),
        "{found:?}"
    );

    let decisions_before = keys(&conn, "chloe")
        .into_iter()
        .filter(|(s, _)| *s == Section::Decisions)
        .count();
    plan.core_team[2].name = "Chloe Renamed".to_owned();
    reindex(&conn, &plan, Section::CoreTeam, "chloe-demo").unwrap();
    let decisions_after = keys(&conn, "renamed")
        .into_iter()
        .filter(|(s, _)| *s == Section::Decisions)
        .count();
    assert!(decisions_before > 0);
    assert_eq!(decisions_after, decisions_before);
}

#[test]
fn rebuild_replaces_everything_and_is_empty_says_so() {
    let conn = db();
    assert!(is_empty(&conn).unwrap());
    let plan = starter_plan();
    rebuild(&conn, &plan).unwrap();
    rebuild(&conn, &plan).unwrap();
    assert!(!is_empty(&conn).unwrap());
    assert_eq!(rows(&conn), documents(&plan).len() as i64);
    let expected = 1
        + plan.categories.len()
        + plan.issues.len()
        + plan.procedures.len()
        + plan.core_team.len()
        + plan.extended_team.len()
        + plan.communications.len()
        + plan.decisions.len();
    assert_eq!(rows(&conn), expected as i64);
    // Sections that are not indexed are accepted and change nothing.
    for (section, k) in [
        (Section::Escalation, "hacker-attack"),
        (Section::OnCall, "hacker-attack"),
        (Section::ExercisePolicy, ""),
    ] {
        reindex(&conn, &plan, section, k).unwrap();
    }
    assert_eq!(rows(&conn), expected as i64);
}

#[test]
fn an_element_whose_home_row_is_taken_moves_along_and_is_still_replaced() {
    let mut plan = starter_plan();
    let conn = indexed(&plan);
    let issue = plan.issues[3].id.to_string();
    reindex(&conn, &plan, Section::Issues, &issue).unwrap();
    // Pretend another element hashed to the same rowid and got there first.
    conn.execute("DELETE FROM search_index WHERE element = ?1", [&issue])
        .unwrap();
    let home = home_rowid(Section::Issues, &issue);
    conn.execute(
        "INSERT INTO search_index (rowid, section, element, title, body)
         VALUES (?1, 'issues', 'squatter', 'Squatter', '')",
        [home],
    )
    .unwrap();
    for title in ["Zanzibar along", "Zanzibar again"] {
        plan.issues[3].title = title.to_owned();
        reindex(&conn, &plan, Section::Issues, &issue).unwrap();
    }
    assert_eq!(keys(&conn, "zanzib"), vec![key(Section::Issues, &issue)]);
    assert!(keys(&conn, "along").is_empty());
    assert_eq!(keys(&conn, "squat"), vec![key(Section::Issues, "squatter")]);
}

#[test]
fn hostile_input_never_errors() {
    let conn = indexed(&starter_plan());
    let long = "pause ".repeat(500);
    let hostile = [
        "",
        " ",
        "\"",
        "\"\"",
        "*",
        "**",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "and or not",
        "-x",
        "-",
        "(",
        ")",
        "((",
        "col:x",
        "title:pause",
        "section:issues",
        "^pause",
        "pause*",
        "\"pause",
        "pause\"",
        "NEAR(pause contract)",
        "{title}: x",
        "'",
        "'; DROP TABLE x; --",
        "🔥",
        "🔥 pause 🚨",
        "👩‍💻",
        "\u{301}",
        "e\u{301}",
        "\u{200d}",
        "\u{0}",
        "\u{2}pause\u{3}",
        "²",
        "Ⅻ",
        "東京",
        "ﷺ",
        "ǅ",
        "ß",
        "İstanbul",
        "\t\n",
        &long,
    ];
    for typed in hostile {
        let hits = search(&conn, typed, 20);
        assert!(hits.is_ok(), "{typed:?}: {hits:?}");
    }
    assert!(find(&conn, "").is_empty());
    assert!(find(&conn, "\"*()-:").is_empty());
    assert!(!find(&conn, "🔥 pause 🚨").is_empty());
    assert!(!find(&conn, "pause:contract").is_empty());
    assert!(!find(&conn, &long).is_empty());
}

#[test]
fn typed_text_becomes_quoted_prefix_terms() {
    assert_eq!(match_expression("  "), None);
    assert_eq!(match_expression("*\"-"), None);
    assert_eq!(
        match_expression("Pause c"),
        Some("\"Pause\"* AND \"c\"*".to_owned())
    );
    assert_eq!(
        match_expression("NOT col:x"),
        Some("\"NOT\"* AND \"col\"* AND \"x\"*".to_owned())
    );
    assert_eq!(
        match_expression("über-café"),
        Some("\"über\"* AND \"café\"*".to_owned())
    );
    let many = "a ".repeat(50);
    let terms = match_expression(&many).unwrap_or_default();
    assert_eq!(terms.matches(" AND ").count(), MAX_TERMS - 1);
}

#[test]
fn snippets_mark_the_hit_in_plain_text() {
    let mut plan = starter_plan();
    plan.issues[4].description =
        "When the sequencer stalls, the bridge queue grows and <b>nothing</b> moves.".to_owned();
    let conn = indexed(&plan);
    let hits = find(&conn, "sequen");
    let hit = hits.first().unwrap_or_else(|| panic!("no hits"));
    assert_eq!(hit.element, plan.issues[4].id.as_str());
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, vec!["sequencer"]);
    let text: String = hit.snippet.iter().map(|p| p.text.as_str()).collect();
    assert!(text.starts_with("When the sequencer stalls"), "{text}");
    assert!(text.contains("<b>nothing</b>"), "{text}");
    assert!(!text.contains(HIT_START) && !text.contains(HIT_END));
    // Parts alternate: no two neighbours of the same kind, none empty.
    assert!(hit.snippet.windows(2).all(|w| w[0].hit != w[1].hit));
    assert!(hit.snippet.iter().all(|p| !p.text.is_empty()));
}

#[test]
fn a_title_only_match_shows_the_start_of_the_body() {
    let mut plan = starter_plan();
    plan.decisions[0].title = "Quarantine vault".to_owned();
    let conn = indexed(&plan);
    let hits = find(&conn, "quaran");
    let hit = hits.first().unwrap_or_else(|| panic!("no hits"));
    assert_eq!(hit.title, "Quarantine vault");
    assert!(hit.snippet.iter().all(|p| !p.hit));
    let text: String = hit.snippet.iter().map(|p| p.text.as_str()).collect();
    let start: String = plan.decisions[0].description.chars().take(10).collect();
    assert!(text.starts_with(&start), "{text:?}");
}

#[test]
fn snippet_markers_split_into_parts() {
    let part = |text: &str, hit| SnippetPart {
        text: text.to_owned(),
        hit,
    };
    assert_eq!(
        snippet_parts("a \u{2}b\u{3}\u{2}c\u{3} d\u{2}e\u{3}"),
        vec![
            part("a ", false),
            part("bc", true),
            part(" d", false),
            part("e", true)
        ]
    );
    assert_eq!(snippet_parts(""), vec![]);
}

#[test]
fn a_generated_plan_is_indexed_and_found() {
    let plan = crate::generate::plan(
        crate::generate::Size {
            issues: 200,
            procedures: 200,
            steps_per_procedure: 5,
            contacts: 60,
        },
        9,
    );
    let conn = indexed(&plan);
    assert_eq!(rows(&conn), documents(&plan).len() as i64);
    let title = &plan.issues[17].title;
    assert!(keys(&conn, title).contains(&key(Section::Issues, "issue-00018")));
}
