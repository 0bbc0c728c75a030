// Backups: written and checked by an administrator, restored on a new laptop with the recovery
// key. Each command opens the system's folder dialog itself and resolves to null when it is
// cancelled.
import { invoke } from "@tauri-apps/api/core";
import { progressChannel, type OnProgress } from "./tasks";
import type { BackupSchedule, BackupSummary } from "./types";

export interface BackupsApi {
  backUp(onProgress?: OnProgress): Promise<BackupSummary | null>;
  verifyBackup(onProgress?: OnProgress): Promise<BackupSummary | null>;
  restoreBackup(recoveryKey: string, onProgress?: OnProgress): Promise<BackupSummary | null>;
  backupSchedule(): Promise<BackupSchedule>;
  /** 0 turns automatic backups off; otherwise the folder dialog opens (null: cancelled). */
  setBackupSchedule(everyDays: number): Promise<BackupSchedule | null>;
}

export const backupsCommands: BackupsApi = {
  backUp: (onProgress) => invoke("back_up", { progress: progressChannel(onProgress) }),
  verifyBackup: (onProgress) => invoke("verify_backup", { progress: progressChannel(onProgress) }),
  restoreBackup: (recoveryKey, onProgress) => invoke("restore_backup", { recoveryKey, progress: progressChannel(onProgress) }),
  backupSchedule: () => invoke("backup_schedule"),
  setBackupSchedule: (everyDays) => invoke("set_backup_schedule", { everyDays }),
};
