// The one door to the backend. Components take an `Api` from context (see `context.ts`), so tests
// hand them a fake instead of mocking Tauri's IPC.
import type { ErrorCode, ErrorPayload, FieldError } from "./types";
import { sessionCommands, type SessionApi } from "./session";
import { clientsCommands, type ClientsApi } from "./clients";
import { pathwayCommands, type PathwayApi } from "./pathway";
import { drrCommands, type DrrApi } from "./drr";
import { prisonCommands, type PrisonApi } from "./prison";
import { dashboardCommands, type DashboardApi } from "./dashboard";
import { syncCommands, type SyncApi } from "./sync";
import { governanceCommands, type GovernanceApi } from "./governance";
import { backupsCommands, type BackupsApi } from "./backups";
import { tasksCommands, type TasksApi } from "./tasks";
import { documentsCommands, type DocumentsApi } from "./documents";

export type { OnProgress } from "./tasks";

export type * from "./types";

export type { Unlisten } from "./session";
export type { BookableOwner } from "./pathway";

/** Everything the UI asks of the backend, one file an area (`session.ts`, `clients.ts`, ...). */
export interface Api extends SessionApi, ClientsApi, PathwayApi, DrrApi, PrisonApi, DashboardApi, SyncApi, GovernanceApi, BackupsApi, TasksApi, DocumentsApi {}

export const tauriApi: Api = {
  ...sessionCommands,
  ...clientsCommands,
  ...pathwayCommands,
  ...drrCommands,
  ...prisonCommands,
  ...dashboardCommands,
  ...syncCommands,
  ...governanceCommands,
  ...backupsCommands,
  ...tasksCommands,
  ...documentsCommands,
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
