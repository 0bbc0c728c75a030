// Signing in, the session, workers and team settings.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { progressChannel, type OnProgress } from "./tasks";
import type {
  AppStatus,
  ChainCheck,
  Deactivated,
  KeyWaiting,
  OwnKey,
  NewWorker,
  SessionInfo,
  SetUpDone,
  SetUpInput,
  TeamSettings,
  WorkerView,
} from "./types";

export type Unlisten = () => void;

export interface SessionApi {
  appStatus(): Promise<AppStatus>;
  setUp(input: SetUpInput): Promise<SetUpDone>;
  /** Signs in; the first sign-in after an update tells `onProgress` how bringing the records up to date goes. */
  signIn(login: string, password: string, onProgress?: OnProgress): Promise<SessionInfo>;
  signOut(): Promise<void>;
  lock(): Promise<void>;
  touch(): Promise<void>;
  resetPasswordWithRecoveryKey(recoveryKey: string, login: string, newPassword: string): Promise<void>;
  listWorkers(): Promise<WorkerView[]>;
  addWorker(input: NewWorker): Promise<WorkerView>;
  setWorkerPassword(workerId: string, password: string): Promise<void>;
  /** Workers' keys waiting for an administrator to vouch for them (administrators). */
  keysWaiting(): Promise<KeyWaiting[]>;
  /** An administrator vouches for a waiting key, having read its fingerprint with its worker. */
  vouchForKey(key: string): Promise<KeyWaiting>;
  /** The signed-in worker's signing key on this laptop, and whether the team knows it. */
  ownKey(): Promise<OwnKey | null>;
  /** Deactivates a worker: their key slot here is removed and the database re-keyed. */
  deactivateWorker(workerId: string, onProgress?: OnProgress): Promise<Deactivated>;
  /** Whether this laptop has a recovery key that opens it (administrators). */
  hasRecoveryKey(): Promise<boolean>;
  /** A new recovery key for this laptop, shown once; the one before opens nothing here. */
  makeRecoveryKey(): Promise<string>;
  getTeamSettings(): Promise<TeamSettings>;
  saveTeamSettings(settings: TeamSettings): Promise<void>;
  /** Checks every entry of the audit trail, telling `onProgress` how far it has got; Cancel stops it. */
  verifyAuditChain(onProgress?: OnProgress): Promise<ChainCheck>;
  changeOwnPassword(currentPassword: string, newPassword: string): Promise<void>;
  /** The backend locked an idle session; `login` is who was signed in. */
  onLocked(callback: (login: string) => void): Promise<Unlisten>;
}

export const sessionCommands: SessionApi = {
  appStatus: () => invoke("app_status"),
  setUp: (input) => invoke("set_up", { input }),
  signIn: (login, password, onProgress) => invoke("sign_in", { login, password, progress: progressChannel(onProgress) }),
  signOut: () => invoke("sign_out"),
  lock: () => invoke("lock"),
  touch: () => invoke("touch"),
  resetPasswordWithRecoveryKey: (recoveryKey, login, newPassword) =>
    invoke("reset_password_with_recovery_key", { recoveryKey, login, newPassword }),
  listWorkers: () => invoke("list_workers"),
  addWorker: (input) => invoke("add_worker", { input }),
  setWorkerPassword: (workerId, password) => invoke("set_worker_password", { workerId, password }),
  keysWaiting: () => invoke("keys_waiting"),
  vouchForKey: (key) => invoke("vouch_for_key", { key }),
  ownKey: () => invoke("own_key"),
  deactivateWorker: (workerId, onProgress) => invoke("deactivate_worker", { workerId, progress: progressChannel(onProgress) }),
  hasRecoveryKey: () => invoke("has_recovery_key"),
  makeRecoveryKey: () => invoke("make_recovery_key"),
  getTeamSettings: () => invoke("get_team_settings"),
  saveTeamSettings: (settings) => invoke("save_team_settings", { settings }),
  verifyAuditChain: (onProgress) => invoke("verify_audit_chain", { progress: progressChannel(onProgress) }),
  changeOwnPassword: (currentPassword, newPassword) => invoke("change_own_password", { currentPassword, newPassword }),
  onLocked: (callback) => listen<{ login: string }>("session-locked", (event) => callback(event.payload.login)),
};
