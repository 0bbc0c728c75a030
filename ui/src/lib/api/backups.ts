// Backups: written and checked by an administrator, restored on a new laptop with the recovery
// key. Each command opens the system's folder dialog itself and resolves to null when it is
// cancelled.
import { invoke } from "@tauri-apps/api/core";
import type { BackupSchedule, BackupSummary } from "./types";

export interface BackupsApi {
  backUp(): Promise<BackupSummary | null>;
  verifyBackup(): Promise<BackupSummary | null>;
  restoreBackup(recoveryKey: string): Promise<BackupSummary | null>;
  backupSchedule(): Promise<BackupSchedule>;
  /** 0 turns automatic backups off; otherwise the folder dialog opens (null: cancelled). */
  setBackupSchedule(everyDays: number): Promise<BackupSchedule | null>;
}

export const backupsCommands: BackupsApi = {
  backUp: () => invoke("back_up"),
  verifyBackup: () => invoke("verify_backup"),
  restoreBackup: (recoveryKey) => invoke("restore_backup", { recoveryKey }),
  backupSchedule: () => invoke("backup_schedule"),
  setBackupSchedule: (everyDays) => invoke("set_backup_schedule", { everyDays }),
};
