// Generated from the Rust types in throughline-core: do not edit. `make types` rewrites it.

export type ErrorCode = "auth.already_set_up" | "auth.current_password_wrong" | "auth.forbidden" | "auth.locked" | "auth.not_set_up" | "auth.recovery_key_wrong" | "auth.sign_in_failed" | "auth.signed_out" | "auth.slowed_down" | "auth.unknown_worker" | "auth.deactivated" | "auth.no_key_here" | "workers.cannot_deactivate_self" | "workers.last_administrator" | "client.not_allowed" | "client.not_found" | "pathway.not_allowed" | "pathway.not_found" | "dashboard.unknown_figure" | "export.write_failed" | "sync.bad_signature" | "sync.cannot_decrypt" | "sync.cannot_revoke_self" | "sync.conflict_settled" | "sync.corrupt" | "sync.newer_version" | "sync.no_identity" | "sync.not_a_bundle" | "sync.not_a_join_file" | "sync.other_team" | "sync.passphrase_wrong" | "sync.revoked_device" | "sync.truncated" | "sync.unknown_device" | "sync.not_allowed" | "sync.forged" | "sync.from_hub" | "sync.not_a_hub_file" | "sync.future_clock" | "sync.missing_changes" | "sync.older_version" | "sync.not_for_this_laptop" | "sync.key_not_waiting" | "store.database" | "store.files" | "store.newer_schema" | "store.no_encryption" | "store.serialise" | "store.wrong_key" | "store.migration_failed" | "store.disk_full" | "store.read_only" | "store.corrupt" | "store.slots_damaged" | "store.in_use" | "backup.not_found" | "backup.damaged" | "backup.write_failed" | "task.cancelled" | "validation.acceptable_without_reason" | "validation.after_order" | "validation.appointment_before_notice" | "validation.appointment_before_reception" | "validation.appointment_not_missed" | "validation.assessment_before_referral" | "validation.assessment_not_completed" | "validation.before_order" | "validation.breach_not_warning" | "validation.breach_without_failure" | "validation.breach_without_warning" | "validation.complete_before_given" | "validation.confirmation_without_positive" | "validation.consent_review_range" | "validation.control_characters" | "validation.date_format" | "validation.date_future" | "validation.decided_before_return" | "validation.discharge_before_referral" | "validation.discharge_before_start" | "validation.dob_future" | "validation.dob_too_old" | "validation.ended_before_order" | "validation.follow_up_before_initial" | "validation.follow_up_not_now" | "validation.follow_up_not_required" | "validation.idle_lock_range" | "validation.licence_before_release" | "validation.login_format" | "validation.login_taken" | "validation.months" | "validation.next_before_hearing" | "validation.nhs_check_digit" | "validation.nhs_format" | "validation.nhs_number_known" | "validation.no_result" | "validation.not_in_list" | "validation.notice_in_future" | "validation.order_length" | "validation.outcome_in_future" | "validation.password_too_short" | "validation.period_order" | "validation.period_too_long" | "validation.phone_format" | "validation.pnc_check_letter" | "validation.pnc_format" | "validation.pnc_known" | "validation.postcode_format" | "validation.prison_number_format" | "validation.provider_views_required" | "validation.release_before_reception" | "validation.remained_without_attended" | "validation.required" | "validation.returned_before_failure" | "validation.review_after_order" | "validation.review_again_not_future" | "validation.review_before_given" | "validation.review_interval" | "validation.review_required" | "validation.review_too_soon" | "validation.rob_without_conditional_bail" | "validation.roles_required" | "validation.same_prison" | "validation.setting_range" | "validation.several" | "validation.test_before_arrest" | "validation.test_in_future" | "validation.test_not_positive" | "validation.time_ambiguous" | "validation.time_does_not_exist" | "validation.time_format" | "validation.time_future" | "validation.too_long" | "validation.transfer_before_reception" | "validation.treatment_before_referral" | "validation.treatment_outlasts_order" | "validation.trigger_or_discretionary" | "validation.warning_before_failure" | "validation.warning_for_acceptable" | "validation.worker_cannot_hold_caseload" | "app.interrupted" | "ui.unexpected" | "validation.name_characters" | "validation.password_weak";

export type FieldError = { field: string, code: ErrorCode, message: string, };

export type ErrorPayload = { code: ErrorCode, message: string, 
/**
 * Empty unless the error is about particular fields of a form.
 */
fields: Array<FieldError>, };

export type Role = "custody" | "court" | "community" | "prison_link" | "team_lead" | "administrator";

export type WorkerView = { id: string, login: string, display_name: string, roles: Array<Role>, 
/**
 * What those roles allow (accounts::permissions): the UI's menus and forms follow it.
 */
permissions: Array<Permission>, active: boolean, };

export type NewWorker = { display_name: string, login: string, roles: Array<Role>, password: string, };

export type LeaversForgotten = { 
/**
 * The workers whose key slots were removed (the database was re-keyed once for all of
 * them). Empty: nothing changed.
 */
removed: Array<string>, 
/**
 * Workers whose key slots were made by an earlier version (they have not signed in here
 * since) and could not follow the new key: an administrator sets each a new password here.
 */
need_new_password: Array<string>, 
/**
 * The recovery key was made by an earlier version and could not follow the new key: a new
 * one, shown once to the administrator who deactivated the worker, to write down in place of
 * the old.
 */
new_recovery_key: string | null, 
/**
 * As above, where no administrator was signed in to be shown a new one: the old recovery
 * key no longer opens this laptop (the next re-key by an administrator here makes one).
 */
recovery_key_lost: boolean, };

export type Deactivated = { 
/**
 * The worker, now inactive.
 */
worker: WorkerView, on_this_laptop: LeaversForgotten, };

export type SetUpInput = { team_name: string, display_name: string, login: string, password: string, };

export type SessionInfo = { worker: WorkerView, team_name: string, idle_lock_minutes: number, };

export type TeamSettings = { 
/**
 * security.md: lock after this many idle minutes (default 5).
 */
idle_lock_minutes: number, 
/**
 * domain.md: consent to share is reviewed after this many months (default 12).
 */
consent_review_months: number, 
/**
 * domain.md CUS-ASSESS-MISSING: days after a positive test to book the initial
 * assessment (default 1).
 */
assessment_booking_days: number, 
/**
 * domain.md APPT-NO-OUTCOME: days after an appointment to record its outcome (default 1).
 */
appointment_outcome_days: number, 
/**
 * domain.md COURT-HEARING-SOON: working days before a hearing by which a court report or
 * note is wanted (default 2).
 */
hearing_soon_working_days: number, 
/**
 * domain.md CASE-NO-CONTACT: days without contact before a case is flagged (default 28).
 */
case_no_contact_days: number, 
/**
 * domain.md DRR-BREACH: months, beginning with the day of a warning, within which a
 * further unacceptable failure is a breach (default 12).
 */
drr_warning_months: number, 
/**
 * domain.md DRR-REVIEW-DUE: days before a review hearing by which the progress report is
 * wanted (default 7).
 */
drr_review_due_days: number, 
/**
 * domain.md DRR-ENDING: days before an order ends by which an exit plan is wanted
 * (default 14).
 */
drr_ending_days: number, 
/**
 * domain.md PRISON-RELEASE-NO-PLAN: days before an expected release by which the
 * throughcare plan and first community appointment are wanted (default 14).
 */
prison_release_plan_days: number, 
/**
 * domain.md PRISON-NO-TREATMENT: the day after release from which a missing treatment
 * start is urgent (default 14; it is due on day 21, 003).
 */
prison_treatment_urgent_days: number, 
/**
 * The dashboard's target for releases in community treatment within 21 days, as a
 * percentage (default 75: the national ambition, 003).
 */
continuity_target_percent: number, 
/**
 * Automatic backups: every this many days (0: none, the default), to `backup_folder`.
 */
backup_every_days: number, 
/**
 * Retention: a closed case comes up for review this many years after it closed (default
 * 8, the period the NHS records code gives for adult health records).
 */
retention_years: number, 
/**
 * Where automatic backups go (chosen in the system's dialog), empty when none is chosen.
 */
backup_folder: string, };

export type Sex = "female" | "male" | "not_known";

export type ClientStatus = "active" | "closed" | "merged";

export type NewClient = { surname: string, forenames: string, 
/**
 * As typed: "03/03/1987" or "1987-03-03".
 */
date_of_birth: string, 
/**
 * "female", "male" or "not_known"; empty when not chosen.
 */
sex: string, gender_identity: string, ethnicity: string, no_fixed_abode: boolean, address: string, postcode: string, gp: string, phone: string, pnc: string, nhs_number: string, prison_number: string, primary_substance: string, secondary_substance: string, injecting_status: string, risk_notes: string, };

export type SearchResult = { id: string, surname: string, forenames: string, 
/**
 * Other names, "Forenames Surname".
 */
aliases: Array<string>, date_of_birth: string, age: number, pnc: string | null, status: ClientStatus, allocated_worker: string | null, };

export type ClientRecord = { id: string, surname: string, forenames: string, date_of_birth: string, age: number, sex: Sex, gender_identity: string | null, ethnicity: string | null, ethnicity_label: string | null, no_fixed_abode: boolean, address: string | null, postcode: string | null, gp: string | null, phone: string | null, pnc: string | null, 
/**
 * Grouped for reading: "943 476 5919".
 */
nhs_number: string | null, prison_number: string | null, primary_substance: string | null, secondary_substance: string | null, injecting_status: string | null, substances_label: string | null, injecting_label: string | null, risk_notes: string | null, status: ClientStatus, closed_reason: string | null, closed_reason_label: string | null, closed_at: string | null, 
/**
 * Set when the person's details were removed after a retention review: the record is
 * then read-only.
 */
anonymised_at: string | null, 
/**
 * When this record was merged into another, the one to open instead.
 */
merged_into: string | null, allocated_worker_id: string | null, allocated_worker: string | null, registered_at: string, registered_by: string, aliases: Array<AliasView>, consents: Array<ConsentView>, 
/**
 * True when a consent is given, not withdrawn and not past its review date.
 */
has_current_consent: boolean, 
/**
 * Merges into this record that can still be undone.
 */
merges: Array<MergeView>, };

export type Choice = { value: string, label: string, group: string, };

export type ReferenceLists = { ethnicities: Array<Choice>, substances: Array<Choice>, injecting: Array<Choice>, close_reasons: Array<Choice>, };

export type AliasView = { id: string, surname: string, forenames: string, from_merge: boolean, added_at: string, added_by: string, };

export type NewAlias = { surname: string, forenames: string, };

export type ConsentView = { id: string, given_on: string, scope: string, review_on: string, withdrawn_on: string | null, 
/**
 * Given, not withdrawn, review date not passed.
 */
current: boolean, recorded_by: string, };

export type NewConsent = { 
/**
 * As typed: "23/11/2026".
 */
given_on: string, scope: string, 
/**
 * Empty: the team's review period after `given_on` (policy default 12 months).
 */
review_on: string, };

export type MergeView = { id: string, merged_id: string, 
/**
 * The merged record's name and date of birth, as it was.
 */
merged_name: string, reasons: string, merged_at: string, merged_by: string, };

export type FieldChange = { field: string, 
/**
 * The field's name as the form shows it.
 */
label: string, old_value: string | null, new_value: string | null, at: string, by: string, };

export type CaseloadSize = { 
/**
 * None for the clients allocated to no one.
 */
worker_id: string | null, worker: string, roles: Array<Role>, active_clients: number, };

export type CaseloadPerson = { person: SearchResult, 
/**
 * Where they are now, in a few words: "On a DRR".
 */
stage: string, 
/**
 * The sentence behind it: "On a DRR: 12-month order, next review 2 Dec 2026".
 */
standing: string, 
/**
 * Open statutory flags by severity.
 */
urgent: number, due: number, 
/**
 * The next booked appointment: "2 Dec 2026 at 10:00".
 */
next_appointment: string | null, };

export type CaseloadPage = { 
/**
 * How many active clients the worker holds.
 */
total: number, offset: number, 
/**
 * How many people a full page holds.
 */
page_size: number, people: Array<CaseloadPerson>, };

export type DuplicateCandidate = { client: SearchResult, reasons: Array<string>, 
/**
 * True when an identifier matches: registering again would be wrong.
 */
same_identifier: boolean, };

export type DuplicatePair = { first: SearchResult, second: SearchResult, reasons: Array<string>, same_identifier: boolean, };

export type DuplicatePage = { 
/**
 * How many pairs there are in all.
 */
total: number, offset: number, 
/**
 * How many pairs a full page holds.
 */
page_size: number, pairs: Array<DuplicatePair>, };

export type ChainCheck = { entries: number, 
/**
 * The first entry that does not match its hash or its predecessor, if any.
 */
first_broken_entry: number | null, 
/**
 * True when nothing was changed, removed or cut off the end.
 */
intact: boolean, 
/**
 * What was found, or "none".
 */
problem: TrailProblem, 
/**
 * In words: whether the trail is intact and, if not, what was found and where.
 */
finding: string, 
/**
 * The last entry that checked out before the break (or the last entry when intact):
 * where the trail can still be trusted up to.
 */
last_good: EntrySummary | null, 
/**
 * What the team's other laptops last saw of this trail (from bundles), and of theirs.
 */
witnessed: Array<Witnessed>, };

export type Witnessed = { laptop: string, agrees: boolean, words: string, };

export type ExportScope = { "kind": "not_acknowledged_by", device_ids: Array<string>, } | { "kind": "everything" };

export type BundleSummary = { 
/**
 * The laptop that made the bundle.
 */
device_label: string, exported_at: string, operations: number, 
/**
 * Operations this laptop did not have (an import), or all of them (an export).
 */
new_operations: number, 
/**
 * The time of the latest change in the bundle.
 */
up_to: string | null, 
/**
 * True when this very bundle had been imported here before (nothing changed).
 */
already_imported: boolean, 
/**
 * Conflicts waiting for a person after the import.
 */
open_conflicts: number, 
/**
 * Changes a revoked laptop made after its revocation, which the bundle carried and this
 * laptop refused (kept aside, never applied).
 */
set_aside: Array<SetAside>, };

export type SetAside = { device_label: string, changes: number, };

export type Exported = { path: string, summary: BundleSummary, };

export type Imported = { file: string, summary: BundleSummary | null, error: ErrorPayload | null, };

export type JoinFileSaved = { path: string, passphrase: string, device_label: string, worker_name: string, };

export type KeyWaiting = { 
/**
 * The public key (hex), to vouch for.
 */
key: string, fingerprint: string, worker_name: string, laptop_label: string, asked_at: string, };

export type OwnKey = { fingerprint: string, 
/**
 * Whether the team knows it (an administrator vouched for it).
 */
known: boolean, };

export type HubFileSaved = { path: string, passphrase: string, label: string, };

export type NewLaptop = { label: string, worker_id: string, };

export type DeviceView = { id: string, label: string, enrolled_at: string, enrolled_by: string, revoked_at: string | null, this_laptop: boolean, 
/**
 * When its last bundle was imported here.
 */
last_bundle_at: string | null, 
/**
 * The laptop it replaced (restored from that laptop's backup), by name.
 */
replaced: string | null, 
/**
 * The laptop that replaced it, by name: it is not used any more and nothing is sent to it.
 */
replaced_by: string | null, 
/**
 * Whether it has the team key this laptop seals with: known once a bundle of it sealed with
 * that key has arrived here. None until then.
 */
has_current_key: boolean | null, 
/**
 * The partnership hub: it receives the team's bundles and sends none.
 */
hub: boolean, };

export type ImportedBundle = { from: string, at: string, exported_at: string, operations: number, new_operations: number, up_to: string | null, };

export type SyncStatus = { this_laptop: string, last_export: string | null, last_import: string | null, 
/**
 * Changes made on this laptop since its last export.
 */
not_exported: number, imports: Array<ImportedBundle>, devices: Array<DeviceView>, open_conflicts: number, };

export type ConflictValue = { op_id: string, 
/**
 * The value as text ("(empty)" when blank).
 */
value: string, worker_id: string, worker_name: string, device_label: string, at: string, };

export type Conflict = { record_type: string, record_id: string, field: string, 
/**
 * What changed, in words: "phone" of "Client", say.
 */
field_label: string, record_label: string, client_id: string | null, client_name: string | null, 
/**
 * The value every laptop shows now.
 */
kept: ConflictValue, 
/**
 * The values it replaced without anyone seeing them.
 */
others: Array<ConflictValue>, };

export type Settle = { record_type: string, record_id: string, field: string, 
/**
 * The op id of the value to keep: the kept one, or one of the others to restore it.
 */
keep_op_id: string, };

export type AppStatus = { 
/**
 * This build's version, for the About screen.
 */
version: string, 
/**
 * False on first launch: the set-up screen comes first.
 */
set_up: boolean, session: SessionInfo | null, 
/**
 * Who was signed in when the app locked: their name is filled in on the sign-in form.
 */
locked_login: string | null, };

export type SetUpDone = { session: SessionInfo, recovery_key: string, };

export type Document = { title: string, 
/**
 * Who it is about, for the heading: "John Smith, born 3 Mar 1987".
 */
subject: string, paragraphs: Array<string>, 
/**
 * Which paragraphs head a section (a long document such as the subject access summary).
 */
headings?: Array<number>, 
/**
 * The worker whose statement or notice it is.
 */
signed_by: string, 
/**
 * The date it was first produced (a reprint shows the same date).
 */
produced_on: string, produced_at: string, client_id: string, 
/**
 * The record it was produced from.
 */
record_type: string, record_id: string, };

export type OwnerType = "required_assessment" | "restriction_on_bail" | "conditional_caution" | "throughcare" | "general" | "drr_timetable" | "drr_test";

export type AppointmentStatus = "scheduled" | "attended" | "did_not_attend" | "cancelled" | "rescheduled";

export type Variation = { from: string, to: string, varied_at: string, varied_by: string, };

export type FailureDocument = "evidential_statement" | "breach_notice";

export type ReportedTo = "police" | "court";

export type FailureReport = { document: FailureDocument, 
/**
 * "Evidential statement", as in "Evidential statement produced 6 Mar 2026".
 */
document_label: string, produce_label: string, reprint_label: string, reported_to: ReportedTo, 
/**
 * "sent to the police", as in "Mark as sent to the police".
 */
reported_label: string, };

export type AppointmentView = { id: string, client_id: string, owner_type: OwnerType, owner_id: string, kind: string, at: string, 
/**
 * London calendar day and 24-hour time, as the worker reads them.
 */
date: string, time: string, place: string, worker_id: string, worker: string, status: AppointmentStatus, status_label: string, remained: boolean | null, cancelled_by: string | null, outcome_recorded_at: string | null, 
/**
 * Did not attend, or did not remain.
 */
failed: boolean, 
/**
 * Booked, its time has passed and no outcome is recorded yet.
 */
awaiting_outcome: boolean, failure_document_at: string | null, failure_reported_at: string | null, variations: Array<Variation>, 
/**
 * What a failure of this appointment produces; none when it produces no document here.
 */
failure_report: FailureReport | null, 
/**
 * Whether its outcome also says if the person remained (RA3).
 */
asks_remained: boolean, };

export type NewAppointment = { 
/**
 * What it is for; filled in by Throughline for assessments and RoB.
 */
kind: string, 
/**
 * London date as typed: "23/11/2026".
 */
date: string, 
/**
 * 24-hour London time: "14:30".
 */
time: string, place: string, 
/**
 * Empty: the worker booking it.
 */
worker_id: string, };

export type NewOutcome = { 
/**
 * "attended" or "did_not_attend".
 */
outcome: string, 
/**
 * Assessments only: remained for the whole assessment.
 */
remained: boolean | null, };

export type DayAppointment = { id: string, at: string, time: string, client_id: string, client_name: string, kind: string, place: string, owner_type: OwnerType, status: AppointmentStatus, status_label: string, };

export type PathwayLists = { trigger_offences: Array<Choice>, test_results: Array<Choice>, sample_types: Array<Choice>, hearing_types: Array<Choice>, bail_statuses: Array<Choice>, contact_kinds: Array<Choice>, cancelled_by: Array<Choice>, 
/**
 * The stages a timeline is filtered by.
 */
timeline_stages: Array<Choice>, };

export type TestResult = "positive" | "negative" | "refused" | "not_tested";

export type AssessmentKind = "initial" | "follow_up";

export type NewTestOnArrest = { custody_suite: string, arrested_date: string, arrested_time: string, 
/**
 * A value of the trigger offence list; empty for a discretionary test.
 */
trigger_offence: string, discretionary: boolean, tested_date: string, tested_time: string, 
/**
 * "positive", "negative", "refused" or "not_tested".
 */
opiates: string, cocaine: string, disputed: boolean, sent_for_confirmation: boolean, 
/**
 * "oral_fluid" or "urine".
 */
sample_type: string, };

export type NewAssessment = { 
/**
 * "initial" or "follow_up".
 */
kind: string, 
/**
 * Initial: the positive test.
 */
test_id: string, 
/**
 * Follow-up: the initial assessment that required it.
 */
initial_assessment_id: string, 
/**
 * Initial only: carried out now in the custody suite, attended and remained.
 */
carried_out_now: boolean, 
/**
 * The appointment, when booked.
 */
appointment: NewAppointment, 
/**
 * When the written notice (RA1) was given, as typed; empty means now. The statement for
 * the police quotes it, so a booking entered afterwards keeps the true time.
 */
notice_date: string, notice_time: string, };

export type TestView = { id: string, client_id: string, custody_suite: string, arrested_at: string, trigger_offence: string | null, trigger_offence_label: string | null, discretionary: boolean, tested_at: string, opiates: TestResult, cocaine: TestResult, positive: boolean, disputed: boolean, sent_for_confirmation: boolean, sample_type: string, sample_type_label: string, recorded_by: string, 
/**
 * The initial assessment booked or recorded for it (not a cancelled one).
 */
initial_assessment_id: string | null, };

export type AssessmentView = { id: string, client_id: string, kind: AssessmentKind, kind_label: string, test_id: string | null, initial_assessment_id: string | null, appointment: AppointmentView, notice_given_at: string | null, notice_given_by: string | null, follow_up_required: boolean | null, decided_at: string | null, decided_by: string | null, 
/**
 * The follow-up booked after this initial assessment.
 */
follow_up_id: string | null, 
/**
 * Attended and remained, not yet decided: RA4 or RA5 can be recorded.
 */
awaiting_decision: boolean, };

export type CustodySummary = { tests: Array<TestView>, assessments: Array<AssessmentView>, cautions: Array<CautionView>, };

export type NewCaution = { 
/**
 * As typed: "23/11/2026".
 */
given_on: string, conditions: string, 
/**
 * Optional: "23/02/2027".
 */
complete_by: string, };

export type CautionView = { id: string, client_id: string, given_on: string, conditions: string, complete_by: string | null, appointments: Array<AppointmentView>, 
/**
 * An appointment was missed: the case may return to court.
 */
non_engagement: boolean, recorded_by: string, };

export type NewHearing = { court: string, 
/**
 * London date and 24-hour time as typed.
 */
date: string, time: string, hearing_type: string, outcome: string, 
/**
 * Optional: "23/12/2026".
 */
next_hearing_on: string, };

export type HearingOutcome = { outcome: string, next_hearing_on: string, };

export type NewBailDecision = { hearing_id: string, bail_status: string, conditions: string, restriction_on_bail: boolean, };

export type NewSuitability = { 
/**
 * Optional: the hearing it was prepared for.
 */
hearing_id: string, assessed_on: string, suitable: boolean | null, proposal: string, };

export type HearingView = { id: string, client_id: string, court: string, at: string, date: string, time: string, hearing_type: string, hearing_type_label: string, outcome: string | null, next_hearing_on: string | null, court_note: string | null, note_recorded_at: string | null, recorded_by: string, };

export type BailView = { id: string, client_id: string, hearing_id: string, decided_on: string, bail_status: string, bail_status_label: string, conditions: string | null, restriction_on_bail: boolean, rob_appointments: Array<AppointmentView>, recorded_by: string, };

export type SuitabilityView = { id: string, client_id: string, hearing_id: string | null, assessed_on: string, suitable: boolean, proposal: string | null, recorded_by: string, };

export type CourtSummary = { hearings: Array<HearingView>, bail: Array<BailView>, suitability: Array<SuitabilityView>, };

export type NewOrder = { court: string, 
/**
 * "23/11/2026".
 */
sentenced_on: string, 
/**
 * Whole months, as typed.
 */
order_months: string, treatment_months: string, reviews: boolean | null, review_interval_months: string, 
/**
 * The first review hearing (new orders with reviews only).
 */
first_review_on: string, responsible_officer: string, treatment_provider: string, residential: boolean | null, };

export type OrderEnding = { 
/**
 * "completed" or "revoked".
 */
status: string, ended_on: string, reason: string, };

export type OrderAmendment = { at: string, by: string, 
/**
 * "Treatment and testing period: 12 → 18".
 */
changes: Array<string>, };

export type DrrOrderView = { id: string, client_id: string, court: string, sentenced_on: string, order_months: number, treatment_months: number, ends_on: string, treatment_ends_on: string, reviews: boolean, review_interval_months: number | null, responsible_officer: string, treatment_provider: string, residential: boolean, exit_plan: string | null, status: string, status_label: string, ended_on: string | null, end_reason: string | null, recorded_by: string, amendments: Array<OrderAmendment>, timetable: Array<SlotView>, 
/**
 * The timetable's appointments, in time order.
 */
appointments: Array<AppointmentView>, tests: Array<DrrTestView>, failures: Array<FailureView>, breaches: Array<BreachView>, reviews_list: Array<ReviewView>, };

export type DrrSummary = { orders: Array<DrrOrderView>, };

export type DrrLists = { weekdays: Array<Choice>, test_results: Array<Choice>, sample_types: Array<Choice>, court_decisions: Array<Choice>, };

export type NewSlot = { 
/**
 * "1" Monday .. "7" Sunday.
 */
weekday: string, time: string, 
/**
 * "Key work", "Group".
 */
kind: string, place: string, 
/**
 * Empty: the worker setting it.
 */
worker_id: string, 
/**
 * The first week it applies; empty: today.
 */
starts_on: string, };

export type SlotView = { id: string, order_id: string, weekday: number, weekday_label: string, time: string, kind: string, place: string, worker: string, starts_on: string, ended_on: string | null, };

export type NewDrrTest = { appointment: NewAppointment, sample_type: string, };

export type TestResults = { taken_on: string, opiates: string, cocaine: string, benzodiazepines: string, methadone: string, cannabis: string, };

export type DrrTestView = { id: string, order_id: string, appointment: AppointmentView, sample_type: string, sample_type_label: string, taken_on: string | null, 
/**
 * "opiates negative, cocaine positive", once results are recorded.
 */
results: string | null, missed_reason: string | null, };

export type NewFailure = { 
/**
 * Optional: the missed timetable appointment or test.
 */
appointment_id: string, 
/**
 * Empty: the day of the missed appointment.
 */
occurred_on: string, 
/**
 * Empty for a missed appointment: Throughline names it.
 */
what: string, acceptable: boolean | null, reason: string, };

export type CourtDecision = { decision: string, decided_on: string, };

export type Standing = "acceptable" | "warning_due" | "warned" | "breach" | "returned_to_court";

export type WarningView = { id: string, given_on: string, 
/**
 * The last day of the warning period.
 */
period_ends_on: string, letter_produced_at: string | null, given_by: string, };

export type FailureView = { id: string, order_id: string, occurred_on: string, appointment_id: string | null, what: string, acceptable: boolean, reason: string | null, standing: Standing, standing_label: string, warning: WarningView | null, 
/**
 * For a breach: the warning whose period it fell in.
 */
breach_of_warning_on: string | null, recorded_by: string, };

export type BreachView = { id: string, failure_id: string, returned_on: string, court_decision: string | null, court_decision_label: string | null, decided_on: string | null, };

export type NewReview = { review_on: string, court: string, };

export type ReviewOutcome = { outcome: string, 
/**
 * Optional: "23/01/2027". Blank when the court set no further review.
 */
next_review_on: string, };

export type ReviewView = { id: string, order_id: string, review_on: string, court: string, provider_views: string | null, report_produced_at: string | null, outcome: string | null, outcome_recorded_at: string | null, 
/**
 * The date the order's interval suggests for the next review.
 */
suggested_next_on: string | null, };

export type NewSpell = { prison: string, received_on: string, custody_type: string, expected_release_on: string, licence_end_on: string, in_prison_treatment: string, };

export type SpellChange = { custody_type: string, expected_release_on: string, licence_end_on: string, in_prison_treatment: string, };

export type NewTransfer = { to_prison: string, transferred_on: string, };

export type NewRelease = { released_on: string, seen_at_gate: boolean | null, };

export type NewPlan = { accommodation: string, prescribing: string, prescribing_detail: string, naloxone_supplied: boolean | null, gate_contact: string, };

export type ReleaseDateChange = { from: string | null, to: string | null, changed_at: string, changed_by: string, };

export type TransferView = { id: string, from_prison: string, to_prison: string, transferred_on: string, recorded_by: string, };

export type PlanView = { id: string, accommodation: string, prescribing: string, prescribing_label: string, prescribing_detail: string | null, naloxone_supplied: boolean, gate_contact: string | null, recorded_by: string, };

export type Continuity = "within" | "outside" | "not_started" | "open";

export type ContinuityOfCare = { result: Continuity, 
/**
 * The result in words, naming the dates.
 */
label: string, released_on: string, 
/**
 * Day 21 after release: the last day that counts.
 */
deadline: string, treatment_started_on: string | null, 
/**
 * Days from release to treatment start.
 */
days_to_treatment: number | null, };

export type SpellView = { id: string, client_id: string, prison: string, received_on: string, custody_type: string, custody_type_label: string, expected_release_on: string | null, licence_end_on: string | null, in_prison_treatment: string | null, released_on: string | null, seen_at_gate: boolean | null, release_cancelled_on: string | null, release_cancelled_reason: string | null, 
/**
 * Still in prison (no release recorded).
 */
in_prison: boolean, release_date_changes: Array<ReleaseDateChange>, transfers: Array<TransferView>, plan: PlanView | null, 
/**
 * The first community appointment (and any rebooked after it), in time order.
 */
appointments: Array<AppointmentView>, 
/**
 * What is not yet in place for the release, in words.
 */
missing: Array<string>, 
/**
 * After release: community treatment within 21 days, or not, or still open.
 */
continuity: ContinuityOfCare | null, recorded_by: string, };

export type PrisonSummary = { 
/**
 * Newest first.
 */
spells: Array<SpellView>, episodes: Array<EpisodeView>, };

export type PrisonLists = { custody_types: Array<Choice>, prescribing: Array<Choice>, modalities: Array<Choice>, discharge_reasons: Array<Choice>, };

export type EpisodeInput = { service: string, criminal_justice: boolean, referred_on: string, assessed_on: string, treatment_started_on: string, modality: string, discharged_on: string, discharge_reason: string, };

export type EpisodeView = { id: string, client_id: string, service: string, criminal_justice: boolean, referred_on: string, assessed_on: string | null, treatment_started_on: string | null, modality: string | null, modality_label: string | null, discharged_on: string | null, discharge_reason: string | null, discharge_reason_label: string | null, 
/**
 * Days from referral to treatment start (004).
 */
waiting_days: number | null, recorded_by: string, };

export type ComingRelease = { spell_id: string, client_id: string, client_name: string, prison: string, custody_type_label: string, expected_release_on: string, 
/**
 * Days from today; negative when the date has passed with no release recorded.
 */
days_until: number, allocated_worker: string | null, plan_recorded: boolean, 
/**
 * "3 Dec 2026 at 10:00, Westbridge Recovery Hub", when booked.
 */
first_appointment: string | null, 
/**
 * What is not yet in place, in words; empty when everything is.
 */
missing: Array<string>, };

export type ContinuityRate = { 
/**
 * The period's first day (London); it runs to today.
 */
since: string, releases: number, 
/**
 * In community treatment within 21 days.
 */
within: number, 
/**
 * Treatment started after day 21, or not at all by then.
 */
not_within: number, 
/**
 * Still inside the 21 days with no treatment start.
 */
open: number, 
/**
 * `within` as a whole percentage of the releases with a result; none when none has one.
 */
percent_within: number | null, };

export type NewContact = { kind: string, 
/**
 * London date and 24-hour time as typed.
 */
date: string, time: string, summary: string, };

export type NewNote = { text: string, 
/**
 * Optional: the record the note is about.
 */
record_type: string, record_id: string, 
/**
 * Optional: the note this one corrects.
 */
corrects_note_id: string, };

export type ContactView = { id: string, client_id: string, kind: string, kind_label: string, at: string, date: string, time: string, summary: string, recorded_by: string, };

export type NoteView = { id: string, client_id: string, record_type: string | null, record_id: string | null, text: string, corrects_note_id: string | null, 
/**
 * The later note that corrects this one, if any.
 */
corrected_by_note_id: string | null, written_at: string, written_by: string, };

export type ClientNotes = { 
/**
 * Newest first.
 */
contacts: Array<ContactView>, 
/**
 * Newest first.
 */
notes: Array<NoteView>, };

export type Stage = "custody" | "court" | "community" | "prison" | "notes";

export type TimelineEntry = { at: string, 
/**
 * London calendar day.
 */
date: string, stage: Stage, stage_label: string, 
/**
 * What the record is, in words: "Test on arrest".
 */
kind: string, 
/**
 * One line naming the facts.
 */
summary: string, record_type: string, record_id: string, 
/**
 * The client record it belongs to (differs from the one opened for merged records).
 */
client_id: string, };

export type Permission = "casework" | "custody" | "court" | "drr" | "prison" | "lead_team" | "see_workers" | "check_audit" | "administer" | "sync";

export type Severity = "urgent" | "due" | "info";

export type Flag = { 
/**
 * The rule code of domain.md: "CUS-FAIL-ATTEND".
 */
code: string, severity: Severity, 
/**
 * The severity in words, so colour is never the only signal.
 */
severity_label: string, client_id: string, client_name: string, due: string, 
/**
 * A plain-English sentence naming the facts that raised it.
 */
sentence: string, 
/**
 * What clears it.
 */
action: string, 
/**
 * The record it is about ("client" for whole-case flags).
 */
record_type: string, record_id: string, 
/**
 * The worker the client is allocated to, if any.
 */
worker_id: string | null, };

export type Today = { 
/**
 * Today's London date.
 */
date: string, 
/**
 * The day's first [`APPOINTMENTS_SHOWN`] appointments, in time order; the rest on asking.
 */
appointments: Array<DayAppointment>, 
/**
 * How many appointments the worker has today in all.
 */
appointments_total: number, 
/**
 * The caseload's most pressing statutory flags (at most [`FLAGS_SHOWN`]), most severe
 * first, then soonest due; the rest a page at a time from the flags list.
 */
flags: Array<Flag>, 
/**
 * How many statutory flags the caseload has in all.
 */
flags_total: number, 
/**
 * The caseload's whole-case flags, one line per rule, each opening its list.
 */
summaries: Array<FlagSummary>, };

export type FlagSummary = { code: string, severity: Severity, severity_label: string, count: number, words: string, 
/**
 * The earliest due date among them.
 */
oldest_due: string, };

export type FlagCount = { 
/**
 * A rule code, or a worker's id ("" for clients allocated to no one).
 */
key: string, 
/**
 * The rule's title or the worker's name, as the screen shows it.
 */
label: string, urgent: number, due: number, info: number, total: number, 
/**
 * The flag due longest ago: the oldest unresolved.
 */
oldest: Flag, };

export type TeamFlags = { urgent: number, due: number, info: number, total: number, 
/**
 * One line per rule with open flags, in registry order.
 */
by_rule: Array<FlagCount>, 
/**
 * One line per worker with open flags, most urgent first; clients allocated to no one last.
 */
by_worker: Array<FlagCount>, };

export type FlagFilter = { code: string | null, worker_id: string | null, severity: Severity | null, 
/**
 * The first flag of the page, counted from 0.
 */
offset: number, };

export type FlagPage = { 
/**
 * How many flags the whole list holds.
 */
total: number, offset: number, 
/**
 * How many flags a full page holds.
 */
page_size: number, flags: Array<Flag>, };

export type WhereNow = "in_custody" | "on_bail" | "on_drr" | "in_prison" | "released" | "in_treatment" | "not_active";

export type NextAppointment = { kind: string, at: string, 
/**
 * London calendar day and 24-hour time.
 */
date: string, time: string, place: string, };

export type NextDeadline = { code: string, 
/**
 * The flag's sentence naming the facts.
 */
what: string, 
/**
 * What clears it.
 */
action: string, due: string, severity: Severity, severity_label: string, 
/**
 * The due date has passed.
 */
overdue: boolean, };

export type FlagCounts = { urgent: number, due: number, info: number, };

export type SectionGlance = { 
/**
 * The section: "custody", "court", "drr", "prison" or "treatment".
 */
section: string, 
/**
 * "12-month order, review 2 Dec 2026"; "Nothing recorded" when empty.
 */
holds: string, 
/**
 * The person is at this stage now.
 */
current: boolean, };

export type Glance = { client_id: string, where_now: WhereNow, 
/**
 * "On a DRR"
 */
where_label: string, 
/**
 * "On a DRR: 12-month order, next review 2 Dec 2026"
 */
standing: string, next_appointment: NextAppointment | null, next_deadline: NextDeadline | null, flags: FlagCounts, 
/**
 * The worker the person is allocated to.
 */
allocated_worker: string | null, 
/**
 * What each stage's section of the record holds, in the record's order.
 */
sections: Array<SectionGlance>, };

export type Period = { from: string, to: string, };

export type PeriodChoice = "this_week" | "this_month" | "this_quarter" | "last12_months" | "between";

export type DashboardAsk = { period: PeriodChoice, 
/**
 * For `Between`, as typed: "01/04/2026".
 */
from: string, to: string, 
/**
 * One worker's caseload, or the whole team.
 */
worker_id: string | null, };

export type Grain = "week" | "month";

export type Part = { key: string, label: string, count: number, };

export type FigureKind = "count" | "rate" | "median_days" | "now";

export type FigureView = { kind: FigureKind, label: string, 
/**
 * The events counted, and the key that lists the clients behind them.
 */
count: Part, 
/**
 * For a rate: what it is out of.
 */
out_of: Part | null, 
/**
 * For a rate: `count` as a whole percentage of `out_of`; none when `out_of` is 0.
 */
percent: number | null, target_percent: number | null, 
/**
 * For a waiting time: the median in days; none when nothing was counted.
 */
median_days: number | null, 
/**
 * One value per bucket of the dashboard: the count, or for a waiting time the median.
 * Empty for a figure that is a count now.
 */
trend: Array<number | null>, 
/**
 * For a rate: what each bucket's count is out of.
 */
trend_out_of: Array<number>, };

export type BreakdownRow = { 
/**
 * The part's code, which lists its clients.
 */
part: string, label: string, count: number, out_of: number, percent: number | null, };

export type BreakdownView = { title: string, part_heading: string, of: Part, out_of: Part, rows: Array<BreakdownRow>, };

export type SectionView = { key: string, title: string, figures: Array<FigureView>, breakdowns: Array<BreakdownView>, };

export type Dashboard = { period: Period, grain: Grain, 
/**
 * The first day of each week or month of the trends.
 */
buckets: Array<string>, worker_id: string | null, sections: Array<SectionView>, };

export type FigureListAsk = { key: string, period: Period, worker_id: string | null, part: string | null, offset: number, };

export type FigureClient = { on_day: string, client_id: string, client_name: string, date_of_birth: string, worker_name: string | null, };

export type FigureList = { label: string, total: number, offset: number, page_size: number, clients: Array<FigureClient>, };

export type TrackerWeek = { starts_on: string, counts: Array<number>, };

export type Tracker = { period: Period, 
/**
 * Heading, measure key and the period's total, one per column.
 */
columns: Array<Part>, weeks: Array<TrackerWeek>, };

export type ReturnKind = "weekly_tracker" | "monthly_return";

export type TrailProblem = "none" | "changed" | "removed" | "cut_from_end" | "end_replaced" | "anchor_lost" | "not_as_witnessed";

export type EntrySummary = { seq: number, at: string, worker: string | null, action: string, };

export type NewDisclosure = { 
/**
 * As typed: "23/11/2026".
 */
disclosed_on: string, 
/**
 * Who it was shared with (person, role and organisation).
 */
recipient: string, 
/**
 * What was shared.
 */
what: string, 
/**
 * Why it was shared.
 */
purpose: string, 
/**
 * "consent" or "legal_basis".
 */
basis: string, 
/**
 * The legal basis for sharing without consent.
 */
legal_basis: string, };

export type DisclosureView = { id: string, disclosed_on: string, recipient: string, what: string, purpose: string, basis: string, 
/**
 * "With their consent", or "Without consent: <the legal basis>".
 */
basis_label: string, recorded_by: string, recorded_at: string, };

export type CaseForReview = { client_id: string, name: string, date_of_birth: string, closed_on: string, closed_reason_label: string | null, allocated_worker: string | null, 
/**
 * The last time it was kept, if it was: why, by whom, when.
 */
last_kept: string | null, };

export type CasesForReview = { total: number, offset: number, page_size: number, cases: Array<CaseForReview>, };

export type NewRetentionReview = { 
/**
 * "kept" or "anonymised".
 */
decision: string, reason: string, 
/**
 * For a case kept, as typed: "29/11/2027".
 */
review_again_on: string, };

export type Anonymised = { 
/**
 * The records about the person that held names, identifiers or free text, their own
 * included.
 */
records: number, 
/**
 * Earlier changes in the history whose values were removed.
 */
changes: number, };

export type BackupSummary = { folder: string, team_name: string, made_at: string, 
/**
 * The Throughline version that wrote it.
 */
app_version: string, clients: number, audit_entries: number, bytes: number, };

export type BackupSchedule = { 
/**
 * 0: no automatic backups.
 */
every_days: number, folder: string, 
/**
 * The newest backup found in that folder, if it can be reached.
 */
newest: string | null, 
/**
 * False when the folder cannot be reached now (the USB stick is not plugged in).
 */
reachable: boolean, 
/**
 * Why the last automatic backup on this laptop failed, if it did (the shell fills it in).
 */
last_problem: string | null, };

export type TaskProgress = { doing: string, done: number, 
/**
 * 0 while the whole is not known (a check SQLite makes in one go).
 */
total: number, };
