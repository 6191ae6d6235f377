//! Contacts: the CSV and vCard exports byte for byte, both read back, the
//! suggested column mapping, a 500-row import, and every kind of bad input
//! as a located error.

use super::*;
use crate::export::contacts_csv::{self, ColumnMapping, Field};
use crate::export::{import_contacts, vcard, ImportedContact, Located, Team, MAX_IMPORT_BYTES};

/// `lines` joined with CRLF, one after each.
fn crlf(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\r\n")).collect()
}

#[test]
fn the_csv_export_quotes_what_needs_it_and_defuses_formulas() {
    let expected = crlf(&[
        "team,id,name,role,email,chat,phone,categories,last_verified",
        "core,kim,\"Kim \"\"KK\"\" Lee, Jr.\",'=Engineer,kim@example.com,'@kim|ops,+1 555 0100,network,2025-09-01",
        "extended,isp,Zoë's ISP; Ltd\\,\"Provider\nUpstream\",,xmpp:noc@isp.example,0800 555 0199,,",
    ]);
    assert_eq!(contacts_csv::write(&tiny_plan()), expected);
}

#[test]
fn the_vcard_export_is_vcard_4_with_stable_uids() {
    let expected = crlf(&[
        "BEGIN:VCARD",
        "VERSION:4.0",
        "UID:urn:muster:contact:kim",
        "FN:Kim \"KK\" Lee\\, Jr.",
        "TITLE:=Engineer",
        "EMAIL:kim@example.com",
        "TEL;VALUE=uri:tel:+1-555-0100",
        "X-MUSTER-CHAT:@kim|ops",
        "NOTE:Muster: core response team\\nOwns: Net_work\\nChat: @kim|ops\\nLast verif",
        " ied: 2025-09-01",
        "CATEGORIES:Muster,Core team",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "UID:urn:muster:contact:isp",
        "FN:Zoë's ISP\\; Ltd\\\\",
        "TITLE:Provider\\nUpstream",
        "TEL;VALUE=text:0800 555 0199",
        "IMPP:xmpp:noc@isp.example",
        "NOTE:Muster: extended response team\\nChat: xmpp:noc@isp.example\\nNot verifi",
        " ed yet",
        "CATEGORIES:Muster,Extended team",
        "END:VCARD",
    ]);
    assert_eq!(vcard::write(&tiny_plan()), expected);
}

/// Every contact of both teams as (name, role, reach).
fn people(plan: &Plan) -> Vec<(String, String, Reach)> {
    let core = plan
        .core_team
        .iter()
        .map(|m| (m.name.clone(), m.role.clone(), m.reach.clone()));
    let extended = plan
        .extended_team
        .iter()
        .map(|c| (c.name.clone(), c.role.clone(), c.reach.clone()));
    core.chain(extended).collect()
}

fn read_back(contacts: &[ImportedContact]) -> Vec<(String, String, Reach)> {
    contacts
        .iter()
        .map(|c| (c.name.clone(), c.role.clone(), c.reach.clone()))
        .collect()
}

#[test]
fn both_exports_read_back_with_their_own_importers() {
    for plan in [starter_plan(), tiny_plan()] {
        let csv = contacts_csv::write(&plan);
        let preview = contacts_csv::preview(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        let fields: Vec<(String, Field)> = preview
            .suggested
            .columns
            .iter()
            .map(|c| (c.header.clone(), c.field))
            .collect();
        let expected: Vec<(String, Field)> = [
            ("name", Field::Name),
            ("email", Field::Email),
            ("phone", Field::Phone),
            ("chat", Field::Chat),
            ("role", Field::Role),
        ]
        .map(|(h, f)| (h.to_owned(), f))
        .into();
        assert_eq!(fields, expected);
        let contacts = contacts_csv::read(csv.as_bytes(), &preview.suggested)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut want = people(&plan);
        // A name is read as one line: line breaks and runs of space become one space.
        for p in &mut want {
            p.0 = p.0.split_whitespace().collect::<Vec<_>>().join(" ");
            p.1 = p.1.trim().to_owned();
        }
        assert_eq!(read_back(&contacts), want, "CSV");

        let cards = vcard::write(&plan);
        let contacts = vcard::read(cards.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read_back(&contacts), want, "vCard");
    }
}

#[test]
fn the_suggested_mapping_reads_common_header_names() {
    let check = |headers: &[&str], expected: &[(&str, Field)]| {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        let got: Vec<(String, Field)> = contacts_csv::suggest(&headers)
            .columns
            .into_iter()
            .map(|c| (c.header, c.field))
            .collect();
        let expected: Vec<(String, Field)> = expected
            .iter()
            .map(|(h, f)| ((*h).to_owned(), *f))
            .collect();
        assert_eq!(got, expected, "{headers:?}");
    };
    check(
        &[
            "Full name",
            "E-mail",
            "Mobile",
            "Slack",
            "Job title",
            "Company",
            "Notes",
        ],
        &[
            ("Full name", Field::Name),
            ("E-mail", Field::Email),
            ("Mobile", Field::Phone),
            ("Slack", Field::Chat),
            ("Job title", Field::Role),
            ("Company", Field::Organisation),
        ],
    );
    check(
        &["Name", "Email address", "Phone", "Signal", "Title"],
        &[
            ("Name", Field::Name),
            ("Email address", Field::Email),
            ("Phone", Field::Phone),
            ("Signal", Field::Chat),
            ("Title", Field::Role),
        ],
    );
    // Google Contacts: "… - Type" columns describe the value next to them.
    check(
        &[
            "First Name",
            "Last Name",
            "E-mail 1 - Type",
            "E-mail 1 - Value",
            "Phone 1 - Type",
            "Phone 1 - Value",
            "Organization Name",
            "Organization Title",
        ],
        &[
            ("First Name", Field::GivenName),
            ("Last Name", Field::FamilyName),
            ("E-mail 1 - Value", Field::Email),
            ("Phone 1 - Value", Field::Phone),
            ("Organization Title", Field::Role),
            ("Organization Name", Field::Organisation),
        ],
    );
    check(&["Notes", "Address"], &[]);
}

/// A CSV of `n` contacts with names that are hard to read: commas, quotes,
/// accents, scripts other than Latin; optional fields often empty.
fn big_csv(n: usize) -> (String, Vec<String>) {
    let given = [
        "Ada", "Ben", "Chloe", "Dara", "Eli", "Zoë", "Jürgen", "Ślimak", "Ørjan", "Ngozi", "Aiko",
        "Mateo", "Priya", "Conor", "Fatima", "Lars", "Mei", "Olu", "Rosa", "Yusuf",
    ];
    let family = [
        "Example.",
        "O'Brien",
        "Smith, Jr.",
        "Ångström",
        "李",
        "Müller",
        "\"Sparky\" Jones",
        "García",
        "Nguyễn",
        "Okafor",
        "van der Berg",
        "Kowalski",
        "Dubois",
        "Tanaka",
        "Singh",
        "Hassan",
        "Ivanova",
        "Rossi",
        "Costa",
        "Brown",
        "Wilson",
        "Taylor",
        "Moore",
        "Clark",
        "Lewis",
    ];
    let mut names = Vec::new();
    let mut rows = vec![vec![
        "Full name".to_owned(),
        "E-mail".to_owned(),
        "Mobile".to_owned(),
        "Slack".to_owned(),
        "Job title".to_owned(),
        "Company".to_owned(),
        "Notes".to_owned(),
    ]];
    for i in 0..n {
        let name = format!(
            "{} {}",
            given[i % given.len()],
            family[i / given.len() % family.len()]
        );
        let name = if i >= given.len() * family.len() {
            format!("{name} {i}")
        } else {
            name
        };
        let opt = |keep: bool, v: String| if keep { v } else { String::new() };
        rows.push(vec![
            name.clone(),
            opt(i % 3 != 0, format!("person{i}@example.com")),
            opt(i % 4 != 1, format!("+44 20 7946 {:04}", i)),
            opt(i % 5 == 0, format!("@p{i}")),
            opt(i % 2 == 0, "Responder, on call".to_owned()),
            opt(i % 7 == 0, "Example \"Ops\" Ltd".to_owned()),
            opt(i % 6 == 0, "line one\nline two".to_owned()),
        ]);
        names.push(name);
    }
    (crate::export::csv::write(&rows), names)
}

#[test]
fn a_500_row_csv_is_previewed_read_and_imported_with_unique_ids() {
    let (csv, names) = big_csv(500);
    let preview = contacts_csv::preview(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(preview.rows, 500);
    assert_eq!(preview.first_rows.len(), 5);
    assert_eq!(preview.headers.len(), 7);
    assert_eq!(preview.first_rows[0][0], "Ada Example.");
    assert_eq!(preview.suggested.field("Full name"), Some(Field::Name));
    assert_eq!(preview.suggested.field("notes"), None);

    let contacts =
        contacts_csv::read(csv.as_bytes(), &preview.suggested).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(contacts.len(), 500);
    let read: Vec<&str> = contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(read, names);
    assert!(read.contains(&"Ada Smith, Jr."));
    assert!(read.contains(&"Ben \"Sparky\" Jones"));
    assert_eq!(contacts[1].reach.email, Some("person1@example.com".into()));
    assert_eq!(contacts[1].reach.phone, None);
    assert_eq!(contacts[0].role, "Responder, on call");
    assert_eq!(contacts[0].organisation, "Example \"Ops\" Ltd");
    // A record with a line break in a quoted field spans two lines.
    assert_eq!((contacts[0].line, contacts[1].line), (2, 4));

    let plan = starter_plan();
    let new = import_contacts(&plan, &contacts, Team::Extended).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(validate(&new), []);
    assert_eq!(new.core_team, plan.core_team);
    assert_eq!(new.extended_team.len(), plan.extended_team.len() + 500);
    let added = &new.extended_team[plan.extended_team.len()..];
    let mut ids: Vec<&str> = added.iter().map(|c| c.id.as_str()).collect();
    // `Ada Example.` is not the starter's CEO, but her id is taken.
    assert_eq!(ids[0], "ada-example-2");
    assert_eq!(added[0].role, "Responder, on call, Example \"Ops\" Ltd");
    assert!(added.iter().all(|c| c.last_verified.is_none()));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 500);
}

#[test]
fn contacts_can_join_the_core_team_owning_nothing() {
    let contacts = vcard::read(
        crlf(&["BEGIN:VCARD", "VERSION:4.0", "FN:Ada-Example", "END:VCARD"]).as_bytes(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let plan = starter_plan();
    let new = import_contacts(&plan, &contacts, Team::Core).unwrap_or_else(|e| panic!("{e:?}"));
    let added = new.core_team.last().cloned();
    let added = added.unwrap_or_else(|| panic!("nobody added"));
    assert_eq!(
        (added.id.as_str(), added.name.as_str()),
        ("ada-example-2", "Ada-Example")
    );
    assert!(added.categories.is_empty() && added.last_verified.is_none());
    assert_eq!(new.extended_team, plan.extended_team);
}

fn shown(problems: &[Located]) -> Vec<String> {
    problems.iter().map(|p| p.in_file("people.csv")).collect()
}

/// Reads `text` as a contacts CSV with `mapping` (or the suggested one) and
/// imports it into the starter plan, expecting exactly `expected`.
fn check_csv(text: &[u8], mapping: Option<&[(&str, Field)]>, expected: &[&str]) {
    let result = contacts_csv::preview(text).and_then(|preview| {
        let mapping = match mapping {
            Some(pairs) => {
                let mut m = ColumnMapping::default();
                for (header, field) in pairs {
                    m.columns.push(contacts_csv::MappedColumn {
                        header: (*header).to_owned(),
                        field: *field,
                    });
                }
                m
            }
            None => preview.suggested,
        };
        let contacts = contacts_csv::read(text, &mapping)?;
        import_contacts(&starter_plan(), &contacts, Team::Extended)
    });
    match result {
        Ok(_) => panic!("{:?} was imported", String::from_utf8_lossy(text)),
        Err(problems) => assert_eq!(shown(&problems), expected),
    }
}

#[test]
fn bad_csv_input_is_reported_where_it_is() {
    check_csv(
        b"Name,Email\nAda Two,a@example.com\nB\xFFen,b@example.com\n",
        None,
        &["people.csv:3:2: the file is not valid UTF-8 (byte 0xFF here): save or export it as UTF-8"],
    );
    check_csv(
        b"Name,Email\n\"Ada Two,a@example.com\nBen,b@example.com\n",
        None,
        &["people.csv:2:1: this quoted field never ends: add the closing `\"`, and write a quote inside a quoted field as `\"\"`"],
    );
    check_csv(
        b"Name,Email\n\"Ada\" Two,a@example.com\n",
        None,
        &["people.csv:2:6: text after the closing quote of a field: put the whole field in quotes, and write a quote inside it as `\"\"`"],
    );
    check_csv(
        b"Name,Email\r\nDoe, Jane,jane@example.com\r\nBen\r\n",
        None,
        &[
            "people.csv:2:11: this row has 3 fields but the header has 2: put a field that holds a comma in quotes (\"Doe, Jane\"), or fix the row",
            "people.csv:3:1: this row has 1 field but the header has 2: put a field that holds a comma in quotes (\"Doe, Jane\"), or fix the row",
        ],
    );
    check_csv(
        b"Email,Name\nx@example.com,  \n",
        None,
        &["people.csv:2:15: this contact has no name: fill it in, or delete the row"],
    );
    check_csv(
        b"Name,Email\nAda,a@example.com\n",
        Some(&[("Name", Field::Name), ("E-mail", Field::Email)]),
        &["people.csv:1:1: the mapping reads the column `E-mail` as email, but the header has no such column (it has `Name`, `Email`): map a column the file has"],
    );
    check_csv(
        b"Who,Email\nAda,a@example.com\n",
        None,
        &["people.csv:1:1: no column is mapped to name: map the column that holds the names (columns: `Who`, `Email`)"],
    );
    check_csv(
        b"Name,Email,email\nAda,a,b\n",
        None,
        &["people.csv:1:12: the header has the column `email` twice: rename one so each column can be told apart"],
    );
    check_csv(
        b"Name\nZed One\nzed  one\n",
        None,
        &["people.csv:3:1: `zed one` is in the file twice (first on line 2): remove one, or tell them apart in the name"],
    );
    check_csv(
        b"Name\nNew Person\nAda Example\n",
        None,
        &["people.csv:3:1: `Ada Example` is already on the core team (`ada-example`): leave them out of the file, or edit that contact in Muster"],
    );
    check_csv(b"", None, &["people.csv:1:1: the file is empty: a contacts CSV has a header row naming its columns, then one row per contact"]);
    check_csv(b"Name,Email\r\n", None, &["people.csv:1:1: the file has a header row but no contacts: add one row per contact below it"]);
    let big = vec![b'a'; MAX_IMPORT_BYTES + 1];
    check_csv(
        &big,
        None,
        &["people.csv:1:1: the file is 5242881 bytes, more than the 5 MiB a contacts file may have: split it into smaller files, or check that it is the right file"],
    );
}

#[test]
fn bad_vcards_are_reported_where_they_are() {
    let check = |text: &str, expected: &[&str]| match vcard::read(text.as_bytes()) {
        Ok(c) => panic!("read {c:?}"),
        Err(problems) => {
            let got: Vec<String> = problems.iter().map(|p| p.in_file("people.vcf")).collect();
            assert_eq!(got, expected);
        }
    };
    check(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:a@example.com\r\nEND:VCARD\r\n",
        &["people.vcf:1:1: the card on lines 1–4 has no name (FN or N): add FN:<full name> to it"],
    );
    check(
        "BEGIN:VCARD\nFN:Ada\nBEGIN:VCARD\nFN:Ben\nEND:VCARD\n",
        &["people.vcf:3:1: a new card begins before the card from line 1 ends: add END:VCARD before it"],
    );
    check(
        "FN:Ada\nBEGIN:VCARD\nFN:Ben\nthis is not a property\n",
        &[
            "people.vcf:1:1: `FN` is outside a card: every property belongs between BEGIN:VCARD and END:VCARD",
            "people.vcf:2:1: this card never ends: add END:VCARD after its last line",
            "people.vcf:4:1: this line has no `:` between a property name and its value: check that the file is a vCard file and that long lines are folded with a leading space",
        ],
    );
    check(
        "BEGIN:VCARD\nVERSION:2.1\nFN:Ada\nEND:VCARD\n",
        &["people.vcf:2:1: vCard version 2.1 is not supported: export the contacts as vCard 3.0 or 4.0"],
    );
    check(
        "BEGIN:VCARD\nFN:Ada\nEND:VCARD\nBEGIN:VCARD\nFN: ada \nEND:VCARD\n",
        &["people.vcf:4:1: `ada` is in the file twice (first on line 1): remove one, or tell them apart in the name"],
    );
    check("\n\n", &["people.vcf:1:1: the file holds no cards: a vCard file has BEGIN:VCARD … END:VCARD for each contact"]);
}

#[test]
fn vcards_from_address_books_are_read_with_folding_escapes_and_preferences() {
    let text = crlf(&[
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Ångström;Zoë;;Dr.;",
        "ORG:Example Labs;Security",
        "TITLE:Head of security\\, EMEA",
        "item1.EMAIL;TYPE=INTERNET:zoe@old.example.com",
        "EMAIL;TYPE=INTERNET,pref:zoe@example.com",
        "TEL;TYPE=CELL:+46 70 123 45 67",
        "X-SOCIALPROFILE:ignored",
        "END:VCARD",
        "begin:vcard",
        "version:4.0",
        "fn:Ben \"Benny\" Sample\\; the sec",
        " ond",
        "TEL;VALUE=uri;PREF=2:tel:+1-555-0101",
        "TEL;VALUE=uri;PREF=1:tel:+1-555-0102;ext=7",
        "IMPP:xmpp:ben@example.org",
        "NOTE:one\\ntwo",
        "end:vcard",
    ]);
    let contacts = vcard::read(text.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let got: Vec<(String, String, String, Reach, usize)> = contacts
        .into_iter()
        .map(|c| (c.name, c.role, c.organisation, c.reach, c.line))
        .collect();
    let reach = |email: Option<&str>, chat: Option<&str>, phone: &str| Reach {
        email: email.map(str::to_owned),
        chat: chat.map(str::to_owned),
        phone: Some(phone.to_owned()),
    };
    assert_eq!(
        got,
        [
            (
                "Dr. Zoë Ångström".to_owned(),
                "Head of security, EMEA".to_owned(),
                "Example Labs, Security".to_owned(),
                reach(Some("zoe@example.com"), None, "+46 70 123 45 67"),
                1
            ),
            (
                "Ben \"Benny\" Sample; the second".to_owned(),
                String::new(),
                String::new(),
                reach(None, Some("xmpp:ben@example.org"), "+1 555 0102"),
                11
            ),
        ]
    );
}
