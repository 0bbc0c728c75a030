// Information governance: the access report, the disclosure log, the subject access summary.
import { invoke } from "@tauri-apps/api/core";
import type { DisclosureView, Document, NewDisclosure } from "./types";

export interface GovernanceApi {
  /** Team leads and administrators: everyone who accessed this person's data. Audited. */
  accessReport(clientId: string): Promise<Document>;
  /** Returns the disclosure's id. */
  recordDisclosure(clientId: string, input: NewDisclosure): Promise<string>;
  clientDisclosures(clientId: string): Promise<DisclosureView[]>;
  /** Everything held about the person, printable. Audited. */
  subjectAccessSummary(clientId: string): Promise<Document>;
}

export const governanceCommands: GovernanceApi = {
  accessReport: (clientId) => invoke("access_report", { clientId }),
  recordDisclosure: (clientId, input) => invoke("record_disclosure", { clientId, input }),
  clientDisclosures: (clientId) => invoke("client_disclosures", { clientId }),
  subjectAccessSummary: (clientId) => invoke("subject_access_summary", { clientId }),
};
