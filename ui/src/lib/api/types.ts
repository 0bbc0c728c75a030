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
idle_lock_minutes: number, };

export type Sex = "female" | "male" | "not_known";

export type ClientStatus = "active" | "closed";

export type NewClient = { surname: string, forenames: string, 
/**
 * As typed: "03/03/1987" or "1987-03-03".
 */
date_of_birth: string, 
/**
 * "female", "male" or "not_known"; empty when not chosen.
 */
sex: string, pnc: string, nhs_number: string, };

export type SearchResult = { id: string, surname: string, forenames: string, date_of_birth: string, age: number, pnc: string | null, status: ClientStatus, allocated_worker: string | null, };

export type ClientRecord = { id: string, surname: string, forenames: string, date_of_birth: string, age: number, sex: Sex, pnc: string | null, 
/**
 * Grouped for reading: "943 476 5919".
 */
nhs_number: string | null, status: ClientStatus, allocated_worker: string | null, registered_at: string, registered_by: string, };

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
