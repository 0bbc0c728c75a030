// Generated from the Rust types in throughline-core: do not edit. `make types` rewrites it.

export type FieldError = { field: string, code: string, message: string, };

export type ErrorPayload = { code: string, message: string, 
/**
 * Empty unless the error is about particular fields of a form.
 */
fields: Array<FieldError>, };

export type Role = "custody" | "court" | "community" | "prison_link" | "team_lead" | "administrator";

export type WorkerView = { id: string, login: string, display_name: string, roles: Array<Role>, active: boolean, };

export type NewWorker = { display_name: string, login: string, roles: Array<Role>, password: string, };

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
consent_review_months: number, };

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
nhs_number: string | null, prison_number: string | null, primary_substance: string | null, secondary_substance: string | null, injecting_status: string | null, substances_label: string | null, injecting_label: string | null, risk_notes: string | null, status: ClientStatus, closed_reason: string | null, closed_reason_label: string | null, 
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
worker_id: string | null, worker: string, roles: Array<Role>, active_clients: bigint, };

export type DuplicateCandidate = { client: SearchResult, reasons: Array<string>, 
/**
 * True when an identifier matches: registering again would be wrong.
 */
same_identifier: boolean, };

export type DuplicatePair = { first: SearchResult, second: SearchResult, reasons: Array<string>, same_identifier: boolean, };

export type ChainCheck = { entries: bigint, 
/**
 * The first entry that does not match its hash or its predecessor, if any.
 */
first_broken_entry: bigint | null, };

export type AppStatus = { 
/**
 * False on first launch: the set-up screen comes first.
 */
set_up: boolean, session: SessionInfo | null, 
/**
 * Who was signed in when the app locked: their name is filled in on the sign-in form.
 */
locked_login: string | null, };

export type SetUpDone = { session: SessionInfo, recovery_key: string, };
