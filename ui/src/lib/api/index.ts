// The one door to the backend. Components take an `Api` from context (see `context.ts`), so tests
// hand them a fake instead of mocking Tauri's IPC.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AppStatus,
  CaseloadSize,
  ChainCheck,
  ClientRecord,
  DuplicateCandidate,
  DuplicatePair,
  ErrorCode,
  ErrorPayload,
  FieldChange,
  FieldError,
  NewAlias,
  NewClient,
  NewConsent,
  ReferenceLists,
  NewWorker,
  SearchResult,
  SessionInfo,
  SetUpDone,
  SetUpInput,
  TeamSettings,
  WorkerView,
  ClientNotes,
  CourtSummary,
  CustodySummary,
  Document,
  Flag,
  FlagFilter,
  FlagPage,
  TeamFlags,
  HearingOutcome,
  NewAppointment,
  NewAssessment,
  NewBailDecision,
  NewCaution,
  NewContact,
  NewHearing,
  NewNote,
  NewOutcome,
  NewSuitability,
  NewTestOnArrest,
  PathwayLists,
  TimelineEntry,
  Today,
  CourtDecision,
  DrrLists,
  DrrSummary,
  NewDrrTest,
  NewFailure,
  NewOrder,
  NewReview,
  NewSlot,
  OrderEnding,
  ReviewOutcome,
  TestResults,
  ComingRelease,
  ContinuityRate,
  EpisodeInput,
  NewPlan,
  NewRelease,
  NewSpell,
  NewTransfer,
  PrisonLists,
  PrisonSummary,
  SpellChange,
  Dashboard,
  DashboardAsk,
  FigureList,
  FigureListAsk,
  ReturnKind,
  Tracker,
} from "./types";

export type * from "./types";

export type Unlisten = () => void;

/** What `book_appointment` books for (required assessments are booked from their test). */
export type BookableOwner = "conditional_caution" | "restriction_on_bail" | "throughcare" | "general";

export interface Api {
  appStatus(): Promise<AppStatus>;
  setUp(input: SetUpInput): Promise<SetUpDone>;
  signIn(login: string, password: string): Promise<SessionInfo>;
  signOut(): Promise<void>;
  lock(): Promise<void>;
  touch(): Promise<void>;
  resetPasswordWithRecoveryKey(recoveryKey: string, login: string, newPassword: string): Promise<void>;
  listWorkers(): Promise<WorkerView[]>;
  addWorker(input: NewWorker): Promise<WorkerView>;
  setWorkerPassword(workerId: string, password: string): Promise<void>;
  getTeamSettings(): Promise<TeamSettings>;
  saveTeamSettings(settings: TeamSettings): Promise<void>;
  verifyAuditChain(): Promise<ChainCheck>;
  registerClient(input: NewClient): Promise<string>;
  searchClients(query: string): Promise<SearchResult[]>;
  /** Opens a record: audited as a view. */
  openClient(id: string): Promise<ClientRecord>;
  /** The open record again after a save: not audited as a new view. */
  rereadClient(id: string): Promise<ClientRecord>;
  changeOwnPassword(currentPassword: string, newPassword: string): Promise<void>;
  referenceLists(): Promise<ReferenceLists>;
  /** Records that may be the person on a half-filled registration form. */
  duplicateCandidates(input: NewClient): Promise<DuplicateCandidate[]>;
  /** The names of the fields that changed. */
  updateClient(id: string, input: NewClient): Promise<string[]>;
  closeClient(id: string, reason: string): Promise<void>;
  reopenClient(id: string): Promise<void>;
  addAlias(clientId: string, input: NewAlias): Promise<string>;
  removeAlias(aliasId: string): Promise<void>;
  recordConsent(clientId: string, input: NewConsent): Promise<string>;
  withdrawConsent(consentId: string): Promise<void>;
  /** Newest first. */
  clientHistory(id: string): Promise<FieldChange[]>;
  myCaseload(): Promise<SearchResult[]>;
  caseloadSizes(): Promise<CaseloadSize[]>;
  caseloadOf(workerId: string): Promise<SearchResult[]>;
  /** `workerId` null: allocated to no one. */
  allocateClient(clientId: string, workerId: string | null): Promise<void>;
  duplicatePairs(): Promise<DuplicatePair[]>;
  dismissDuplicate(firstId: string, secondId: string): Promise<void>;
  /** Returns the merge's id. */
  mergeClients(survivorId: string, mergedId: string, reasons: string): Promise<string>;
  undoMerge(mergeId: string): Promise<void>;
  // The pathway: custody, court, appointments, contacts and notes, the timeline and flags.
  pathwayLists(): Promise<PathwayLists>;
  /** Returns the test's id. */
  recordTest(clientId: string, input: NewTestOnArrest): Promise<string>;
  clientCustody(clientId: string): Promise<CustodySummary>;
  /** Returns the assessment's id. */
  recordAssessment(clientId: string, input: NewAssessment): Promise<string>;
  /** RA4 (`required`, with an optional booking) or RA5 (not required). */
  decideFollowUp(assessmentId: string, required: boolean, booking: NewAppointment | null): Promise<void>;
  produceFailureStatement(appointmentId: string): Promise<Document>;
  recordCaution(clientId: string, input: NewCaution): Promise<string>;
  bookAppointment(clientId: string, ownerType: BookableOwner, ownerId: string, input: NewAppointment): Promise<string>;
  /** RA2: a variation of the time (or place). */
  rescheduleAppointment(appointmentId: string, input: NewAppointment): Promise<void>;
  cancelAppointment(appointmentId: string, cancelledBy: string): Promise<void>;
  recordAppointmentOutcome(appointmentId: string, input: NewOutcome): Promise<void>;
  /** The statement was sent to the police, or the breach reported to the court. */
  markFailureReported(appointmentId: string): Promise<void>;
  recordHearing(clientId: string, input: NewHearing): Promise<string>;
  recordHearingOutcome(hearingId: string, input: HearingOutcome): Promise<void>;
  recordCourtNote(hearingId: string, note: string): Promise<void>;
  recordBail(clientId: string, input: NewBailDecision): Promise<string>;
  recordSuitability(clientId: string, input: NewSuitability): Promise<string>;
  clientCourt(clientId: string): Promise<CourtSummary>;
  produceBreachNotice(appointmentId: string): Promise<Document>;
  recordContact(clientId: string, input: NewContact): Promise<string>;
  addCaseNote(clientId: string, input: NewNote): Promise<string>;
  clientNotes(clientId: string): Promise<ClientNotes>;
  /** Oldest first. */
  clientTimeline(clientId: string): Promise<TimelineEntry[]>;
  /** Most severe first, then soonest due. */
  clientFlags(clientId: string): Promise<Flag[]>;
  today(): Promise<Today>;
  /** Team leads: the team's open flags counted by rule, severity and worker. */
  teamFlags(): Promise<TeamFlags>;
  /** One page of a list of flags, most pressing first (a worker's own caseload unless a team lead). */
  flagsPage(filter: FlagFilter): Promise<FlagPage>;
  // The team lead's dashboard and returns.
  dashboard(ask: DashboardAsk): Promise<Dashboard>;
  /** The clients behind a figure, a page at a time, latest first. */
  figureList(ask: FigureListAsk): Promise<FigureList>;
  weeklyTracker(ask: DashboardAsk): Promise<Tracker>;
  /** Opens the system's save dialog; the path saved to, or null when cancelled. */
  saveReturn(kind: ReturnKind, ask: DashboardAsk): Promise<string | null>;
  // The Drug Rehabilitation Requirement (community workers and team leads).
  drrLists(): Promise<DrrLists>;
  clientDrr(clientId: string): Promise<DrrSummary>;
  /** Returns the order's id. */
  recordDrrOrder(clientId: string, input: NewOrder): Promise<string>;
  amendDrrOrder(orderId: string, input: NewOrder): Promise<void>;
  recordDrrExitPlan(orderId: string, plan: string): Promise<void>;
  endDrrOrder(orderId: string, input: OrderEnding): Promise<void>;
  addDrrTimetableSlot(orderId: string, input: NewSlot): Promise<string>;
  /** Returns how many appointments were booked. */
  bookDrrTimetableAhead(orderId: string): Promise<number>;
  endDrrTimetableSlot(slotId: string, lastDay: string): Promise<void>;
  bookDrrTest(orderId: string, input: NewDrrTest): Promise<string>;
  recordDrrTestResults(testId: string, input: TestResults): Promise<void>;
  recordDrrTestMissed(testId: string, reason: string): Promise<void>;
  recordDrrFailure(orderId: string, input: NewFailure): Promise<string>;
  giveDrrWarning(failureId: string, givenOn: string): Promise<string>;
  produceDrrWarningLetter(warningId: string): Promise<Document>;
  recordDrrBreach(failureId: string, returnedOn: string): Promise<string>;
  recordDrrCourtDecision(breachId: string, input: CourtDecision): Promise<void>;
  scheduleDrrReview(orderId: string, input: NewReview): Promise<string>;
  recordDrrProviderViews(reviewId: string, views: string): Promise<void>;
  produceDrrProgressReport(reviewId: string): Promise<Document>;
  /** Returns the next review's id, if the court set one. */
  recordDrrReviewOutcome(reviewId: string, input: ReviewOutcome): Promise<string | null>;
  // Prison, release and throughcare; referrals and treatment episodes.
  prisonLists(): Promise<PrisonLists>;
  clientPrison(clientId: string): Promise<PrisonSummary>;
  /** Returns the spell's id. */
  recordPrisonSpell(clientId: string, input: NewSpell): Promise<string>;
  changePrisonSpell(spellId: string, input: SpellChange): Promise<void>;
  recordPrisonTransfer(spellId: string, input: NewTransfer): Promise<string>;
  /** Further remand: the expected release will not happen. */
  cancelPrisonRelease(spellId: string, reason: string): Promise<void>;
  recordRelease(spellId: string, input: NewRelease): Promise<void>;
  saveThroughcarePlan(spellId: string, input: NewPlan): Promise<string>;
  produceHandoverSummary(spellId: string): Promise<Document>;
  recordReferral(clientId: string, input: EpisodeInput): Promise<string>;
  updateTreatmentEpisode(episodeId: string, input: EpisodeInput): Promise<void>;
  /** Expected releases up to `days` ahead (and any passed with no release), soonest first. */
  comingReleases(days: number): Promise<ComingRelease[]>;
  releasesThisWeek(): Promise<ComingRelease[]>;
  /** How the releases of the last `days` days fared against the 21-day ambition. */
  continuityRate(days: number): Promise<ContinuityRate>;
  /** The backend locked an idle session; `login` is who was signed in. */
  onLocked(callback: (login: string) => void): Promise<Unlisten>;
}

export const tauriApi: Api = {
  appStatus: () => invoke("app_status"),
  setUp: (input) => invoke("set_up", { input }),
  signIn: (login, password) => invoke("sign_in", { login, password }),
  signOut: () => invoke("sign_out"),
  lock: () => invoke("lock"),
  touch: () => invoke("touch"),
  resetPasswordWithRecoveryKey: (recoveryKey, login, newPassword) =>
    invoke("reset_password_with_recovery_key", { recoveryKey, login, newPassword }),
  listWorkers: () => invoke("list_workers"),
  addWorker: (input) => invoke("add_worker", { input }),
  setWorkerPassword: (workerId, password) => invoke("set_worker_password", { workerId, password }),
  getTeamSettings: () => invoke("get_team_settings"),
  saveTeamSettings: (settings) => invoke("save_team_settings", { settings }),
  verifyAuditChain: () => invoke("verify_audit_chain"),
  registerClient: (input) => invoke("register_client", { input }),
  searchClients: (query) => invoke("search_clients", { query }),
  openClient: (id) => invoke("open_client", { id }),
  rereadClient: (id) => invoke("reread_client", { id }),
  changeOwnPassword: (currentPassword, newPassword) => invoke("change_own_password", { currentPassword, newPassword }),
  referenceLists: () => invoke("reference_lists"),
  duplicateCandidates: (input) => invoke("duplicate_candidates", { input }),
  updateClient: (id, input) => invoke("update_client", { id, input }),
  closeClient: (id, reason) => invoke("close_client", { id, reason }),
  reopenClient: (id) => invoke("reopen_client", { id }),
  addAlias: (clientId, input) => invoke("add_alias", { clientId, input }),
  removeAlias: (aliasId) => invoke("remove_alias", { aliasId }),
  recordConsent: (clientId, input) => invoke("record_consent", { clientId, input }),
  withdrawConsent: (consentId) => invoke("withdraw_consent", { consentId }),
  clientHistory: (id) => invoke("client_history", { id }),
  myCaseload: () => invoke("my_caseload"),
  caseloadSizes: () => invoke("caseload_sizes"),
  caseloadOf: (workerId) => invoke("caseload_of", { workerId }),
  allocateClient: (clientId, workerId) => invoke("allocate_client", { clientId, workerId }),
  duplicatePairs: () => invoke("duplicate_pairs"),
  dismissDuplicate: (firstId, secondId) => invoke("dismiss_duplicate", { firstId, secondId }),
  mergeClients: (survivorId, mergedId, reasons) => invoke("merge_clients", { survivorId, mergedId, reasons }),
  undoMerge: (mergeId) => invoke("undo_merge", { mergeId }),
  pathwayLists: () => invoke("pathway_lists"),
  recordTest: (clientId, input) => invoke("record_test", { clientId, input }),
  clientCustody: (clientId) => invoke("client_custody", { clientId }),
  recordAssessment: (clientId, input) => invoke("record_assessment", { clientId, input }),
  decideFollowUp: (assessmentId, required, booking) => invoke("decide_follow_up", { assessmentId, required, booking }),
  produceFailureStatement: (appointmentId) => invoke("produce_failure_statement", { appointmentId }),
  recordCaution: (clientId, input) => invoke("record_caution", { clientId, input }),
  bookAppointment: (clientId, ownerType, ownerId, input) => invoke("book_appointment", { clientId, ownerType, ownerId, input }),
  rescheduleAppointment: (appointmentId, input) => invoke("reschedule_appointment", { appointmentId, input }),
  cancelAppointment: (appointmentId, cancelledBy) => invoke("cancel_appointment", { appointmentId, cancelledBy }),
  recordAppointmentOutcome: (appointmentId, input) => invoke("record_appointment_outcome", { appointmentId, input }),
  markFailureReported: (appointmentId) => invoke("mark_failure_reported", { appointmentId }),
  recordHearing: (clientId, input) => invoke("record_hearing", { clientId, input }),
  recordHearingOutcome: (hearingId, input) => invoke("record_hearing_outcome", { hearingId, input }),
  recordCourtNote: (hearingId, note) => invoke("record_court_note", { hearingId, note }),
  recordBail: (clientId, input) => invoke("record_bail", { clientId, input }),
  recordSuitability: (clientId, input) => invoke("record_suitability", { clientId, input }),
  clientCourt: (clientId) => invoke("client_court", { clientId }),
  produceBreachNotice: (appointmentId) => invoke("produce_breach_notice", { appointmentId }),
  recordContact: (clientId, input) => invoke("record_contact", { clientId, input }),
  addCaseNote: (clientId, input) => invoke("add_case_note", { clientId, input }),
  clientNotes: (clientId) => invoke("client_notes", { clientId }),
  clientTimeline: (clientId) => invoke("client_timeline", { clientId }),
  clientFlags: (clientId) => invoke("client_flags", { clientId }),
  today: () => invoke("today"),
  teamFlags: () => invoke("team_flags"),
  flagsPage: (filter) => invoke("flags_page", { filter }),
  dashboard: (ask) => invoke("dashboard", { ask }),
  figureList: (ask) => invoke("figure_list", { ask }),
  weeklyTracker: (ask) => invoke("weekly_tracker", { ask }),
  saveReturn: (kind, ask) => invoke("save_return", { kind, ask }),
  drrLists: () => invoke("drr_lists"),
  clientDrr: (clientId) => invoke("client_drr", { clientId }),
  recordDrrOrder: (clientId, input) => invoke("record_drr_order", { clientId, input }),
  amendDrrOrder: (orderId, input) => invoke("amend_drr_order", { orderId, input }),
  recordDrrExitPlan: (orderId, plan) => invoke("record_drr_exit_plan", { orderId, plan }),
  endDrrOrder: (orderId, input) => invoke("end_drr_order", { orderId, input }),
  addDrrTimetableSlot: (orderId, input) => invoke("add_drr_timetable_slot", { orderId, input }),
  bookDrrTimetableAhead: (orderId) => invoke("book_drr_timetable_ahead", { orderId }),
  endDrrTimetableSlot: (slotId, lastDay) => invoke("end_drr_timetable_slot", { slotId, lastDay }),
  bookDrrTest: (orderId, input) => invoke("book_drr_test", { orderId, input }),
  recordDrrTestResults: (testId, input) => invoke("record_drr_test_results", { testId, input }),
  recordDrrTestMissed: (testId, reason) => invoke("record_drr_test_missed", { testId, reason }),
  recordDrrFailure: (orderId, input) => invoke("record_drr_failure", { orderId, input }),
  giveDrrWarning: (failureId, givenOn) => invoke("give_drr_warning", { failureId, givenOn }),
  produceDrrWarningLetter: (warningId) => invoke("produce_drr_warning_letter", { warningId }),
  recordDrrBreach: (failureId, returnedOn) => invoke("record_drr_breach", { failureId, returnedOn }),
  recordDrrCourtDecision: (breachId, input) => invoke("record_drr_court_decision", { breachId, input }),
  scheduleDrrReview: (orderId, input) => invoke("schedule_drr_review", { orderId, input }),
  recordDrrProviderViews: (reviewId, views) => invoke("record_drr_provider_views", { reviewId, views }),
  produceDrrProgressReport: (reviewId) => invoke("produce_drr_progress_report", { reviewId }),
  recordDrrReviewOutcome: (reviewId, input) => invoke("record_drr_review_outcome", { reviewId, input }),
  prisonLists: () => invoke("prison_lists"),
  clientPrison: (clientId) => invoke("client_prison", { clientId }),
  recordPrisonSpell: (clientId, input) => invoke("record_prison_spell", { clientId, input }),
  changePrisonSpell: (spellId, input) => invoke("change_prison_spell", { spellId, input }),
  recordPrisonTransfer: (spellId, input) => invoke("record_prison_transfer", { spellId, input }),
  cancelPrisonRelease: (spellId, reason) => invoke("cancel_prison_release", { spellId, reason }),
  recordRelease: (spellId, input) => invoke("record_release", { spellId, input }),
  saveThroughcarePlan: (spellId, input) => invoke("save_throughcare_plan", { spellId, input }),
  produceHandoverSummary: (spellId) => invoke("produce_handover_summary", { spellId }),
  recordReferral: (clientId, input) => invoke("record_referral", { clientId, input }),
  updateTreatmentEpisode: (episodeId, input) => invoke("update_treatment_episode", { episodeId, input }),
  comingReleases: (days) => invoke("coming_releases", { days }),
  releasesThisWeek: () => invoke("releases_this_week"),
  continuityRate: (days) => invoke("continuity_rate", { days }),
  onLocked: (callback) => listen<{ login: string }>("session-locked", (event) => callback(event.payload.login)),
};

/** Codes that mean "there is no working session": the sign-in screen must come back. */
export const SESSION_ENDED: readonly ErrorCode[] = ["auth.locked", "auth.signed_out"];

/** Any rejection as an ErrorPayload, so a screen always has a sentence to show. */
export function asErrorPayload(e: unknown): ErrorPayload {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const p = e as Partial<ErrorPayload>;
    return {
      // The shell sends only core's codes (codes.rs).
      code: String(p.code) as ErrorCode,
      message: String(p.message),
      fields: Array.isArray(p.fields) ? (p.fields as FieldError[]) : [],
    };
  }
  return {
    code: "ui.unexpected",
    message: "Something went wrong. Try again, and if it keeps happening tell your administrator.",
    fields: [],
  };
}

export function isSessionEnded(e: unknown): boolean {
  return !!e && typeof e === "object" && "code" in e && SESSION_ENDED.includes((e as ErrorPayload).code);
}

/**
 * Wraps an Api so that any command rejected because the session is locked or signed out tells
 * `onSessionEnded`, which puts the sign-in screen back. The rejection still reaches the caller.
 */
export function guardSession(api: Api, onSessionEnded: (code: ErrorCode) => void): Api {
  const guarded = { ...api } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api)) {
    if (name === "onLocked" || typeof fn !== "function") continue;
    guarded[name] = (...args: unknown[]) =>
      (fn as (...a: unknown[]) => Promise<unknown>).apply(api, args).catch((e: unknown) => {
        if (isSessionEnded(e)) onSessionEnded((e as ErrorPayload).code);
        throw e;
      });
  }
  return guarded as unknown as Api;
}
