// The app's IPC contract, in one table: every command the window may call,
// with its arguments and its result, as the command function declares them
// (`contract_matches_the_command_functions` compares them). Included by
// build.rs (each command then needs an explicit grant) and by
// src/contract.rs, which generates from it the capability file's grants and,
// through ts-rs, the TypeScript map of each command's arguments and result
// that `ui/src/lib/api` calls through (`contract_is_fresh`). A new command is
// added here, registered in lib.rs (a test fails when the two differ), and
// wrapped in ui/src/lib/api. Plain `//` comments only: this file is
// `include!`d.

/// Hands the table to `$then`, a macro taking
/// `name(arg: Type, ...) -> Result;` entries.
macro_rules! contract {
    ($then:ident) => {
        $then! {
            get_plan() -> Arc<Plan>;
            get_plan_outline() -> PlanOutline;
            apply_edit(edit: PlanEdit) -> Option<RevisionInfo>;
            check_plan_edit(edit: PlanEdit) -> Vec<Problem>;
            plan_check() -> Vec<Gap>;
            plan_conflicts() -> Vec<PlanConflict>;
            settle_conflict(section: Section, key: String, field: String, keep: String) -> Vec<PlanConflict>;
            on_call_now() -> Vec<OnCallNow>;
            search_plan(query: String, limit: u32) -> Vec<SearchHit>;
            list_revisions() -> Vec<RevisionInfo>;
            diff_revisions(from: i64, to: i64) -> Vec<DiffEntry>;
            restore_revision(id: i64) -> Option<RevisionInfo>;
            undo_revision(id: i64) -> RevisionInfo;
            get_profile() -> Profile;
            set_profile_name(name: String) -> Profile;
            print_window() -> ();
            pick_folder(title: String) -> Option<String>;
            export_plan_folder(dir: String) -> String;
            preview_plan_folder(dir: String) -> FolderPreview;
            import_plan_folder(dir: String) -> Option<RevisionInfo>;
            get_linked_folder() -> LinkedFolder;
            set_linked_folder(dir: Option<String>, write_back: bool) -> LinkedFolder;
            pick_contacts_file() -> Option<String>;
            preview_contacts(path: String) -> ContactsPreview;
            import_contacts(path: String, mapping: Option<ColumnMapping>, team: Team) -> Option<RevisionInfo>;
            save_export(kind: ExportKind) -> Option<String>;
            app_info() -> AppInfo;
            mark_painted(marks: Vec<(String, f64)>) -> ();
            list_backups() -> Vec<BackupInfo>;
            backup_now() -> String;
            restore_backup(path: String) -> ();
            last_restore() -> Option<String>;
            declare_incident(declaration: Declaration) -> IncidentView;
            list_incidents() -> Vec<IncidentSummary>;
            incident_figures() -> Vec<ResponseFigures>;
            get_reminder_minutes() -> u32;
            set_reminder_minutes(minutes: u32) -> u32;
            incident_view(id: String) -> IncidentView;
            incident_timeline(id: String, before: u32, limit: u32) -> Vec<TimelineEntry>;
            act_on_incident(id: String, action: IncidentAction) -> IncidentView;
            acknowledge_incident(id: String) -> IncidentView;
            escalation_preview(category: Id, phases: Vec<Phase>) -> Vec<Recipient>;
            get_agenda() -> Agenda;
            get_post_mortem(id: String, audience: Audience) -> PostMortem;
            save_post_mortem(id: String, audience: Audience, text: String) -> PostMortem;
            export_incident(id: String, format: IncidentFormat) -> Option<String>;
            notification_status() -> NotificationStatus;
            quit_app() -> ();
            signing_key_status() -> SigningKeyStatus;
            set_up_signing_key(contact: Id, rotate: bool) -> SigningKeyStatus;
            request_decision(incident: String, policy: Id, statement: String, expires_in_minutes: i64) -> DecisionStatus;
            list_decisions() -> Vec<DecisionStatus>;
            sign_decision(id: String, answer: Answer) -> SignOutcome;
            attest_approval(id: String, approver: Id, channel: String, approved_at: String, witness: Id) -> DecisionStatus;
            export_decision_request(id: String) -> Option<String>;
            save_signature_file(id: String, text: String) -> Option<String>;
            import_decision_file() -> Option<ImportedFile>;
            export_decision_bundle(id: String) -> Option<String>;
            list_exercises() -> Vec<ExerciseSummary>;
            create_exercise(setup: ExerciseSetup) -> Exercise;
            update_exercise_setup(id: String, setup: ExerciseSetup) -> Exercise;
            delete_exercise(id: String) -> ();
            exercise_view(id: String) -> ExerciseView;
            act_on_exercise(id: String, action: ExerciseAction) -> ExerciseView;
            participant_view(id: String) -> ParticipantView;
            open_participant_window(id: String) -> ();
            draft_scenario(issue: Id, key: String) -> Scenario;
            check_exercise_setup(setup: ExerciseSetup) -> Vec<Problem>;
            exercise_report(id: String, format: ReportFormat) -> String;
            save_exercise_report(id: String, format: ReportFormat) -> Option<ReportSaved>;
            choose_attachment_file() -> Option<String>;
            list_findings() -> Vec<Finding>;
            readiness() -> Readiness;
            team_status() -> TeamView;
            join_team(dir: String, device: String) -> TeamView;
            leave_team() -> TeamView;
            sync_team() -> TeamView;
            roster_view() -> RosterView;
            pin_roster(fingerprint: String) -> RosterView;
            sign_roster(fingerprint: String) -> RosterView;
            step_commands() -> Vec<CommandStatus>;
            trust_step_command(procedure: Id, step: Id, sha256: String) -> CommandStatus;
            run_step_command(id: String, procedure: Id, step: Id, dry_run: bool) -> IncidentView;
            update_targets() -> Vec<UpdateTarget>;
            set_update_target(rule: Id, kind: Option<TargetKind>, secret: Option<TargetSecret>) -> Vec<UpdateTarget>;
            send_update(id: String, rule: Id, text: String) -> IncidentView;
            alert_receiver() -> AlertReceiverView;
            set_alert_receiver(on: bool, port: u16) -> AlertReceiverView;
            renew_alert_token() -> AlertReceiverView;
        }
    };
}
