// Information governance: the access report, the disclosure log, the subject access summary,
// the retention review.
import { invoke } from "@tauri-apps/api/core";
import type { Anonymised, CasesForReview, DisclosureView, Document, NewDisclosure, NewRetentionReview } from "./types";

export interface GovernanceApi {
  /** Team leads and administrators: everyone who accessed this person's data. Audited. */
  accessReport(clientId: string): Promise<Document>;
  /** Returns the disclosure's id. */
  recordDisclosure(clientId: string, input: NewDisclosure): Promise<string>;
  clientDisclosures(clientId: string): Promise<DisclosureView[]>;
  /** Everything held about the person, printable. Audited. */
  subjectAccessSummary(clientId: string): Promise<Document>;
  /** Team leads: a page of the closed cases past the retention period, longest closed first,
   * from `offset`, and how many are due in all. Each one listed is audited. */
  casesForRetentionReview(offset: number): Promise<CasesForReview>;
  /** Team leads: keep a case with a reason and a date, or anonymise it for good. */
  reviewRetention(clientId: string, input: NewRetentionReview): Promise<Anonymised>;
}

export const governanceCommands: GovernanceApi = {
  accessReport: (clientId) => invoke("access_report", { clientId }),
  recordDisclosure: (clientId, input) => invoke("record_disclosure", { clientId, input }),
  clientDisclosures: (clientId) => invoke("client_disclosures", { clientId }),
  subjectAccessSummary: (clientId) => invoke("subject_access_summary", { clientId }),
  casesForRetentionReview: (offset) => invoke("cases_for_retention_review", { offset }),
  reviewRetention: (clientId, input) => invoke("review_retention", { clientId, input }),
};
