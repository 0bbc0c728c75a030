// The client register: people, their records, caseloads and duplicates.
import { invoke } from "@tauri-apps/api/core";
import type {
  CaseloadPage,
  CaseloadSize,
  ClientRecord,
  DuplicateCandidate,
  DuplicatePage,
  FieldChange,
  Glance,
  NewAlias,
  NewClient,
  NewConsent,
  ReferenceLists,
  SearchResult,
} from "./types";

export interface ClientsApi {
  registerClient(input: NewClient): Promise<string>;
  searchClients(query: string): Promise<SearchResult[]>;
  /** Opens a record: audited as a view. */
  openClient(id: string): Promise<ClientRecord>;
  /** The open record again after a save: not audited as a new view. */
  rereadClient(id: string): Promise<ClientRecord>;
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
  /** The record at a glance: where the person is now, what is next, and what each stage's section holds. */
  clientGlance(clientId: string): Promise<Glance>;
  /** A page of the worker's own active clients, from `offset`, most in need of attention first. */
  myCaseload(offset: number): Promise<CaseloadPage>;
  caseloadSizes(): Promise<CaseloadSize[]>;
  caseloadOf(workerId: string, offset: number): Promise<CaseloadPage>;
  /** `workerId` null: allocated to no one. */
  allocateClient(clientId: string, workerId: string | null): Promise<void>;
  /** A page of the possible duplicates, from `offset`. */
  duplicatePairs(offset: number): Promise<DuplicatePage>;
  dismissDuplicate(firstId: string, secondId: string): Promise<void>;
  /** Returns the merge's id. */
  mergeClients(survivorId: string, mergedId: string, reasons: string): Promise<string>;
  undoMerge(mergeId: string): Promise<void>;
}

export const clientsCommands: ClientsApi = {
  registerClient: (input) => invoke("register_client", { input }),
  searchClients: (query) => invoke("search_clients", { query }),
  openClient: (id) => invoke("open_client", { id }),
  rereadClient: (id) => invoke("reread_client", { id }),
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
  clientGlance: (clientId) => invoke("client_glance", { clientId }),
  myCaseload: (offset) => invoke("my_caseload", { offset }),
  caseloadSizes: () => invoke("caseload_sizes"),
  caseloadOf: (workerId, offset) => invoke("caseload_of", { workerId, offset }),
  allocateClient: (clientId, workerId) => invoke("allocate_client", { clientId, workerId }),
  duplicatePairs: (offset) => invoke("duplicate_pairs", { offset }),
  dismissDuplicate: (firstId, secondId) => invoke("dismiss_duplicate", { firstId, secondId }),
  mergeClients: (survivorId, mergedId, reasons) => invoke("merge_clients", { survivorId, mergedId, reasons }),
  undoMerge: (mergeId) => invoke("undo_merge", { mergeId }),
};
