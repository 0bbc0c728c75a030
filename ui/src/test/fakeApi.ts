// A fake backend for component tests: plain functions with canned answers, no Tauri IPC.
import { vi } from "vitest";
import type { Api } from "../lib/api/index";
import type { ClientRecord, ErrorPayload, ReferenceLists, SearchResult, SessionInfo, TeamSettings, WorkerView } from "../lib/api/types";

export const caseworker: WorkerView = { id: "w-dan", login: "dan", display_name: "Dan Kowalski", roles: ["custody"], active: true };
export const administrator: WorkerView = {
  id: "w-chris",
  login: "chris",
  display_name: "Chris Hall",
  roles: ["administrator", "team_lead"],
  active: true,
};

export const teamLead: WorkerView = { id: "w-tl", login: "priya", display_name: "Priya Shah", roles: ["team_lead", "court"], active: true };

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
};

export function sessionFor(worker: WorkerView): SessionInfo {
  return { worker, team_name: "Leeds CJ Drug Team", idle_lock_minutes: 5 };
}

export function rejection(code: string, message: string, fields: ErrorPayload["fields"] = []): ErrorPayload {
  return { code, message, fields };
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

export type FakeApi = { [K in keyof Api]: Api[K] & ReturnType<typeof vi.fn> } & {
  /** Plays the backend's "session-locked" event. */
  fireLocked(login: string): void;
};

const unexpected = (name: string) => () => Promise.reject(rejection("test.unexpected", `The test did not expect ${name}.`));

/** Signed out on a set-up laptop unless `over` says otherwise; anything unplanned rejects. */
export function fakeApi(over: Partial<Api> = {}): FakeApi {
  const lockedListeners = new Set<(login: string) => void>();
  const base: Api = {
    appStatus: () => Promise.resolve({ set_up: true, session: null, locked_login: null }),
    setUp: unexpected("set_up"),
    signIn: unexpected("sign_in"),
    signOut: () => Promise.resolve(),
    lock: () => Promise.resolve(),
    touch: () => Promise.resolve(),
    resetPasswordWithRecoveryKey: unexpected("reset_password_with_recovery_key"),
    listWorkers: unexpected("list_workers"),
    addWorker: unexpected("add_worker"),
    setWorkerPassword: unexpected("set_worker_password"),
    getTeamSettings: () => Promise.resolve({ ...teamSettings }),
    saveTeamSettings: unexpected("save_team_settings"),
    verifyAuditChain: unexpected("verify_audit_chain"),
    registerClient: unexpected("register_client"),
    searchClients: () => Promise.resolve([]),
    openClient: unexpected("open_client"),
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
    myCaseload: () => Promise.resolve([]),
    caseloadSizes: () => Promise.resolve([]),
    caseloadOf: () => Promise.resolve([]),
    allocateClient: unexpected("allocate_client"),
    duplicatePairs: () => Promise.resolve([]),
    dismissDuplicate: unexpected("dismiss_duplicate"),
    mergeClients: unexpected("merge_clients"),
    undoMerge: unexpected("undo_merge"),
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
    appStatus: () => Promise.resolve({ set_up: true, session: sessionFor(worker), locked_login: null }),
    ...over,
  });
}
