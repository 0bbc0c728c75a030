// Backups: written and checked by an administrator, restored on a new laptop with the recovery
// key. Each command opens the system's folder dialog itself and resolves to null when it is
// cancelled.
import { invoke } from "@tauri-apps/api/core";
import type { BackupSummary } from "./types";

export interface BackupsApi {
  backUp(): Promise<BackupSummary | null>;
  verifyBackup(): Promise<BackupSummary | null>;
  restoreBackup(recoveryKey: string): Promise<BackupSummary | null>;
}

export const backupsCommands: BackupsApi = {
  backUp: () => invoke("back_up"),
  verifyBackup: () => invoke("verify_backup"),
  restoreBackup: (recoveryKey) => invoke("restore_backup", { recoveryKey }),
};
