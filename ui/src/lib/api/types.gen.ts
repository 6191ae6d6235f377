// Generated from the Rust types by ts-rs; do not edit.
// Regenerate: MUSTER_BLESS=1 cargo test -p muster types_are_fresh

/**
 * An element id: lowercase ASCII letters, digits and single hyphens, starting
 * with a letter or digit, at most [`MAX_ID_LEN`] bytes.
 */
export type Id = string;

/**
 * A whole emergency response plan.
 */
export type Plan = { meta: PlanMeta, 
/**
 * Kinds of emergency (Hacker Attack, Network Problem, ...). Issues,
 * escalation rules, ownership and communication rules refer to them.
 */
categories: Array<Category>, 
/**
 * Section 1: potential issues and how each is detected.
 */
issues: Array<PotentialIssue>, 
/**
 * Section 2: response procedures, mapped many-to-many to issues.
 */
procedures: Array<Procedure>, 
/**
 * Section 3: per category, when the core and extended teams are told.
 */
escalation: Array<EscalationRule>, 
/**
 * Section 4: the core response team.
 */
coreTeam: Array<CoreMember>, 
/**
 * Section 5: the extended response team (people and organisations).
 */
extendedTeam: Array<ExtendedContact>, 
/**
 * Optional weekly on-call rotations, at most one per category, among its core owners.
 */
onCall: Array<OnCallRotation>, 
/**
 * Section 6: who is told what, how often, where and by whom.
 */
communications: Array<CommunicationRule>, 
/**
 * Section 7: which decisions need whose approval.
 */
decisions: Array<DecisionPolicy>, 
/**
 * How often the plan must be rehearsed in live exercises.
 */
exercisePolicy: ExercisePolicy, };

export type PlanMeta = { name: string, organisation: string, summary: string, 
/**
 * True for the built-in starter plan: its people and numbers are examples.
 */
isExample: boolean, };

export type Category = { id: Id, name: string, description: string, };

export type Severity = "S1" | "S2" | "S3" | "S4";

export type Monitoring = "manual" | "automated";

/**
 * How a potential issue is noticed.
 */
export type Detection = { 
/**
 * The signal, e.g. "spike in failed transactions".
 */
signal: string, monitoring: Monitoring, 
/**
 * Where it is watched: a dashboard, an alert rule, a channel.
 */
source: string, };

/**
 * Section 1: something that can go wrong.
 */
export type PotentialIssue = { id: Id, category: Id, title: string, description: string, detection: Detection, severity: Severity, };

/**
 * Section 2: an ordered list of steps that answers one or more issues.
 */
export type Procedure = { id: Id, title: string, summary: string, 
/**
 * The potential issues this procedure answers.
 */
issues: Array<Id>, steps: Array<Step>, };

/**
 * One step of a procedure. Its id is unique within the procedure.
 */
export type Step = { id: Id, action: string, 
/**
 * How to carry it out.
 */
how: string, 
/**
 * Tools or scripts used.
 */
tools: string, 
/**
 * How to check that it worked.
 */
test: string, expectedMinutes: number | null, 
/**
 * The decision policy whose approval this step needs, if any.
 */
decision: Id | null, };

/**
 * When a team is notified about an emergency in a category.
 */
export type NotifyWhen = "uponDetection" | "uponValidation" | "uponResolution" | "never";

/**
 * Section 3: escalation for one category.
 */
export type EscalationRule = { category: Id, core: NotifyWhen, extended: NotifyWhen, };

/**
 * Ways to reach a person or organisation. Any of them may be missing.
 */
export type Reach = { email: string | null, chat: string | null, phone: string | null, };

/**
 * Section 4: a member of the core response team.
 */
export type CoreMember = { id: Id, name: string, 
/**
 * Job title, e.g. "CEO" or "Protocol engineer".
 */
role: string, 
/**
 * Categories this person owns.
 */
categories: Array<Id>, reach: Reach, 
/**
 * OpenSSH public key used to verify this person's signed decisions.
 */
publicKey: string | null, lastVerified: string | null, };

/**
 * Section 5: a person or organisation in the extended response team.
 */
export type ExtendedContact = { id: Id, 
/**
 * A person's name or an organisation's.
 */
name: string, 
/**
 * e.g. "Security consultant", "Community liaison", "Law enforcement".
 */
role: string, reach: Reach, lastVerified: string | null, };

/**
 * A day of the week (its own type so it can cross IPC as a plain string).
 */
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

/**
 * A weekly on-call rotation for one category among its core owners: the
 * first member takes over at the first hand-over on or after `starts_on`,
 * the next one a week later, and so on round the list. Overrides win.
 */
export type OnCallRotation = { category: Id, 
/**
 * Core members, in hand-over order.
 */
members: Array<Id>, handoverDay: Weekday, 
/**
 * Local time of the hand-over in `time_zone`.
 */
handoverTime: string, 
/**
 * IANA time zone name, e.g. "Europe/Berlin".
 */
timeZone: string, startsOn: string, overrides: Array<OnCallOverride>, };

/**
 * A one-off change to a rotation: `member` is on call from `from` until `until`.
 */
export type OnCallOverride = { member: Id, from: string, until: string, note: string, };

/**
 * Who holds a rotation's category now, and when that answer next changes.
 */
export type OnCallNow = { category: Id, 
/**
 * `None`: nobody is on call (a gap the plan check reports).
 */
member: Id | null, 
/**
 * The next hand-over or override boundary, if any.
 */
until: string | null, };

export type Audience = "responders" | "internal" | "users" | "internalPostMortem" | "publicPostMortem";

/**
 * When a communication goes out.
 */
export type Timing = { "kind": "untilCompletion" } | { "kind": "everyHours", hours: number, } | { "kind": "afterResolutionDays", days: number, };

/**
 * Section 6: one communication duty.
 */
export type CommunicationRule = { id: Id, audience: Audience, timing: Timing, 
/**
 * Where it goes: a private chat channel, the status page, social accounts.
 */
channel: string, 
/**
 * The contact who is responsible for it.
 */
responsible: Id | null, 
/**
 * Categories it applies to; empty means every category.
 */
categories: Array<Id>, 
/**
 * Optional rules are a judgement call (e.g. no public post-mortem for a near-miss).
 */
optional: boolean, notes: string, };

/**
 * Section 7: who must approve a decision.
 */
export type DecisionPolicy = { id: Id, 
/**
 * e.g. "Pause contract".
 */
title: string, description: string, 
/**
 * Every one of these must approve.
 */
required: Array<Id>, 
/**
 * A pool of further approvers ...
 */
additional: Array<Id>, 
/**
 * ... of whom this many must also approve.
 */
additionalNeeded: number, };

/**
 * How often the plan is rehearsed.
 */
export type ExercisePolicy = { 
/**
 * Cadence while the plan is new, in weeks.
 */
whileNewEveryWeeks: number, 
/**
 * How long a plan counts as new, in months.
 */
newForMonths: number, 
/**
 * Cadence once established, in months (at most six in common practice).
 */
establishedEveryMonths: number, 
/**
 * Length of one session, in hours.
 */
sessionHours: number, };

export type Section = "meta" | "categories" | "issues" | "procedures" | "escalation" | "coreTeam" | "extendedTeam" | "onCall" | "communications" | "decisions" | "exercisePolicy";

/**
 * Where in the plan a problem is: a section, an element and a field.
 */
export type Location = { section: string, 
/**
 * The element's id (for steps, `procedure/step`); empty for whole-section fields.
 */
element: string, field: string, };

export type Problem = { location: Location, message: string, };

export type PlanEdit = { "kind": "saveMeta", meta: PlanMeta, } | { "kind": "saveExercisePolicy", policy: ExercisePolicy, } | { "kind": "saveCategory", category: Category, position: number | null, } | { "kind": "saveIssue", issue: PotentialIssue, position: number | null, } | { "kind": "saveProcedure", procedure: Procedure, position: number | null, } | { "kind": "saveEscalation", rule: EscalationRule, } | { "kind": "saveCoreMember", member: CoreMember, position: number | null, } | { "kind": "saveExtendedContact", contact: ExtendedContact, position: number | null, } | { "kind": "saveRotation", rotation: OnCallRotation, } | { "kind": "saveCommunication", rule: CommunicationRule, position: number | null, } | { "kind": "saveDecision", decision: DecisionPolicy, position: number | null, } | { "kind": "delete", section: Section, key: string, } | { "kind": "move", section: Section, key: string, to: number, } | { "kind": "markVerified", contact: Id, on: string, };

/**
 * One gap, pointing at the element that has it.
 */
export type Gap = { kind: GapKind, level: GapLevel, 
/**
 * The section where the element lives (or, for a missing escalation rule, where
 * it belongs), for the link.
 */
section: Section, 
/**
 * The element's key: its id; `procedure-id/step-id` for a step; the category id
 * for an escalation rule or on-call rotation; empty for the plan details and the
 * exercise policy.
 */
element: string, 
/**
 * What is wrong and what to do, naming the element by title and id; no
 * trailing period.
 */
message: string, };

/**
 * What kind of gap a [`Gap`] is. The order of the variants is the order in which
 * gaps on one element are listed.
 */
export type GapKind = "issueWithoutProcedure" | "issueWithoutDetection" | "categoryWithoutEscalation" | "categoryWithoutOwner" | "rotationGap" | "approverOnNoTeam" | "contactUnreachable" | "stepWithMissingDecision" | "communicationWithoutResponsible" | "contactNotVerified" | "invalid";

/**
 * How much a gap matters.
 */
export type GapLevel = "problem" | "warning";

/**
 * One search result.
 */
export type SearchHit = { section: Section, 
/**
 * The element's key (its id; for a step's text, the procedure's id).
 */
element: string, 
/**
 * The element's title or name as lists show it.
 */
title: string, 
/**
 * A short excerpt of the element's body around the match, in plain and
 * highlighted parts (the UI renders text, never HTML). When only the title
 * matched, the start of the body, or nothing if it has none.
 */
snippet: Array<SnippetPart>, };

/**
 * A run of snippet text, highlighted when it is part of the match.
 */
export type SnippetPart = { text: string, hit: boolean, };

export type RevisionInfo = { id: number, 
/**
 * RFC 3339, UTC.
 */
createdAt: string, author: string, summary: string, };

/**
 * One element that differs between two versions of the plan.
 */
export type DiffEntry = { section: Section, key: string, title: string, kind: DiffKind, fields: Array<FieldDiff>, };

export type DiffKind = "added" | "removed" | "changed" | "moved";

/**
 * One field of an element, before and after, as text.
 */
export type FieldDiff = { 
/**
 * Dotted path, e.g. `detection.signal` or `steps.pause-contract.action`.
 */
field: string, before: string, after: string, };

/**
 * The local profile, named on every revision.
 */
export type Profile = { name: string, };

/**
 * What a folder would change, or why it cannot be taken in.
 */
export type FolderPreview = { dir: string, 
/**
 * Field by field, from the stored plan to the folder's; empty when equal.
 */
changes: Array<DiffEntry>, 
/**
 * Located problems (`file:line:column: message`); any error blocks an import.
 */
errors: Array<string>, warnings: Array<string>, };

/**
 * The linked folder, if any.
 */
export type LinkedFolder = { dir: string | null, 
/**
 * Whether the app writes the plan to the folder after every change.
 */
writeBack: boolean, };

/**
 * What a contacts file holds, or why it cannot be read.
 */
export type ContactsPreview = { path: string, 
/**
 * For a CSV file: its columns, first rows and the suggested mapping.
 */
csv: CsvPreview | null, 
/**
 * For a vCard file: the contacts it holds.
 */
cards: Array<ImportedContact>, 
/**
 * Located problems (`file:line:column: message`); any one blocks the import.
 */
errors: Array<string>, };

/**
 * What the app shows before an import: the columns, the first rows and a
 * suggested mapping to correct.
 */
export type CsvPreview = { headers: Array<string>, 
/**
 * Up to [`PREVIEW_ROWS`] data rows, as the file has them.
 */
firstRows: Array<Array<string>>, 
/**
 * How many data rows (contacts) the file has.
 */
rows: number, suggested: ColumnMapping, };

/**
 * Which column fills which field; columns not listed are ignored.
 */
export type ColumnMapping = { columns: Array<MappedColumn>, };

/**
 * One column mapped to a field.
 */
export type MappedColumn = { 
/**
 * The header as the file spells it (matched without case and surrounding space).
 */
header: string, field: Field, };

/**
 * A contact field a CSV column can fill.
 */
export type Field = "name" | "givenName" | "familyName" | "role" | "organisation" | "email" | "chat" | "phone";

/**
 * A contact read from a file, before it has an id or a team.
 */
export type ImportedContact = { name: string, 
/**
 * Job title or role; empty when the file has none.
 */
role: string, 
/**
 * The organisation, if the file names one; it is added to the role on import.
 */
organisation: string, reach: Reach, 
/**
 * The line of the file the contact starts on (its CSV record, its `BEGIN:VCARD`).
 */
line: number, };

/**
 * Which team imported contacts join.
 */
export type Team = "core" | "extended";

export type ExportKind = "binder" | "calendar" | "contactsCsv" | "contactsVcard";

/**
 * The closed set of error codes the UI understands.
 */
export type ErrorCode = "notFound" | "invalidInput" | "refused" | "databaseTooNew" | "databaseDamaged" | "storage" | "internal";

export type IpcError = { code: ErrorCode, message: string, 
/**
 * For `invalidInput`: each problem with its location, so the editor can
 * show it beside the field.
 */
problems: Array<Problem>, };

/**
 * What the About line shows.
 */
export type AppInfo = { version: string, dataDir: string, schemaVersion: number, };
