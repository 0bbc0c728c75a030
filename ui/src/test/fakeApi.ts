// A fake backend for component tests: plain functions with canned answers, no Tauri IPC.
import { vi } from "vitest";
import type { Api } from "../lib/api/index";
import type {
  CaseloadPage,
  CaseloadPerson,
  Glance,
  AppointmentView,
  AssessmentView,
  BailView,
  ClientRecord,
  Document,
  FailureReport,
  ErrorCode,
  ErrorPayload,
  Flag,
  HearingView,
  OwnerType,
  PathwayLists,
  PrisonLists,
  ReferenceLists,
  SearchResult,
  SessionInfo,
  TeamSettings,
  TestView,
  WorkerView,
} from "../lib/api/types";

export const caseworker: WorkerView = { id: "w-dan", login: "dan", display_name: "Dan Kowalski", roles: ["custody"], permissions: ["casework", "custody", "sync"], active: true };
export const administrator: WorkerView = {
  id: "w-chris",
  login: "chris",
  display_name: "Chris Hall",
  roles: ["administrator", "team_lead"],
  permissions: ["casework", "custody", "court", "drr", "prison", "lead_team", "see_workers", "check_audit", "administer", "sync"],
  active: true,
};

export const teamLead: WorkerView = { id: "w-tl", login: "priya", display_name: "Priya Shah", roles: ["team_lead", "court"], permissions: ["casework", "custody", "court", "drr", "prison", "lead_team", "see_workers", "check_audit", "sync"], active: true };

/** A short copy of the backend's lists (core/src/clients/reference.rs). */
export const referenceLists: ReferenceLists = {
  ethnicities: [
    { value: "asian_indian", label: "Indian", group: "Asian, Asian British or Asian Welsh" },
    { value: "black_african", label: "African", group: "Black, Black British, Black Welsh, Caribbean or African" },
    { value: "white_british", label: "English, Welsh, Scottish, Northern Irish or British", group: "White" },
    { value: "white_irish", label: "Irish", group: "White" },
    { value: "not_stated", label: "Not stated", group: "" },
  ],
  substances: [
    { value: "heroin", label: "Heroin", group: "" },
    { value: "crack", label: "Crack cocaine", group: "" },
    { value: "alcohol", label: "Alcohol", group: "" },
  ],
  injecting: [
    { value: "never", label: "Never injected", group: "" },
    { value: "currently", label: "Injecting now", group: "" },
  ],
  close_reasons: [
    { value: "treatment_completed", label: "Treatment completed", group: "" },
    { value: "moved_away", label: "Moved out of the area", group: "" },
    { value: "other", label: "Other", group: "" },
  ],
};

/** The team settings' defaults (core/src/accounts/settings.rs). */
export const teamSettings: TeamSettings = {
  idle_lock_minutes: 5,
  consent_review_months: 12,
  assessment_booking_days: 1,
  appointment_outcome_days: 1,
  hearing_soon_working_days: 2,
  case_no_contact_days: 28,
  drr_warning_months: 12,
  drr_review_due_days: 7,
  drr_ending_days: 14,
  prison_release_plan_days: 14,
  prison_treatment_urgent_days: 14,
  continuity_target_percent: 75,
  retention_years: 8,
  backup_every_days: 0,
  backup_folder: "",
};

export function sessionFor(worker: WorkerView): SessionInfo {
  return { worker, team_name: "Leeds CJ Drug Team", idle_lock_minutes: 5 };
}

export function rejection(code: ErrorCode, message: string, fields: ErrorPayload["fields"] = []): ErrorPayload {
  return { code, message, fields };
}

/** A caseload's page holding `people`, of `total` in all (the page's own length by default). */
export function caseloadPage(people: (SearchResult | CaseloadPerson)[], total = people.length, offset = 0): CaseloadPage {
  return { total, offset, page_size: 100, people: people.map((p) => ("person" in p ? p : onCaseload(p))) };
}

/** A person as a caseload lists them: nothing needing attention unless `over` says so. */
export function onCaseload(p: SearchResult, over: Partial<CaseloadPerson> = {}): CaseloadPerson {
  return { person: p, stage: "Not active", standing: "Not active: nothing current", urgent: 0, due: 0, next_appointment: null, ...over };
}

/**
 * A record at a glance. By default it says nothing of the stage sections, so the record shows
 * them all open as before; a test of folding gives `sections`.
 */
export function glance(over: Partial<Glance> = {}): Glance {
  return {
    client_id: "c-1",
    where_now: "not_active",
    where_label: "Not active",
    standing: "Not active: nothing current",
    next_appointment: null,
    next_deadline: null,
    flags: { urgent: 0, due: 0, info: 0 },
    allocated_worker: null,
    sections: [],
    ...over,
  };
}

export function person(over: Partial<SearchResult> = {}): SearchResult {
  return {
    id: "c-1",
    surname: "Smith",
    forenames: "John Paul",
    aliases: [],
    date_of_birth: "1987-03-03",
    age: 39,
    pnc: "2019/0012345B",
    status: "active",
    allocated_worker: "Dan Kowalski",
    ...over,
  };
}

export function record(over: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id: "c-1",
    surname: "Smith",
    forenames: "John Paul",
    date_of_birth: "1987-03-03",
    age: 39,
    sex: "male",
    gender_identity: null,
    ethnicity: null,
    ethnicity_label: null,
    no_fixed_abode: false,
    address: null,
    postcode: null,
    gp: null,
    phone: null,
    pnc: "2019/0012345B",
    nhs_number: "943 476 5919",
    prison_number: null,
    primary_substance: null,
    secondary_substance: null,
    injecting_status: null,
    substances_label: null,
    injecting_label: null,
    risk_notes: null,
    status: "active",
    closed_reason: null,
    closed_reason_label: null,
    closed_at: null,
    anonymised_at: null,
    merged_into: null,
    allocated_worker_id: "w-dan",
    allocated_worker: "Dan Kowalski",
    registered_at: "2026-03-03T14:05:00Z",
    registered_by: "Dan Kowalski",
    aliases: [],
    consents: [],
    has_current_consent: false,
    merges: [],
    ...over,
  };
}

/** A short copy of the backend's pathway lists (core/src/appointments, custody, court, notes). */
/** A short copy of the backend's prison lists (core/src/prison). */
export const prisonLists: PrisonLists = {
  custody_types: [
    { value: "remanded", label: "Remanded", group: "" },
    { value: "sentenced", label: "Sentenced", group: "" },
  ],
  prescribing: [
    { value: "bridging_arranged", label: "Bridging prescription arranged", group: "" },
    { value: "not_arranged", label: "Not yet arranged", group: "" },
  ],
  modalities: [
    { value: "prescribing", label: "Opioid substitution prescribing", group: "" },
    { value: "psychosocial", label: "Psychosocial interventions", group: "" },
  ],
  discharge_reasons: [
    { value: "completed_drug_free", label: "Completed: free of dependence", group: "" },
    { value: "dropped_out", label: "Dropped out", group: "" },
  ],
};

export const pathwayLists: PathwayLists = {
  trigger_offences: [
    { value: "theft", label: "Theft", group: "" },
    { value: "burglary", label: "Burglary", group: "" },
    { value: "possession_class_a", label: "Possession of a Class A drug", group: "" },
  ],
  test_results: [
    { value: "positive", label: "Positive", group: "" },
    { value: "negative", label: "Negative", group: "" },
    { value: "refused", label: "Refused", group: "" },
    { value: "not_tested", label: "Not tested", group: "" },
  ],
  sample_types: [
    { value: "oral_fluid", label: "Oral fluid (saliva)", group: "" },
    { value: "urine", label: "Urine", group: "" },
  ],
  hearing_types: [
    { value: "first_appearance", label: "First appearance", group: "" },
    { value: "sentence", label: "Sentence", group: "" },
  ],
  bail_statuses: [
    { value: "unconditional", label: "Unconditional bail", group: "" },
    { value: "conditional", label: "Conditional bail", group: "" },
    { value: "remanded", label: "Remanded in custody", group: "" },
  ],
  contact_kinds: [
    { value: "custody_cold_call", label: "Cold call in custody", group: "" },
    { value: "phone", label: "Phone call", group: "" },
  ],
  cancelled_by: [
    { value: "client", label: "The client", group: "" },
    { value: "service", label: "The service", group: "" },
  ],
  timeline_stages: [
    { value: "custody", label: "Custody", group: "" },
    { value: "court", label: "Court", group: "" },
    { value: "community", label: "Community", group: "" },
    { value: "prison", label: "Prison", group: "" },
    { value: "notes", label: "Contacts and notes", group: "" },
  ],
};

export function flag(over: Partial<Flag> = {}): Flag {
  return {
    code: "CUS-FAIL-ATTEND",
    severity: "urgent",
    severity_label: "Urgent",
    client_id: "c-1",
    client_name: "John Paul Smith",
    due: "2026-03-04",
    sentence: "John Paul Smith did not attend the initial assessment booked for 3 Mar 2026 at 10:00.",
    action: "Produce the evidential statement and mark it sent to the police.",
    record_type: "appointment",
    record_id: "ap-1",
    worker_id: "w-custody",
    ...over,
  };
}

export function test(over: Partial<TestView> = {}): TestView {
  return {
    id: "t-1",
    client_id: "c-1",
    custody_suite: "Leeds Bridewell",
    arrested_at: "2026-03-03T09:00:00Z",
    trigger_offence: "theft",
    trigger_offence_label: "Theft",
    discretionary: false,
    tested_at: "2026-03-03T10:30:00Z",
    opiates: "positive",
    cocaine: "negative",
    positive: true,
    disputed: false,
    sent_for_confirmation: false,
    sample_type: "oral_fluid",
    sample_type_label: "Oral fluid (saliva)",
    recorded_by: "Dan Kowalski",
    initial_assessment_id: null,
    ...over,
  };
}

/** What core says a failure of each owner's appointment produces (appointments::OwnerType). */
const FAILURE_REPORTS: Partial<Record<OwnerType, FailureReport>> = {
  required_assessment: {
    document: "evidential_statement",
    document_label: "Evidential statement",
    produce_label: "Produce the evidential statement",
    reprint_label: "Reprint the statement",
    reported_to: "police",
    reported_label: "sent to the police",
  },
  restriction_on_bail: {
    document: "breach_notice",
    document_label: "Breach notice",
    produce_label: "Produce the breach of bail notice",
    reprint_label: "Reprint the breach notice",
    reported_to: "court",
    reported_label: "reported to the court",
  },
};

export function appointment(over: Partial<AppointmentView> = {}): AppointmentView {
  const owner = over.owner_type ?? "required_assessment";
  return {
    failure_report: FAILURE_REPORTS[owner] ?? null,
    asks_remained: owner === "required_assessment",
    id: "ap-1",
    client_id: "c-1",
    owner_type: "required_assessment",
    owner_id: "ra-1",
    kind: "Initial required assessment",
    at: "2026-03-05T10:00:00Z",
    date: "2026-03-05",
    time: "10:00",
    place: "Leeds Bridewell",
    worker_id: "w-dan",
    worker: "Dan Kowalski",
    status: "scheduled",
    status_label: "Booked",
    remained: null,
    cancelled_by: null,
    outcome_recorded_at: null,
    failed: false,
    awaiting_outcome: true,
    failure_document_at: null,
    failure_reported_at: null,
    variations: [],
    ...over,
  };
}

export function assessment(over: Partial<AssessmentView> = {}): AssessmentView {
  return {
    id: "ra-1",
    client_id: "c-1",
    kind: "initial",
    kind_label: "Initial required assessment",
    test_id: "t-1",
    initial_assessment_id: null,
    appointment: appointment(),
    notice_given_at: "2026-03-03T10:45:00Z",
    notice_given_by: "Dan Kowalski",
    follow_up_required: null,
    decided_at: null,
    decided_by: null,
    follow_up_id: null,
    awaiting_decision: false,
    ...over,
  };
}

export function hearing(over: Partial<HearingView> = {}): HearingView {
  return {
    id: "h-1",
    client_id: "c-1",
    court: "Leeds Magistrates' Court",
    at: "2026-03-04T10:00:00Z",
    date: "2026-03-04",
    time: "10:00",
    hearing_type: "first_appearance",
    hearing_type_label: "First appearance",
    outcome: null,
    next_hearing_on: null,
    court_note: null,
    note_recorded_at: null,
    recorded_by: "Priya Shah",
    ...over,
  };
}

export function bail(over: Partial<BailView> = {}): BailView {
  return {
    id: "b-1",
    client_id: "c-1",
    hearing_id: "h-1",
    decided_on: "2026-03-04",
    bail_status: "conditional",
    bail_status_label: "Conditional bail",
    conditions: "Live and sleep at 1 Leeds Road",
    restriction_on_bail: true,
    rob_appointments: [],
    recorded_by: "Priya Shah",
    ...over,
  };
}

export function statement(over: Partial<Document> = {}): Document {
  return {
    title: "Evidential statement: failure to attend or remain for a required assessment",
    subject: "John Paul Smith, born 3 Mar 1987",
    paragraphs: [
      "This statement concerns John Paul Smith, born 3 Mar 1987, PNC number 2019/0012345B.",
      "John Paul Smith did not attend the initial required assessment at Leeds Bridewell on 5 Mar 2026 at 10:00.",
    ],
    signed_by: "Dan Kowalski",
    produced_on: "2026-03-06",
    produced_at: "2026-03-06T09:00:00Z",
    client_id: "c-1",
    record_type: "appointment",
    record_id: "ap-1",
    ...over,
  };
}

export type FakeApi = { [K in keyof Api]: Api[K] & ReturnType<typeof vi.fn> } & {
  /** Plays the backend's "session-locked" event. */
  fireLocked(login: string): void;
};

const unexpected = (name: string) => () => Promise.reject(rejection("ui.unexpected", `The test did not expect ${name}.`));

/** Signed out on a set-up laptop unless `over` says otherwise; anything unplanned rejects. */
export function fakeApi(over: Partial<Api> = {}): FakeApi {
  const lockedListeners = new Set<(login: string) => void>();
  const base: Api = {
    appStatus: () => Promise.resolve({ version: "0.1.0", set_up: true, session: null, locked_login: null }),
    setUp: unexpected("set_up"),
    signIn: unexpected("sign_in"),
    signOut: () => Promise.resolve(),
    lock: () => Promise.resolve(),
    touch: () => Promise.resolve(),
    resetPasswordWithRecoveryKey: unexpected("reset_password_with_recovery_key"),
    listWorkers: unexpected("list_workers"),
    addWorker: unexpected("add_worker"),
    setWorkerPassword: unexpected("set_worker_password"),
    keysWaiting: () => Promise.resolve([]),
    vouchForKey: unexpected("vouch_for_key"),
    ownKey: () => Promise.resolve({ fingerprint: "4F2A9 1C30D 7EB2A 855F1", known: true }),
    deactivateWorker: unexpected("deactivate_worker"),
    hasRecoveryKey: () => Promise.resolve(true),
    makeRecoveryKey: unexpected("make_recovery_key"),
    getTeamSettings: () => Promise.resolve({ ...teamSettings }),
    saveTeamSettings: unexpected("save_team_settings"),
    verifyAuditChain: unexpected("verify_audit_chain"),
    accessReport: unexpected("access_report"),
    recordDisclosure: unexpected("record_disclosure"),
    clientDisclosures: () => Promise.resolve([]),
    subjectAccessSummary: unexpected("subject_access_summary"),
    casesForRetentionReview: () => Promise.resolve({ total: 0, offset: 0, page_size: 50, cases: [] }),
    reviewRetention: unexpected("review_retention"),
    registerClient: unexpected("register_client"),
    searchClients: () => Promise.resolve([]),
    openClient: unexpected("open_client"),
    // The record read again after a save answers as opening it does, unless a test says otherwise.
    rereadClient: (id: string) => (over.openClient ?? unexpected("reread_client"))(id),
    changeOwnPassword: unexpected("change_own_password"),
    referenceLists: () => Promise.resolve(referenceLists),
    duplicateCandidates: () => Promise.resolve([]),
    updateClient: unexpected("update_client"),
    closeClient: unexpected("close_client"),
    reopenClient: unexpected("reopen_client"),
    addAlias: unexpected("add_alias"),
    removeAlias: unexpected("remove_alias"),
    recordConsent: unexpected("record_consent"),
    withdrawConsent: unexpected("withdraw_consent"),
    clientHistory: () => Promise.resolve([]),
    clientGlance: () => Promise.resolve(glance()),
    myCaseload: () => Promise.resolve(caseloadPage([])),
    caseloadSizes: () => Promise.resolve([]),
    caseloadOf: () => Promise.resolve(caseloadPage([])),
    allocateClient: unexpected("allocate_client"),
    duplicatePairs: () => Promise.resolve({ total: 0, offset: 0, page_size: 25, pairs: [] }),
    dismissDuplicate: unexpected("dismiss_duplicate"),
    mergeClients: unexpected("merge_clients"),
    undoMerge: unexpected("undo_merge"),
    pathwayLists: () => Promise.resolve(pathwayLists),
    recordTest: unexpected("record_test"),
    clientCustody: () => Promise.resolve({ tests: [], assessments: [], cautions: [] }),
    recordAssessment: unexpected("record_assessment"),
    decideFollowUp: unexpected("decide_follow_up"),
    produceFailureStatement: unexpected("produce_failure_statement"),
    produceAssessmentNotice: unexpected("produce_assessment_notice"),
    produceChangedTimeNotice: unexpected("produce_changed_time_notice"),
    saveDocumentPdf: unexpected("save_document_pdf"),
    recordCaution: unexpected("record_caution"),
    bookAppointment: unexpected("book_appointment"),
    rescheduleAppointment: unexpected("reschedule_appointment"),
    cancelAppointment: unexpected("cancel_appointment"),
    recordAppointmentOutcome: unexpected("record_appointment_outcome"),
    markFailureReported: unexpected("mark_failure_reported"),
    recordHearing: unexpected("record_hearing"),
    recordHearingOutcome: unexpected("record_hearing_outcome"),
    recordCourtNote: unexpected("record_court_note"),
    recordBail: unexpected("record_bail"),
    recordSuitability: unexpected("record_suitability"),
    clientCourt: () => Promise.resolve({ hearings: [], bail: [], suitability: [] }),
    produceBreachNotice: unexpected("produce_breach_notice"),
    recordContact: unexpected("record_contact"),
    addCaseNote: unexpected("add_case_note"),
    clientNotes: () => Promise.resolve({ contacts: [], notes: [] }),
    clientTimeline: () => Promise.resolve([]),
    clientFlags: () => Promise.resolve([]),
    today: () => Promise.resolve({ date: "2026-03-05", appointments: [], appointments_total: 0, flags: [], flags_total: 0, summaries: [] }),
    todayAppointments: unexpected("today_appointments"),
    teamFlags: () => Promise.resolve({ urgent: 0, due: 0, info: 0, total: 0, by_rule: [], by_worker: [] }),
    flagsPage: () => Promise.resolve({ total: 0, offset: 0, page_size: 50, flags: [] }),
    dashboard: () => Promise.resolve({ period: { from: "2026-03-01", to: "2026-03-05" }, grain: "week", buckets: ["2026-02-23", "2026-03-02"], worker_id: null, sections: [] }),
    figureList: () => Promise.resolve({ label: "", total: 0, offset: 0, page_size: 50, clients: [] }),
    weeklyTracker: () => Promise.resolve({ period: { from: "2026-03-01", to: "2026-03-05" }, columns: [], weeks: [] }),
    saveReturn: unexpected("save_return"),
    backUp: unexpected("back_up"),
    verifyBackup: unexpected("verify_backup"),
    restoreBackup: unexpected("restore_backup"),
    cancelTask: unexpected("cancel_task"),
    backupSchedule: () => Promise.resolve({ every_days: 0, folder: "", newest: null, reachable: false, last_problem: null }),
    setBackupSchedule: unexpected("set_backup_schedule"),
    drrLists: () =>
      Promise.resolve({
        weekdays: [
          { value: "2", label: "Tuesday", group: "" },
          { value: "4", label: "Thursday", group: "" },
        ],
        test_results: [
          { value: "negative", label: "Negative", group: "" },
          { value: "positive", label: "Positive", group: "" },
          { value: "not_tested", label: "Not tested", group: "" },
        ],
        sample_types: [{ value: "urine", label: "Urine", group: "" }],
        court_decisions: [{ value: "continues", label: "Order continues", group: "" }],
      }),
    clientDrr: () => Promise.resolve({ orders: [] }),
    recordDrrOrder: unexpected("record_drr_order"),
    amendDrrOrder: unexpected("amend_drr_order"),
    recordDrrExitPlan: unexpected("record_drr_exit_plan"),
    endDrrOrder: unexpected("end_drr_order"),
    addDrrTimetableSlot: unexpected("add_drr_timetable_slot"),
    bookDrrTimetableAhead: unexpected("book_drr_timetable_ahead"),
    endDrrTimetableSlot: unexpected("end_drr_timetable_slot"),
    bookDrrTest: unexpected("book_drr_test"),
    recordDrrTestResults: unexpected("record_drr_test_results"),
    recordDrrTestMissed: unexpected("record_drr_test_missed"),
    recordDrrFailure: unexpected("record_drr_failure"),
    giveDrrWarning: unexpected("give_drr_warning"),
    produceDrrWarningLetter: unexpected("produce_drr_warning_letter"),
    recordDrrBreach: unexpected("record_drr_breach"),
    recordDrrCourtDecision: unexpected("record_drr_court_decision"),
    scheduleDrrReview: unexpected("schedule_drr_review"),
    recordDrrProviderViews: unexpected("record_drr_provider_views"),
    produceDrrProgressReport: unexpected("produce_drr_progress_report"),
    produceDrrAppointmentCard: unexpected("produce_drr_appointment_card"),
    recordDrrReviewOutcome: unexpected("record_drr_review_outcome"),
    prisonLists: () => Promise.resolve(prisonLists),
    clientPrison: () => Promise.resolve({ spells: [], episodes: [] }),
    recordPrisonSpell: unexpected("record_prison_spell"),
    changePrisonSpell: unexpected("change_prison_spell"),
    recordPrisonTransfer: unexpected("record_prison_transfer"),
    cancelPrisonRelease: unexpected("cancel_prison_release"),
    recordRelease: unexpected("record_release"),
    saveThroughcarePlan: unexpected("save_throughcare_plan"),
    produceHandoverSummary: unexpected("produce_handover_summary"),
    produceReleasePlan: unexpected("produce_release_plan"),
    recordReferral: unexpected("record_referral"),
    updateTreatmentEpisode: unexpected("update_treatment_episode"),
    comingReleases: () => Promise.resolve([]),
    releasesThisWeek: () => Promise.resolve([]),
    continuityRate: () => Promise.resolve({ since: "2025-12-05", releases: 0, within: 0, not_within: 0, open: 0, percent_within: null }),
    syncStatus: unexpected("sync_status"),
    exportBundle: unexpected("export_bundle"),
    importBundles: unexpected("import_bundles"),
    syncConflicts: () => Promise.resolve([]),
    settleConflict: unexpected("settle_conflict"),
    makeJoinFile: unexpected("make_join_file"),
    makeHubFile: unexpected("make_hub_file"),
    revokeDevice: unexpected("revoke_device"),
    chooseJoinFile: unexpected("choose_join_file"),
    joinTeam: unexpected("join_team"),
    onLocked: (callback) => {
      lockedListeners.add(callback);
      return Promise.resolve(() => lockedListeners.delete(callback));
    },
  };
  const merged = { ...base, ...over } as Record<string, (...a: unknown[]) => unknown>;
  const fake = Object.fromEntries(Object.entries(merged).map(([k, fn]) => [k, vi.fn(fn)])) as unknown as FakeApi;
  fake.fireLocked = (login) => lockedListeners.forEach((cb) => cb(login));
  return fake;
}

/** A fake where `worker` is already signed in. */
export function signedInApi(worker: WorkerView, over: Partial<Api> = {}): FakeApi {
  return fakeApi({
    appStatus: () => Promise.resolve({ version: "0.1.0", set_up: true, session: sessionFor(worker), locked_login: null }),
    ...over,
  });
}
