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

/**
 * What the frame and the Overview show of a plan: its details, its
 * exercise policy, each section's size and its people.
 */
export type PlanOutline = { meta: PlanMeta, exercisePolicy: ExercisePolicy, counts: SectionCounts, 
/**
 * Everyone on the core team, then the extended team, in the plan's order.
 */
people: Array<Person>, };

/**
 * How many entries each of the seven sections holds.
 */
export type SectionCounts = { issues: number, procedures: number, escalation: number, coreTeam: number, extendedTeam: number, communications: number, decisions: number, };

/**
 * A contact of either team, by id and name.
 */
export type Person = { id: Id, name: string, };

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
source: string, 
/**
 * Alerts from the team's monitors that mean this issue. Left out of the
 * plan's JSON when empty, so a plan without rules serialises (and hashes,
 * for the decision records that name it) as it always did.
 */
alerts?: Array<AlertRule>, };

/**
 * An alert from a monitor (Alertmanager, Grafana, a bot) that means a
 * potential issue: every label named here must be on the alert with exactly
 * this value. Where several rules match, the one naming the most labels
 * wins, then the first in the plan.
 */
export type AlertRule = { labels: { [key in string]?: string }, 
/**
 * The severity of an incident this rule opens; the issue's own when unset.
 */
severity: Severity | null, };

/**
 * A command that performs a step: a program with its arguments, run
 * without a shell, with a time limit. A command that came from anywhere but
 * this laptop's own editor (an import, a teammate) runs only once its
 * person has reviewed and trusted it here (see `Store::trust_command`).
 */
export type StepCommand = { 
/**
 * The program, then its arguments, each as one string.
 */
argv: Array<string>, 
/**
 * The folder it runs in; empty: the person's home folder.
 */
dir: string, 
/**
 * Seconds it may run before it is stopped, its children too.
 */
timeoutSeconds: number, 
/**
 * Environment variables it needs, by name, passed from Muster's own
 * environment; no other variable is (but PATH, HOME and LANG).
 */
env: Array<string>, };

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
decision: Id | null, 
/**
 * A command that performs the step, run from the console after the
 * person sees it and agrees. Left out of the plan's JSON when there is
 * none, so a plan without commands serialises as it always did.
 */
command?: StepCommand, 
/**
 * The team means to automate this step: the plan check suggests a
 * command while it has none. Left out of the JSON when false.
 */
automatable?: boolean, };

/**
 * When a team is notified about an emergency in a category.
 */
export type NotifyWhen = "uponDetection" | "uponValidation" | "uponResolution" | "never";

/**
 * Section 3: escalation for one category.
 */
export type EscalationRule = { category: Id, core: NotifyWhen, extended: NotifyWhen, 
/**
 * Paging: when the person on call has not acknowledged an escalation
 * within this many minutes, they are called again; as long as nobody
 * acknowledges, each further period reaches the next people — the
 * rotation's backup, then the category's other owners. None: no paging
 * (the escalation reminders still come every quarter hour).
 */
pageAfterMinutes: number | null, };

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
publicKey: string | null, 
/**
 * Keys this person used before, each refused from the moment it was retired.
 * (Defaulted: revisions saved before keys could be retired lack it.)
 */
retiredKeys: Array<RetiredKey>, lastVerified: string | null, };

/**
 * A public key a core member no longer signs with: a signature made with it
 * is refused from `retired_from` on (earlier signatures still count).
 */
export type RetiredKey = { 
/**
 * OpenSSH public key line, `ssh-ed25519 AAAA… [comment]`.
 */
key: string, retiredFrom: string, };

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
export type Timing = { "kind": "untilCompletion" } | { "kind": "everyHours", hours: number, } | { "kind": "everyMinutes", minutes: number, } | { "kind": "afterResolutionDays", days: number, };

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
additionalNeeded: number, 
/**
 * Whether approvals recorded as attested (unsigned: a phone call the
 * scribe witnessed) count toward this policy's quorum. (Defaulted:
 * revisions saved before attested approvals existed lack it.)
 */
attestedAllowed: boolean, };

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
export type GapKind = "issueWithoutProcedure" | "issueWithoutDetection" | "categoryWithoutEscalation" | "categoryWithoutOwner" | "rotationGap" | "approverOnNoTeam" | "approverWithoutKey" | "contactUnreachable" | "stepWithMissingDecision" | "stepNotAutomated" | "communicationWithoutResponsible" | "contactNotVerified" | "alertRuleMissing" | "updateTargetMissing" | "invalid" | "improvementOpen" | "conflict";

/**
 * How much a gap matters.
 */
export type GapLevel = "problem" | "warning" | "suggestion";

/**
 * Two or more values written to one field by laptops that had not seen
 * each other's write: the plan shows the first of `values` until someone
 * writes the field again.
 */
export type PlanConflict = { section: Section, key: string, 
/**
 * The field (a JSON pointer such as `/detection/signal`); empty when
 * the element was removed on one laptop and changed, or still used, on
 * another.
 */
field: string, 
/**
 * The element's title or name, for people.
 */
title: string, 
/**
 * Each value with who wrote it, the one shown first.
 */
values: Array<ConflictValue>, };

export type ConflictValue = { 
/**
 * The value written; for an element's being there, `true` (kept or
 * changed) or `false` (removed).
 */
value: unknown, 
/**
 * The value as a person reads it.
 */
shown: string, author: Id, at: string, event: string, };

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

/**
 * One backup file.
 */
export type BackupInfo = { path: string, kind: BackupKind, 
/**
 * When the file was written (its modification time).
 */
madeAt: string, bytes: number, };

/**
 * Why a backup was made, from its file name.
 */
export type BackupKind = "daily" | "beforeMigration" | "manual" | "replaced";

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
 * An incident's id, e.g. `INC-7`: `INC-` and a number counted per database.
 */
export type IncidentId = string;

/**
 * Where an incident is in its life. Ordered: a transition goes forward,
 * except a reopen, which goes back to `Validated`.
 */
export type Phase = "detected" | "validated" | "mitigated" | "resolved" | "closed";

/**
 * A role in the response, assigned from the teams.
 */
export type Role = "lead" | "scribe" | "communications";

/**
 * Who holds a role. The name is copied so the record stays readable after
 * the plan changes.
 */
export type RoleAssignment = { role: Role, contact: Id, name: string, };

/**
 * How far a checklist step has got.
 */
export type StepStatus = "open" | "done" | "skipped" | "blocked";

/**
 * A procedure as it stood when the incident was declared: the checklist
 * keeps working if the plan is edited during the response.
 */
export type ProcedureSnapshot = { id: Id, title: string, steps: Array<StepSnapshot>, };

export type StepSnapshot = { id: Id, action: string, how: string, tools: string, test: string, expectedMinutes: number | null, 
/**
 * The decision policy whose approval this step needs.
 */
decision: Id | null, };

/**
 * Someone who must be told, as the plan said at the moment of a transition.
 */
export type Recipient = { contact: Id, name: string, team: Team, 
/**
 * Job title or organisation role.
 */
role: string, reach: Reach, 
/**
 * Chosen because the category's on-call rotation had them on call.
 */
onCall: boolean, };

/**
 * What happened, one entry of the append-only timeline. Stored as the JSON
 * text that was hashed; never re-serialised for verification.
 */
export type EventBody = { "type": "declared", title: string, 
/**
 * The potential issue, or none for an unplanned incident.
 */
issue: Id | null, category: Id, severity: Severity, 
/**
 * An exercise-mode incident: never mixed with real ones.
 */
exercise: boolean, description: string, procedures: Array<ProcedureSnapshot>, roles: Array<RoleAssignment>, 
/**
 * Who must be notified upon detection.
 */
escalate: Array<Recipient>, } | { "type": "phaseChanged", from: Phase, to: Phase, note: string, 
/**
 * Who must be notified because of this transition (every phase
 * entered, including any skipped over).
 */
escalate: Array<Recipient>, } | { "type": "severityChanged", from: Severity, to: Severity, note: string, } | { "type": "roleAssigned", assignment: RoleAssignment, } | { "type": "stepMarked", procedure: Id, step: Id, status: StepStatus, note: string, } | { "type": "contactNotified", contact: Id, name: string, 
/**
 * How: "email", "phone", "chat" or free text.
 */
channel: string, } | { "type": "updatePosted", rule: Id | null, audience: Audience, channel: string, text: string, } | { "type": "communicationWaived", rule: Id, reason: string, } | { "type": "reminderSent", key: string, title: string, body: string, delivered: boolean, detail: string, } | { "type": "postMortemPublished", audience: Audience, rule: Id | null, text: string, } | { "type": "note", text: string, } | { "type": "decisionRequested", decision: DecisionId, policy: Id, statement: string, expires: string, recordSha256: string, } | { "type": "decisionSigned", decision: DecisionId, signer: Id, 
/**
 * The signer's name as the plan said.
 */
name: string, verdict: Verdict, 
/**
 * Empty for an approval.
 */
reason: string, 
/**
 * The signing key's `SHA256:…` fingerprint.
 */
fingerprint: string, } | { "type": "decisionAttested", decision: DecisionId, approver: Id, name: string, 
/**
 * How it was given: "phone", "video call", ...
 */
channel: string, approvedAt: string, witness: Id, witnessName: string, } | { "type": "decisionResolved", decision: DecisionId, state: QuorumState, summary: string, } | { "type": "alertReceived", 
/**
 * "Alertmanager", "JSON", "command line".
 */
source: string, status: AlertStatus, summary: string, description: string, labels: { [key in string]?: string }, links: Array<string>, fingerprint: string, } | { "type": "commandRan", procedure: Id, step: Id, 
/**
 * The command as the person saw it before agreeing.
 */
command: string, 
/**
 * The SHA-256 of the command (what its trust is bound to).
 */
sha256: string, 
/**
 * Not run: shown as it would have run (an exercise's default).
 */
dryRun: boolean, 
/**
 * The exit status; none when it was stopped, failed to start, or
 * was a dry run.
 */
exitCode: number | null, 
/**
 * Stopped at its time limit, its children too.
 */
timedOut: boolean, 
/**
 * What it printed (standard output and error), at most
 * [`MAX_COMMAND_OUTPUT`] bytes: the end is kept when it is longer.
 */
output: string, millis: bigint, } | { "type": "updateSent", rule: Id, target: TargetKind, 
/**
 * The host, and the chat or room.
 */
destination: string, ok: boolean, 
/**
 * The target's answer ("HTTP 200") or why it failed.
 */
detail: string, };

export type AlertStatus = "firing" | "resolved";

/**
 * One stored event with its place in the hash chain.
 */
export type Event = { incident: IncidentId, 
/**
 * 1-based position in the incident's timeline.
 */
seq: number, at: string, author: string, body: EventBody, 
/**
 * Hex SHA-256 of the previous event (64 zeros for the first).
 */
prevHash: string, 
/**
 * Hex SHA-256 over this event's stored fields and `prev_hash`.
 */
hash: string, };

/**
 * A transition as it happened.
 */
export type PhaseTime = { phase: Phase, at: string, by: string, };

/**
 * The latest mark of one checklist step.
 */
export type StepRecord = { procedure: Id, step: Id, status: StepStatus, note: string, by: string, at: string, };

/**
 * One person to tell because of one transition, and whether they were told.
 */
export type Escalation = { 
/**
 * The phase whose entry required it.
 */
phase: Phase, 
/**
 * When it became required.
 */
at: string, recipient: Recipient, notified: Notified | null, };

export type Notified = { at: string, by: string, channel: string, };

/**
 * A person's "I have it" to being called about an incident.
 */
export type Acknowledgement = { contact: Id, at: string, };

export type UpdateRecord = { rule: Id | null, audience: Audience, channel: string, text: string, at: string, by: string, };

export type Waiver = { rule: Id, reason: string, at: string, by: string, };

export type Publication = { audience: Audience, rule: Id | null, at: string, by: string, };

/**
 * An incident's state, folded from its events in order.
 */
export type Incident = { id: IncidentId, title: string, issue: Id | null, category: Id, severity: Severity, exercise: boolean, description: string, phase: Phase, declaredAt: string, declaredBy: string, 
/**
 * Every transition in order, the declaration first.
 */
phases: Array<PhaseTime>, 
/**
 * When the incident last (re)entered an open phase: the start of the
 * update cadences when no update has been posted since.
 */
openedAt: string, 
/**
 * The latest resolution, unless reopened since.
 */
resolvedAt: string | null, roles: Array<RoleAssignment>, procedures: Array<ProcedureSnapshot>, 
/**
 * The latest mark of each step that has one.
 */
steps: Array<StepRecord>, escalations: Array<Escalation>, 
/**
 * Who acknowledged being called, and when, in order — a person paged
 * (see `paging`) as well as one the escalation named.
 */
acknowledgements: Array<Acknowledgement>, updates: Array<UpdateRecord>, waivers: Array<Waiver>, publications: Array<Publication>, 
/**
 * Keys of the reminders already raised (see `deadline`).
 */
reminders: Array<string>, eventCount: number, lastEventAt: string, };

/**
 * A row of the incident list.
 */
export type IncidentSummary = { id: IncidentId, title: string, category: Id, severity: Severity, phase: Phase, exercise: boolean, declaredAt: string, lastEventAt: string, };

/**
 * One incident's response times, in whole minutes from its declaration.
 */
export type ResponseFigures = { id: IncidentId, title: string, severity: Severity, declaredAt: string, 
/**
 * Until the last person the detection called for was marked notified.
 */
toNotify: number | null, 
/**
 * Until it first entered Mitigated (or a later phase, when Mitigated was skipped).
 */
toMitigate: number | null, 
/**
 * Until it was first resolved.
 */
toResolve: number | null, };

/**
 * What the responder asks for when declaring.
 */
export type Declaration = { 
/**
 * The potential issue; its category, procedures and default title follow.
 */
issue: Id | null, 
/**
 * Required for an unplanned incident (no issue); ignored otherwise.
 */
category: Id | null, 
/**
 * Defaults to the issue's title; required for an unplanned incident.
 */
title: string | null, severity: Severity, exercise: boolean, description: string, 
/**
 * Contacts (core or extended) for the roles; any may be left out.
 */
lead: Id | null, scribe: Id | null, communications: Id | null, };

/**
 * Everything a responder can do to an open (or closed) incident; each
 * becomes one event, or a refusal that changes nothing.
 */
export type IncidentAction = { "kind": "transition", to: Phase, note: string, } | { "kind": "reopen", reason: string, } | { "kind": "setSeverity", severity: Severity, note: string, } | { "kind": "assignRole", role: Role, contact: Id, } | { "kind": "markStep", procedure: Id, step: Id, status: StepStatus, note: string, } | { "kind": "markNotified", contact: Id, channel: string, } | { "kind": "postUpdate", rule: Id | null, audience: Audience, channel: string, text: string, } | { "kind": "waiveCommunication", rule: Id, reason: string, } | { "kind": "publishPostMortem", audience: Audience, text: string, } | { "kind": "addNote", text: string, };

/**
 * The answer of `muster incident verify`.
 */
export type Verification = { incident: IncidentId, events: number, 
/**
 * The first event that does not check out, or none when intact.
 */
firstBad: BadEvent | null, 
/**
 * Events timed earlier than the one before them in the chain: the
 * recording laptop's clock was stepped back (or a teammate's runs
 * behind). The chain's order stands; the times are shown as recorded.
 */
clockBack: Array<ClockBack>, 
/**
 * The state kept beside the chain's head (what actions are checked
 * against) is not the fold of the timeline: the row was altered
 * outside Muster.
 */
stateDiffers: boolean, };

export type BadEvent = { seq: number, 
/**
 * e.g. "its content does not match its hash (edited?)".
 */
reason: string, };

/**
 * An event whose recorded time is earlier than its predecessor's.
 */
export type ClockBack = { seq: number, at: string, 
/**
 * The previous event's time.
 */
after: string, };

/**
 * One event described for people.
 */
export type TimelineEntry = { seq: number, at: string, author: string, 
/**
 * The event type, as in the stored JSON (`declared`, `phaseChanged`, ...).
 */
kind: string, 
/**
 * One readable line, e.g. "Validated → Mitigated: pause confirmed".
 */
text: string, 
/**
 * Longer text the event carries (an update's or a note's text), if any.
 */
detail: string, hash: string, 
/**
 * Timed earlier than the entry before it: the recording clock was
 * stepped back. The timeline keeps the chain's order and says so.
 */
clockBack: boolean, };

/**
 * One incident as the console shows it at one moment.
 */
export type IncidentView = { incident: Incident, 
/**
 * Each applicable communication rule with its deadline.
 */
cadence: Array<CadenceLine>, 
/**
 * This incident's items due now (escalations not done, updates overdue).
 */
due: Array<DueItem>, 
/**
 * The newest events (at most [`TIMELINE_PAGE`]), oldest first, in
 * the chain's order, described for people. The incident's
 * `event_count` says how many there are in all.
 */
timeline: Array<TimelineEntry>, 
/**
 * Whether an escalation calls this laptop's person and they have not
 * acknowledged it yet (the console then offers "Acknowledge").
 */
called: boolean, };

/**
 * What a due item is about.
 */
export type DueKind = { "kind": "escalation", phase: Phase, contacts: Array<Id>, } | { "kind": "update", rule: Id, audience: Audience, } | { "kind": "postMortem", rule: Id, audience: Audience, };

/**
 * One thing due at one moment. `key` names this occurrence: the scheduler
 * raises each key at most once, ever.
 */
export type DueItem = { key: string, incident: IncidentId, incidentTitle: string, exercise: boolean, kind: DueKind, 
/**
 * This occurrence's due time.
 */
dueAt: string, 
/**
 * The first missed occurrence of the same series: overdue since then.
 */
overdueSince: string, 
/**
 * One line for a notification's summary, e.g. "INC-3 Oracle failure: internal update due".
 * Starts with "EXERCISE — " for exercise incidents.
 */
title: string, 
/**
 * Who or which audience, the channel, the deadline in local time.
 */
body: string, 
/**
 * Escalations are critical; the rest normal.
 */
critical: boolean, };

/**
 * What is due now and what comes next, across all incidents.
 */
export type Agenda = { 
/**
 * Due at or before `now`: only the latest occurrence of each series.
 */
due: Array<DueItem>, 
/**
 * The next occurrence of each series after `now`, soonest first.
 */
upcoming: Array<DueItem>, 
/**
 * The soonest `due_at` in `upcoming`: when the scheduler must wake.
 */
nextAt: string | null, };

/**
 * The state of one communication rule for one incident, for the console.
 */
export type CadenceLine = { rule: Id, audience: Audience, 
/**
 * e.g. "every hour", "at resolution + 2 days".
 */
timing: string, channel: string, responsible: string | null, optional: boolean, state: CadenceState, lastUpdateAt: string | null, 
/**
 * When the next update (or the post-mortem) is due; none when done,
 * waived or not yet running.
 */
dueAt: string | null, };

export type CadenceState = "onTrack" | "overdue" | "notYet" | "done" | "waived";

/**
 * A stored post-mortem: the team's edited text, or a fresh draft.
 */
export type PostMortem = { incident: IncidentId, audience: Audience, text: string, 
/**
 * False while the text is the generated draft, never edited.
 */
edited: boolean, updatedAt: string | null, publishedAt: string | null, 
/**
 * From the plan's post-mortem rule for this audience.
 */
dueAt: string | null, };

/**
 * A decision's id, e.g. `DEC-1f3a9c0b7d2e4a61`: `DEC-` and the first 16 hex
 * digits of the request's nonce.
 */
export type DecisionId = string;

/**
 * What a signer said.
 */
export type Verdict = "approve" | "reject";

/**
 * What an approver answers when signing: an approval, or a rejection with
 * its reason (one line).
 */
export type Answer = { "verdict": "approve" } | { "verdict": "reject", reason: string, };

/**
 * A decision request as stored: the fields of its record, and the record
 * itself (the exact bytes every approval signs).
 */
export type DecisionRequest = { id: DecisionId, 
/**
 * The incident on the computer where it was requested.
 */
incident: IncidentId, policy: Id, 
/**
 * The policy's title in this plan (its id when this plan lacks it).
 */
policyTitle: string, statement: string, 
/**
 * `muster-decision-v1`, or `muster-exercise-decision-v1` for an exercise.
 */
namespace: string, exercise: boolean, created: string, expires: string, 
/**
 * Hex SHA-256 of the record bytes.
 */
recordSha256: string, 
/**
 * The record, exactly as signed (the request file's content).
 */
record: string, 
/**
 * Requested here (signatures are collected here), or imported from
 * another computer to be signed.
 */
local: boolean, 
/**
 * Who requested it here, or who imported it.
 */
requestedBy: string, };

/**
 * A signature file, as `decision sign` writes it.
 */
export type SignatureFile = { decision: DecisionId, signer: Id, verdict: Verdict, reason: string, 
/**
 * `SHA256:…` as OpenSSH prints it.
 */
fingerprint: string, 
/**
 * The file's text.
 */
text: string, };

/**
 * One imported signature of a decision.
 */
export type SignatureInfo = { 
/**
 * 1-based, in the order they were taken in (the bundle's `NN-`).
 */
number: number, contact: Id, name: string, verdict: Verdict, reason: string, fingerprint: string, 
/**
 * The signing key's OpenSSH line, `ssh-ed25519 AAAA…`.
 */
publicKey: string, importedAt: string, importedBy: string, };

/**
 * An approval the scribe recorded without a signature (a phone call, a
 * message): unsigned, shown and exported as such.
 */
export type Attestation = { number: number, approver: Id, approverName: string, 
/**
 * How the approval was given: "phone", "video call", ...
 */
channel: string, approvedAt: string, witness: Id, witnessName: string, recordedBy: string, recordedAt: string, 
/**
 * Whether it counts toward the quorum (the policy allows attested approvals).
 */
counts: boolean, };

/**
 * Where a decision stands.
 */
export type QuorumState = "pending" | "approved" | "rejected" | "expired" | "closed";

/**
 * What one approver of the policy has done so far.
 */
export type Standing = "waiting" | "signed" | "attested" | "attestedNotCounted" | "rejected";

/**
 * One approver of the policy and where they stand.
 */
export type ApproverStanding = { contact: Id, name: string, 
/**
 * Required (every one must approve), or in the additional pool.
 */
required: boolean, standing: Standing, };

/**
 * The quorum of one decision: its state, every approver's standing, and who
 * is still needed.
 */
export type Quorum = { state: QuorumState, 
/**
 * The required approvers first, then the additional pool, in the policy's order.
 */
approvers: Array<ApproverStanding>, additionalNeeded: number, 
/**
 * Distinct people of the additional pool whose approval counts.
 */
additionalApproved: number, 
/**
 * Required approvers whose approval is still missing.
 */
waitingFor: Array<Id>, 
/**
 * How many more of the additional pool must approve.
 */
additionalMissing: number, 
/**
 * One line for people, e.g. "waiting for Ben Sample".
 */
summary: string, };

/**
 * Everything known about one decision now.
 */
export type DecisionStatus = { request: DecisionRequest, quorum: Quorum, signatures: Array<SignatureInfo>, attestations: Array<Attestation>, };

/**
 * What `verify_bundle` found: every signature checked, and the quorum they
 * (and, where the policy allows it, the unsigned attested approvals) reach.
 */
export type BundleVerdict = { decision: DecisionId, statement: string, policy: Id, namespace: string, quorum: Quorum, 
/**
 * True when the quorum is approved.
 */
approved: boolean, 
/**
 * The signature files that verified, e.g. `01-ada-example.sig`.
 */
verified: Array<string>, 
/**
 * Unsigned attested approvals the quorum relies on (empty when the
 * signatures alone suffice or the policy does not count them).
 */
unsignedCounted: Array<Id>, };

/**
 * An exercise's id, e.g. `EX-3`, numbered in creation order.
 */
export type ExerciseId = string;

/**
 * An improvement item's id, e.g. `IMP-7`, numbered across all exercises.
 */
export type FindingId = string;

/**
 * What the moderator plans before the day; editable while the exercise is
 * planned, fixed once it starts.
 */
export type ExerciseSetup = { title: string, 
/**
 * The day it is held.
 */
date: string, 
/**
 * The moderator, who also records: a contact on either team.
 */
moderator: Id, 
/**
 * Contacts on either team; the moderator need not be listed.
 */
participants: Array<Id>, 
/**
 * What is exercised and what is not, in a sentence or two.
 */
scope: string, objectives: Array<Objective>, 
/**
 * Run in this order; at least one.
 */
scenarios: Array<Scenario>, };

/**
 * One objective the exercise is rated on, e.g. "Escalate a stolen-funds alert".
 */
export type Objective = { 
/**
 * Unique within the exercise (`obj-1`, …): what ratings and targets point at.
 */
key: string, text: string, };

/**
 * One scenario with its moderator-only script.
 */
export type Scenario = { 
/**
 * Unique within the exercise (`sc-1`, …).
 */
key: string, title: string, 
/**
 * The potential issue it rehearses: the exercise incident is declared
 * from it (procedures, escalation, cadence). None for a scenario written
 * fresh, which then needs `category`.
 */
issue: Id | null, 
/**
 * The category of a scenario written fresh; ignored when `issue` is set.
 */
category: Id | null, 
/**
 * The situation the moderator describes when the scenario opens.
 */
situation: string, 
/**
 * Discoveries the moderator can declare at any moment, in any order.
 */
injects: Array<Inject>, 
/**
 * What responders should do, in the order they should do it.
 */
expected: Array<ExpectedAction>, 
/**
 * Capability targets with times.
 */
targets: Array<Target>, };

export type Inject = { 
/**
 * Unique within the scenario (`inj-1`, …).
 */
key: string, 
/**
 * Short, for the deck's button: "Attacker moves funds to a mixer".
 */
title: string, 
/**
 * What the moderator reads out and the participant view shows.
 */
text: string, };

/**
 * An expected action, usually one of the linked procedures' steps.
 */
export type ExpectedAction = { 
/**
 * Unique within the scenario (`exp-1`, …).
 */
key: string, text: string, 
/**
 * The procedure step it comes from: marking that step done in the
 * exercise incident's checklist counts as taking this action.
 */
procedure: Id | null, step: Id | null, };

/**
 * What a capability target measures, from detection (the scenario's start,
 * when its exercise incident is declared).
 */
export type Measure = "escalation" | "decisionQuorum" | "action" | "mitigated" | "resolved";

/**
 * "Core team notified within 15 minutes".
 */
export type Target = { 
/**
 * Unique within the scenario (`tgt-1`, …).
 */
key: string, 
/**
 * As the moderator words it: "Core team notified".
 */
label: string, measure: Measure, withinMinutes: number, 
/**
 * The objective it evidences, if any.
 */
objective: string | null, };

export type ExerciseStatus = "planned" | "running" | "ended";

/**
 * What the moderator records about something responders did.
 */
export type LogKind = "said" | "did" | "note";

/**
 * One entry of the exercise's append-only log.
 */
export type ExerciseEventBody = { "type": "started" } | { "type": "scenarioStarted", scenario: string, incident: IncidentId, } | { "type": "situationRevealed", scenario: string, } | { "type": "injectDeclared", scenario: string, inject: string, } | { "type": "logged", scenario: string, kind: LogKind, text: string, expected: string | null, } | { "type": "scenarioEnded", scenario: string, } | { "type": "ended" };

export type ExerciseEvent = { 
/**
 * 1-based position in the exercise's log.
 */
seq: number, at: string, author: string, body: ExerciseEventBody, };

/**
 * A scenario as it ran, folded from the log.
 */
export type ScenarioRun = { scenario: string, incident: IncidentId, startedAt: string, endedAt: string | null, revealedAt: string | null, 
/**
 * In the order declared.
 */
injects: Array<DeclaredInject>, 
/**
 * Said, did and notes, in the order logged.
 */
log: Array<LogEntry>, };

export type DeclaredInject = { inject: string, at: string, };

export type LogEntry = { seq: number, at: string, author: string, kind: LogKind, text: string, expected: string | null, };

/**
 * HSEEP's four ratings.
 */
export type Rating = "P" | "S" | "M" | "U";

export type ObjectiveRating = { objective: string, rating: Rating, observations: string, strengths: string, areasForImprovement: string, ratedAt: string, ratedBy: string, };

/**
 * A plan element a finding concerns: the same section and key as a plan
 * check gap (`procedure-id/step-id` for a step, a contact's id, …).
 */
export type ElementRef = { section: Section, key: string, };

/**
 * A finding and the improvement item it becomes.
 */
export type Finding = { id: FindingId, exercise: ExerciseId, 
/**
 * The scenario it was found in, if any.
 */
scenario: string | null, 
/**
 * What went wrong: "Ben's phone number is out of date".
 */
issue: string, element: ElementRef | null, 
/**
 * What to do about it: "Update Ben's phone number".
 */
correctiveAction: string, 
/**
 * A contact on either team.
 */
owner: Id, due: string, createdAt: string, 
/**
 * When it was marked done; open until then.
 */
doneAt: string | null, };

/**
 * What the moderator writes for a finding (new or edited).
 */
export type FindingDraft = { scenario: string | null, issue: string, element: ElementRef | null, correctiveAction: string, owner: Id, due: string, };

export type AttachmentKind = "link" | "file";

export type Attachment = { 
/**
 * 1-based, per exercise.
 */
number: number, kind: AttachmentKind, label: string, 
/**
 * The address, or for a file its name inside `exercises/EX-n/`.
 */
target: string, addedAt: string, };

/**
 * An exercise as stored and folded.
 */
export type Exercise = { id: ExerciseId, setup: ExerciseSetup, status: ExerciseStatus, createdAt: string, startedAt: string | null, endedAt: string | null, 
/**
 * The scenario running now, if any.
 */
current: string | null, 
/**
 * Scenarios started so far, in the order run.
 */
runs: Array<ScenarioRun>, ratings: Array<ObjectiveRating>, findings: Array<Finding>, attachments: Array<Attachment>, 
/**
 * The moderator's notes, published with the report.
 */
notes: string, 
/**
 * In a team, when this laptop is not the moderator's: the moderator,
 * from whose laptop the exercise runs (this one follows it).
 */
drivenFrom: Id | null, };

/**
 * A row of the exercise list.
 */
export type ExerciseSummary = { id: ExerciseId, title: string, date: string, status: ExerciseStatus, scenarios: number, moderator: Id, openFindings: number, };

/**
 * Everything the moderator can do to an exercise; each is checked and
 * either applied whole or refused with a message, changing nothing.
 */
export type ExerciseAction = { "action": "start" } | { "action": "startScenario", scenario: string, } | { "action": "revealSituation", scenario: string, } | { "action": "declareInject", scenario: string, inject: string, } | { "action": "log", scenario: string, kind: LogKind, text: string, expected: string | null, } | { "action": "endScenario", scenario: string, } | { "action": "end" } | { "action": "rate", objective: string, rating: Rating, observations: string, strengths: string, areasForImprovement: string, } | { "action": "addFinding", draft: FindingDraft, } | { "action": "editFinding", id: FindingId, draft: FindingDraft, } | { "action": "completeFinding", id: FindingId, done: boolean, } | { "action": "removeFinding", id: FindingId, } | { "action": "attach", kind: AttachmentKind, label: string, target: string, } | { "action": "removeAttachment", number: number, } | { "action": "saveNotes", text: string, };

/**
 * How an expected action fared.
 */
export type ExpectedStatus = "done" | "outOfOrder" | "missed";

export type ExpectedRow = { key: string, text: string, status: ExpectedStatus, 
/**
 * When it was first taken; seconds from the scenario's start.
 */
takenAt: string | null, offsetSeconds: bigint | null, };

/**
 * Where a step taken was recorded.
 */
export type TakenSource = "log" | "checklist";

export type TakenStatus = "inOrder" | "outOfOrder" | "extra";

export type TakenRow = { at: string, offsetSeconds: bigint, text: string, 
/**
 * `said`/`did` for the log; `did` for the checklist.
 */
kind: LogKind, source: TakenSource, 
/**
 * The expected action it counts as, if any.
 */
expected: string | null, status: TakenStatus, };

/**
 * A capability target beside what was measured.
 */
export type MeasuredTarget = { target: string, label: string, measure: Measure, withinMinutes: number, 
/**
 * Seconds from detection; none when it never happened.
 */
measuredSeconds: bigint | null, 
/**
 * Whether it happened within the target; none while the scenario still
 * runs and it has not happened yet (it may still).
 */
met: boolean | null, };

/**
 * One scenario's read-back: the steps taken beside the steps expected.
 */
export type ReadBack = { scenario: string, title: string, incident: IncidentId, startedAt: string, endedAt: string | null, 
/**
 * In the expected order.
 */
expected: Array<ExpectedRow>, 
/**
 * In the order taken.
 */
taken: Array<TakenRow>, missed: number, outOfOrder: number, extra: number, 
/**
 * Every measure (targets or not), for the chart.
 */
measured: Array<MeasuredTime>, targets: Array<MeasuredTarget>, };

export type MeasuredTime = { measure: Measure, 
/**
 * Seconds from detection; none when it did not happen.
 */
seconds: bigint | null, };

/**
 * The moderator's console: the exercise, the read-back of every scenario
 * run so far, and the phase of each exercise incident.
 */
export type ExerciseView = { exercise: Exercise, readBacks: Array<ReadBack>, phases: Array<IncidentPhase>, now: string, };

export type IncidentPhase = { incident: IncidentId, phase: Phase, };

/**
 * What the projector shows: only what the moderator has revealed. Never
 * the script, the expected actions, the targets or undeclared injects.
 */
export type ParticipantView = { exercise: ExerciseId, title: string, status: ExerciseStatus, 
/**
 * The running scenario, or the last one run.
 */
scenario: ParticipantScenario | null, now: string, };

export type ParticipantScenario = { 
/**
 * "Scenario 2 of 3".
 */
number: number, of: number, title: string, incident: IncidentId, startedAt: string, endedAt: string | null, 
/**
 * Empty until revealed.
 */
situation: string, 
/**
 * Declared injects, oldest first.
 */
injects: Array<RevealedInject>, };

export type RevealedInject = { title: string, text: string, at: string, };

/**
 * The readiness dashboard and `muster readiness`.
 */
export type Readiness = { asOf: string, 
/**
 * Ended exercises held in the 12 months up to today.
 */
exercisesLast12Months: number, 
/**
 * What the policy asks for in 12 months: at least two.
 */
requiredPerYear: number, lastExercise: string | null, 
/**
 * When the next exercise is due by the policy (see `programme::next_due`).
 */
nextDue: string, 
/**
 * Days until `next_due`; negative when overdue.
 */
daysUntilDue: bigint, 
/**
 * The next planned exercise, if one is set up.
 */
nextPlanned: ExerciseSummary | null, 
/**
 * Potential issues no ended exercise ever rehearsed.
 */
neverExercised: Array<IssueExercised>, 
/**
 * Potential issues last rehearsed more than 12 months ago.
 */
stale: Array<IssueExercised>, 
/**
 * Open improvement items, soonest due first.
 */
openItems: Array<Finding>, overdueItems: number, 
/**
 * Measured times across ended exercises, oldest first.
 */
trend: Array<TrendPoint>, 
/**
 * Real incidents only (exercises never count): for comparison.
 */
realIncidents: IncidentFigures, };

export type IssueExercised = { issue: Id, title: string, last: string | null, };

/**
 * One measure of one exercise: the median over its scenarios that reached it.
 */
export type TrendPoint = { exercise: ExerciseId, date: string, measure: Measure, seconds: bigint, };

/**
 * Figures over real incidents; exercise incidents are never counted.
 */
export type IncidentFigures = { 
/**
 * Declared in the 12 months up to now.
 */
last12Months: number, 
/**
 * Not closed.
 */
open: number, 
/**
 * Median seconds from declaration to everyone told upon detection, over
 * the last 12 months' incidents that got there.
 */
medianEscalationSeconds: bigint | null, };

/**
 * Something the programme reminds about: an exercise due soon or overdue.
 */
export type ProgrammeReminder = { 
/**
 * Raised once, ever: `exercise-due:{date}:soon` or `exercise-due:{date}:overdue`.
 */
key: string, at: string, 
/**
 * "Live exercise due in 7 days (2026-12-01)".
 */
title: string, body: string, };

/**
 * A report written, with what became of its attached files.
 */
export type ReportSaved = { path: string, 
/**
 * Attached files copied into `attachments/` beside the report.
 */
copied: Array<string>, 
/**
 * Attached files no longer in the data folder: the report still links
 * them, but they are not beside it.
 */
missing: Array<string>, };

/**
 * Whether the OS keychain can hold this profile's signing key, and whether
 * it does, as far as Muster knows without asking it for the key.
 */
export type KeychainState = "ready" | "noKey" | "locked" | "unavailable";

/**
 * Who this profile signs as, and its key's fingerprint (`SHA256:…`) when
 * the plan lists one for them.
 */
export type SigningKeyStatus = { 
/**
 * The core member this profile signs as.
 */
contact: Id | null, name: string | null, 
/**
 * The fingerprint of the key the plan lists for `contact`, as OpenSSH prints it.
 */
fingerprint: string | null, keychain: KeychainState, 
/**
 * One line for people: what the state means and what to do.
 */
detail: string, };

/**
 * A signature just made; `status` when the request is local and the
 * signature was recorded, null for an imported request (save the
 * signature file and send it to the requester).
 */
export type SignOutcome = { signature: SignatureFile, status: DecisionStatus | null, };

/**
 * A request or signature file taken in, and the decision it concerns.
 */
export type ImportedFile = { kind: "request" | "signature", status: DecisionStatus, };

/**
 * Whether desktop notifications reach a notification service.
 */
export type NotificationStatus = { 
/**
 * False once a notification failed to reach a service (until one succeeds).
 */
available: boolean, 
/**
 * The service's name and version, or why notifications cannot be shown.
 */
detail: string, };

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
 * How an incident's timeline is exported.
 */
export type IncidentFormat = "markdown" | "json";

/**
 * How the after-action report is written.
 */
export type ReportFormat = "markdown" | "html";

/**
 * The closed set of error codes the UI understands.
 */
export type ErrorCode = "notFound" | "invalidInput" | "refused" | "unavailable" | "databaseTooNew" | "databaseDamaged" | "storage" | "internal";

export type IpcError = { code: ErrorCode, message: string, 
/**
 * For `invalidInput`: each problem with its location, so the form can
 * show core's own message beside the field.
 */
problems: Array<Problem>, };

/**
 * What the About line shows.
 */
export type AppInfo = { version: string, dataDir: string, schemaVersion: number, 
/**
 * The time zone times are shown in.
 */
timeZone: string, 
/**
 * Why `TZ` is not followed, when it is set to something not understood.
 */
timeZoneProblem: string | null, 
/**
 * Why nothing can be saved, when the database could only be opened
 * for reading (a read-only folder or disk, a full disk).
 */
writesOff: string | null, };

/**
 * This laptop in the team: the folder, whose key signs, which device.
 */
export type TeamProfile = { folder: string, person: Id, device: string, };

/**
 * A teammate's laptop, as the folder has heard from it.
 */
export type Heard = { person: Id, device: string, events: number, 
/**
 * When its latest event was written (its own clock).
 */
lastWritten: string, 
/**
 * When this laptop took in its latest event.
 */
lastReceived: string, };

/**
 * What the team folder holds for this laptop.
 */
export type TeamStatus = { profile: TeamProfile | null, 
/**
 * Events written here and not signed yet (the keychain was locked…).
 */
unsigned: number, 
/**
 * Events written here and signed.
 */
published: number, 
/**
 * Teammates' events taken in.
 */
received: number, 
/**
 * Taken-in events waiting for their parents to arrive.
 */
waiting: number, 
/**
 * Taken-in events that could not be applied, with why.
 */
notApplied: Array<string>, teammates: Array<Heard>, };

/**
 * What carries the team folder between laptops.
 */
export type Transport = { "kind": "syncthing", 
/**
 * The folder's id in Syncthing's configuration, when found.
 */
folderId: string | null, 
/**
 * Its `maxConflicts` (0 would silently overwrite: never for Muster,
 * which writes each file once, but worth knowing).
 */
maxConflicts: number | null, 
/**
 * Whether Muster can ask it to scan new files at once.
 */
api: boolean, } | { "kind": "git" } | { "kind": "plain" };

export type QuarantinedFile = { 
/**
 * The path inside the team folder.
 */
path: string, reason: string, };

/**
 * What the last round with the team folder found, for the status.
 */
export type LinkState = { lastRound: string | null, 
/**
 * Why this laptop's events wait to be signed, when they do.
 */
unsigned: string | null, 
/**
 * A transport's or the folder's trouble.
 */
problem: string | null, 
/**
 * Files in the folder that were not taken in, with why.
 */
quarantined: Array<QuarantinedFile>, };

/**
 * The team folder as the Settings page shows it.
 */
export type TeamView = { status: TeamStatus, 
/**
 * The folder's transport, when this laptop is in a team.
 */
transport: Transport | null, link: LinkState, 
/**
 * Whom this profile signs as (joining needs a signing key first).
 */
signsAs: Id | null, 
/**
 * A name for this laptop, to start from.
 */
suggestedDevice: string, };

/**
 * The receiver as Settings shows it.
 */
export type AlertReceiverView = { 
/**
 * Turned on (it may still fail to listen: see `problem`).
 */
on: boolean, port: number, 
/**
 * Where monitors post: `http://127.0.0.1:PORT/alerts`.
 */
url: string, listening: boolean, 
/**
 * Why it is on but not listening.
 */
problem: string | null, 
/**
 * Whether a token was made (it is shown only once).
 */
hasToken: boolean, 
/**
 * A token made just now, shown this once.
 */
newToken: string | null, };

/**
 * What became of one alert of a delivery.
 */
export type Taken = { "outcome": "opened", incident: IncidentId, issue: Id, } | { "outcome": "joined", incident: IncidentId, issue: Id, } | { "outcome": "resolved", incident: IncidentId, } | { "outcome": "repeat" } | { "outcome": "unrouted", reason: string, };

/**
 * A step's command as the console shows it before it runs.
 */
export type CommandStatus = { procedure: Id, step: Id, 
/**
 * The program and arguments as a person reads them.
 */
shown: string, command: StepCommand, sha256: string, 
/**
 * Trusted on this laptop: it may run.
 */
trusted: boolean, };

/**
 * The kind of place an update is sent to.
 */
export type TargetKind = "slack" | "discord" | "telegram" | "matrix" | "json";

/**
 * A target's secret part, as the keychain keeps it.
 */
export type TargetSecret = { 
/**
 * The webhook or endpoint URL (Slack, Discord, JSON); the API's base
 * (Telegram, `https://api.telegram.org` when empty) or the homeserver
 * (Matrix).
 */
url: string, 
/**
 * The bot token (Telegram) or access token (Matrix); empty otherwise.
 */
token: string, 
/**
 * The chat id (Telegram) or room id (Matrix); empty otherwise.
 */
chat: string, };

/**
 * A target as Settings and the update dialog show it: no secret in it.
 */
export type UpdateTarget = { 
/**
 * The communication rule whose updates go there.
 */
rule: Id, kind: TargetKind, 
/**
 * Where, for people: the host, and the chat or room (never a token).
 */
shown: string, };

/**
 * A roster version as the window shows it.
 */
export type RosterVersionView = { version: number, 
/**
 * `A1B2-C3D4-…`: compared out of band.
 */
fingerprint: string, admins: Array<Id>, 
/**
 * How many admins must sign the next version.
 */
threshold: number, 
/**
 * Each member and their key's fingerprint.
 */
members: Array<[Id, string]>, signedBy: Array<Id>, };

/**
 * A roster version not in force, and why.
 */
export type RosterAsideView = { version: number, fingerprint: string, signedBy: Array<Id>, reason: string, };

/**
 * The roster as this laptop holds it.
 */
export type RosterView = { 
/**
 * The pinned root, when one is.
 */
root: RosterVersionView | null, 
/**
 * The version in force.
 */
current: RosterVersionView | null, 
/**
 * Versions short of signatures.
 */
waiting: Array<RosterAsideView>, 
/**
 * Versions never taken, with why.
 */
refused: Array<RosterAsideView>, 
/**
 * Why roster changes are frozen, if they are.
 */
frozen: string | null, 
/**
 * Before a pin: the version-1 rosters seen, to compare and pin one.
 */
roots: Array<RosterVersionView>, 
/**
 * The roster reached a higher version here than it now can (entries lost).
 */
behind: string | null, };
