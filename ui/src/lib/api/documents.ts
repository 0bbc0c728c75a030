// Documents as files: any document produced (a notice, a statement, a letter, a report) saved as
// a PDF through the system's save dialog, which the shell opens so the path never comes from here.
import { invoke } from "@tauri-apps/api/core";
import type { Document } from "./types";

export interface DocumentsApi {
  /** Where the PDF was saved, or null when the dialog was cancelled. */
  saveDocumentPdf(document: Document): Promise<string | null>;
}

export const documentsCommands: DocumentsApi = {
  saveDocumentPdf: (document) => invoke("save_document_pdf", { document }),
};
