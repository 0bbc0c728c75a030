// Information governance: the access report.
import { invoke } from "@tauri-apps/api/core";
import type { Document } from "./types";

export interface GovernanceApi {
  /** Team leads and administrators: everyone who accessed this person's data. Audited. */
  accessReport(clientId: string): Promise<Document>;
}

export const governanceCommands: GovernanceApi = {
  accessReport: (clientId) => invoke("access_report", { clientId }),
};
