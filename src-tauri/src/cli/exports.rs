//! `muster plan binder|calendar` and `muster contacts export|import`: the
//! exports people use (a Markdown binder, an iCalendar file, contacts as CSV
//! or vCard) and the contacts import. Each command calls `muster_core::export`
//! and writes or prints the result.
//!
//! Output files are written atomically (a temporary file in the same folder,
//! then a rename), so a reader never sees half a file; `--out -` writes to
//! standard output. An import reads and checks the whole file first: any
//! problem is printed as `FILE:line:column: message`, the command exits 1,
//! and the stored plan is not touched. Otherwise the contacts are added as
//! one revision.

use std::fs;
use std::io::Read;
use std::path::Path;

use clap::{Subcommand, ValueEnum};
use muster_core::clock::{Clock, SystemClock};
use muster_core::export::contacts_csv::{self, ColumnMapping, CsvPreview, Field};
use muster_core::export::{self, ical, markdown, vcard, Located, Team};
use muster_core::plan::Plan;
use muster_core::store::Store;

use super::print;

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Write the contacts of both teams as CSV or vCard 4.0
    Export {
        #[arg(long, value_enum)]
        format: Format,
        /// The file to write, or - for standard output
        #[arg(long, value_name = "FILE")]
        out: String,
    },
    /// Add the contacts in a CSV or vCard file to a team, as one revision.
    /// Every problem in the file is printed as FILE:line:column: message, and
    /// then nothing is added
    Import {
        /// The CSV (.csv) or vCard (.vcf) file to read
        file: String,
        /// The file's format [default: from its extension]
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// The team the contacts join (core members own no categories until you assign them)
        #[arg(long, value_enum, default_value = "extended")]
        team: TeamArg,
        /// Read a CSV column as a field, overriding the guess from the header
        /// names; FIELD is name, given-name, family-name, role, organisation,
        /// email, chat, phone, or ignore. Repeat for more columns
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        map: Vec<String>,
        /// Print the columns, the first rows and who would be added, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Vcard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TeamArg {
    Core,
    Extended,
}

/// `muster plan binder --out FILE`.
pub fn binder(data_dir: &Path, out: &str) -> Result<u8, String> {
    let plan = stored_plan(data_dir)?;
    let today = SystemClock.now().date_naive();
    write_out(out, &markdown::binder(&plan, today), "the binder")
}

/// `muster plan calendar --out FILE [--from DAY]`.
pub fn calendar(data_dir: &Path, out: &str, from: Option<&str>) -> Result<u8, String> {
    let now = SystemClock.now();
    let from = match from {
        Some(text) => ical::parse_day(text).map_err(|e| format!("--from: {e}"))?,
        None => now.date_naive(),
    };
    let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
    let plan = store.plan().map_err(|e| e.to_string())?;
    // The exercises already planned in Muster, beside the policy's cadence.
    let planned = store.exercises().map_err(|e| e.to_string())?;
    write_out(
        out,
        &ical::calendar_with(&plan, from, now, &planned),
        "the calendar",
    )
}

pub fn contacts(data_dir: &Path, command: ContactsCommand) -> Result<u8, String> {
    match command {
        ContactsCommand::Export { format, out } => {
            let plan = stored_plan(data_dir)?;
            let text = match format {
                Format::Csv => contacts_csv::write(&plan),
                Format::Vcard => vcard::write(&plan),
            };
            write_out(&out, &text, "the contacts")
        }
        ContactsCommand::Import {
            file,
            format,
            team,
            map,
            dry_run,
        } => {
            let team = match team {
                TeamArg::Core => Team::Core,
                TeamArg::Extended => Team::Extended,
            };
            import(data_dir, &file, format, team, &map, dry_run)
        }
    }
}

fn import(
    data_dir: &Path,
    file: &str,
    format: Option<Format>,
    team: Team,
    map: &[String],
    dry_run: bool,
) -> Result<u8, String> {
    let format = match format {
        Some(f) => f,
        None => from_extension(file)?,
    };
    if format == Format::Vcard && !map.is_empty() {
        return Err("--map is for CSV files; a vCard file names its fields itself".to_owned());
    }
    let refused = |problems: Vec<Located>| {
        for p in &problems {
            eprintln!("{}", p.in_file(file));
        }
        format!(
            "{} in {file}: nothing was imported, the stored plan is unchanged",
            count(problems.len(), "problem")
        )
    };
    let bytes = read_limited(file)?.map_err(|p| refused(vec![p]))?;
    let contacts = match format {
        Format::Csv => {
            let preview = contacts_csv::preview(&bytes).map_err(refused)?;
            let mapping = mapping(&preview, map)?;
            print(&describe(file, &preview, &mapping, dry_run))?;
            contacts_csv::read(&bytes, &mapping).map_err(refused)?
        }
        Format::Vcard => vcard::read(&bytes).map_err(refused)?,
    };

    let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
    store
        .default_author(&crate::os_user_name())
        .map_err(|e| e.to_string())?;
    let plan = store.plan().map_err(|e| e.to_string())?;
    let new = export::import_contacts(&plan, &contacts, team).map_err(refused)?;
    let n = count(contacts.len(), "contact");
    let list = added(&plan, &new, team);
    if dry_run {
        print(&format!("Would add {n} to {}:\n{list}", team.label()))?;
        print("Dry run: nothing was changed\n")?;
        return Ok(0);
    }
    let summary = format!("Imported {n} from {file}");
    let revision = store
        .replace_plan(&new, &summary, &SystemClock)
        .map_err(|e| e.to_string())?;
    let done = match revision {
        Some(r) => format!(
            "Added {n} to {} as revision {}:\n{list}",
            team.label(),
            r.id
        ),
        None => "No changes\n".to_owned(),
    };
    print(&done)?;
    Ok(0)
}

/// The format from the file's extension: `.csv`, or `.vcf`/`.vcard`.
fn from_extension(file: &str) -> Result<Format, String> {
    let ext = Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        Some("csv") => Ok(Format::Csv),
        Some("vcf" | "vcard") => Ok(Format::Vcard),
        _ => Err(format!(
            "cannot tell the format of {file} from its name: pass --format csv or --format vcard"
        )),
    }
}

/// The file's bytes, or (inside) the located problem of a file over the
/// size limit, refused unread; the outer error is a file that cannot be read.
fn read_limited(file: &str) -> Result<Result<Vec<u8>, Located>, String> {
    let cannot = |e: std::io::Error| format!("cannot read {file}: {e}");
    let f = fs::File::open(file).map_err(cannot)?;
    let len = f.metadata().map_err(cannot)?.len();
    if len > export::MAX_IMPORT_BYTES as u64 {
        return Ok(Err(export::too_big(len)));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(export::MAX_IMPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(Ok(bytes))
}

/// The suggested mapping with each `--map HEADER=FIELD` applied.
fn mapping(preview: &CsvPreview, map: &[String]) -> Result<ColumnMapping, String> {
    let mut mapping = preview.suggested.clone();
    for arg in map {
        let Some((header, field)) = arg.rsplit_once('=') else {
            return Err(format!(
                "--map {arg}: write it as HEADER=FIELD, e.g. --map \"Mobile=phone\""
            ));
        };
        let field = match field.trim() {
            "" | "ignore" => None,
            name => Some(Field::parse(name).ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "--map {arg}: `{name}` is not a field; use one of {}, or ignore",
                    names.join(", ")
                )
            })?),
        };
        mapping.set(header, field);
    }
    Ok(mapping)
}

/// How each column is read; with `rows`, the first rows too.
fn describe(file: &str, preview: &CsvPreview, mapping: &ColumnMapping, rows: bool) -> String {
    let mut out = format!("{file}: {}, columns read as:\n", count(preview.rows, "row"));
    for h in &preview.headers {
        let to = mapping.field(h).map_or("ignored", Field::as_str);
        out.push_str(&format!("  {h} → {to}\n"));
    }
    if rows && !preview.first_rows.is_empty() {
        out.push_str("First rows:\n");
        for row in &preview.first_rows {
            out.push_str(&format!("  {}\n", row.join(" | ").replace('\n', " ")));
        }
    }
    out
}

/// One line per contact added: `+ Name (id) — role; email, chat, phone`.
fn added(old: &Plan, new: &Plan, team: Team) -> String {
    let rows: Vec<(&str, &str, &str, &muster_core::plan::Reach)> = match team {
        Team::Core => new.core_team[old.core_team.len()..]
            .iter()
            .map(|m| (m.name.as_str(), m.id.as_str(), m.role.as_str(), &m.reach))
            .collect(),
        Team::Extended => new.extended_team[old.extended_team.len()..]
            .iter()
            .map(|c| (c.name.as_str(), c.id.as_str(), c.role.as_str(), &c.reach))
            .collect(),
    };
    let mut out = String::new();
    for (name, id, role, reach) in rows {
        let ways: Vec<&str> = [&reach.email, &reach.chat, &reach.phone]
            .into_iter()
            .filter_map(|v| v.as_deref())
            .collect();
        let ways = if ways.is_empty() {
            "no way to reach yet".to_owned()
        } else {
            ways.join(", ")
        };
        let role = if role.is_empty() { "no role" } else { role };
        out.push_str(&format!("+ {name} ({id}) — {role}; {ways}\n"));
    }
    out
}

fn stored_plan(data_dir: &Path) -> Result<Plan, String> {
    let mut store = Store::open_in(data_dir, &SystemClock).map_err(|e| e.to_string())?;
    store.plan().map_err(|e| e.to_string())
}

/// Writes `text` to `out` (`-` for standard output) and says so on standard
/// error. A file is written to a temporary file beside it, then renamed over it.
pub(super) fn write_out(out: &str, text: &str, what: &str) -> Result<u8, String> {
    if out == "-" {
        print(text)?;
        return Ok(0);
    }
    let path = Path::new(out);
    if path.file_name().is_none() {
        return Err(format!("--out {out}: name a file to write"));
    }
    export::write_atomically(path, text).map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!("Wrote {what} to {out}");
    Ok(0)
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
