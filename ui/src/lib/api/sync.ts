// Sync by file: status, bundles, the conflicts inbox, the team's laptops, and joining a team.
import { invoke } from "@tauri-apps/api/core";
import { progressChannel, type OnProgress } from "./tasks";
import type {
  Conflict,
  ExportScope,
  Exported,
  Imported,
  HubFileSaved,
  JoinFileSaved,
  NewLaptop,
  SetUpDone,
  Settle,
  SyncStatus,
} from "./types";

export interface SyncApi {
  syncStatus(): Promise<SyncStatus>;
  /** Opens the system's save dialog; null when cancelled. `onProgress` hears how far it has got. */
  exportBundle(scope: ExportScope, onProgress?: OnProgress): Promise<Exported | null>;
  /** Opens the system's open dialog (several files at once); one result a file chosen. */
  importBundles(onProgress?: OnProgress): Promise<Imported[]>;
  syncConflicts(): Promise<Conflict[]>;
  settleConflict(settle: Settle): Promise<void>;
  /** Team leads: enrol a laptop and save its join file; null when the dialog is cancelled. */
  makeJoinFile(laptop: NewLaptop, onProgress?: OnProgress): Promise<JoinFileSaved | null>;
  /** Team leads: enrol the partnership hub and save its enrolment file; null when cancelled. */
  makeHubFile(label: string, onProgress?: OnProgress): Promise<HubFileSaved | null>;
  revokeDevice(deviceId: string): Promise<void>;
  /** First launch: choose the join file; its name, or null when cancelled. */
  chooseJoinFile(): Promise<string | null>;
  joinTeam(passphrase: string, password: string, onProgress?: OnProgress): Promise<SetUpDone>;
}

export const syncCommands: SyncApi = {
  syncStatus: () => invoke("sync_status"),
  exportBundle: (scope, onProgress) => invoke("export_bundle", { scope, progress: progressChannel(onProgress) }),
  importBundles: (onProgress) => invoke("import_bundles", { progress: progressChannel(onProgress) }),
  syncConflicts: () => invoke("sync_conflicts"),
  settleConflict: (settle) => invoke("settle_conflict", { settle }),
  makeJoinFile: (laptop, onProgress) => invoke("make_join_file", { laptop, progress: progressChannel(onProgress) }),
  makeHubFile: (label, onProgress) => invoke("make_hub_file", { label, progress: progressChannel(onProgress) }),
  revokeDevice: (deviceId) => invoke("revoke_device", { deviceId }),
  chooseJoinFile: () => invoke("choose_join_file"),
  joinTeam: (passphrase, password, onProgress) =>
    invoke("join_team", { passphrase, password, progress: progressChannel(onProgress) }),
};
