//! `muster plan binder|calendar` and `muster contacts export|import`: the
//! exports people use (a Markdown binder, an iCalendar file, contacts as CSV
//! or vCard) and the contacts import. Each command calls one operation of
//! `muster_core::ops` (the same the window calls) and writes or prints the
//! result.
//!
//! Output files are written atomically (a temporary file in the same folder,
//! then a rename), so a reader never sees half a file; `--out -` writes to
//! standard output. An import reads and checks the whole file first: any
//! problem is printed as `FILE:line:column: message`, the command exits 1,
//! and the stored plan is not touched. Otherwise the contacts are added as
//! one revision.

use std::path::Path;

use clap::{Subcommand, ValueEnum};
use muster_core::clock::{Clock, SystemClock};
use muster_core::export::contacts_csv::{self, ColumnMapping, CsvPreview, Field};
use muster_core::export::{ical, Team};
use muster_core::ops::contacts::{self as contacts_ops, Format as FileFormat};
use muster_core::ops::count;
use muster_core::ops::exports::{self as export_ops, ExportKind};

use super::{open, print, publish, rejected};

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
    let text = render(data_dir, ExportKind::Binder, None)?;
    write_out(out, &text, "the binder")
}

/// `muster plan calendar --out FILE [--from DAY]`.
pub fn calendar(data_dir: &Path, out: &str, from: Option<&str>) -> Result<u8, String> {
    let from = match from {
        Some(text) => Some(ical::parse_day(text).map_err(|e| format!("--from: {e}"))?),
        None => None,
    };
    let text = render(data_dir, ExportKind::Calendar, from)?;
    write_out(out, &text, "the calendar")
}

fn render(
    data_dir: &Path,
    kind: ExportKind,
    from: Option<chrono::NaiveDate>,
) -> Result<String, String> {
    let mut store = open(data_dir)?;
    export_ops::render(&mut store, kind, SystemClock.now(), from).map_err(|e| e.to_string())
}

pub fn contacts(data_dir: &Path, command: ContactsCommand) -> Result<u8, String> {
    match command {
        ContactsCommand::Export { format, out } => {
            let kind = match format {
                Format::Csv => ExportKind::ContactsCsv,
                Format::Vcard => ExportKind::ContactsVcard,
            };
            let text = render(data_dir, kind, None)?;
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
    let path = Path::new(file);
    let bytes = contacts_ops::read_file(path)
        .map_err(|e| e.to_string())?
        .map_err(|too_big| rejected(contacts_ops::rejected(path, &[too_big])))?;
    let contacts = match format {
        Format::Csv => {
            let preview = contacts_csv::preview(&bytes)
                .map_err(|p| rejected(contacts_ops::rejected(path, &p)))?;
            let mapping = mapping(&preview, map)?;
            print(&describe(file, &preview, &mapping, dry_run))?;
            contacts_ops::parse(path, &bytes, FileFormat::Csv, Some(&mapping))
        }
        Format::Vcard => contacts_ops::parse(path, &bytes, FileFormat::Vcard, None),
    }
    .map_err(rejected)?;

    let mut store = open(data_dir)?;
    let imported = contacts_ops::import(&mut store, path, &contacts, team, dry_run, &SystemClock)
        .map_err(rejected)?;
    let n = count(imported.count, "contact");
    if dry_run {
        print(&format!(
            "Would add {n} to {}:\n{}",
            team.label(),
            imported.added
        ))?;
        print("Dry run: nothing was changed\n")?;
        return Ok(0);
    }
    publish(data_dir, &store);
    let done = match imported.revision {
        Some(r) => format!(
            "Added {n} to {} as revision {}:\n{}",
            team.label(),
            r.id,
            imported.added
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
    muster_core::export::write_atomically(path, text)
        .map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!("Wrote {what} to {out}");
    Ok(0)
}
