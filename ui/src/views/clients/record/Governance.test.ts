import { describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/svelte";
import { caseworker, rejection, statement, teamLead } from "../../../test/fakeApi";
import { openRecord } from "../../../test/openRecord";
import type { DisclosureView } from "../../../lib/api/types";

const shared: DisclosureView = {
  id: "d-1",
  disclosed_on: "2026-11-20",
  recipient: "PC Jones, West Yorkshire Police",
  what: "Current address",
  purpose: "A welfare check",
  basis: "legal_basis",
  basis_label: "Without consent: Crime and Disorder Act 1998 s115",
  recorded_by: "Dan Kowalski",
  recorded_at: "2026-11-20T10:00:00Z",
};

describe("Information governance on a record", () => {
  it("a team lead produces the access report, which shows as a printable document", async () => {
    const report = statement({
      title: "Access report",
      paragraphs: ["2 people have accessed this record: Dan Kowalski (viewed once); Priya Shah (printed once).", "23 Nov 2026 at 09:00 — Dan Kowalski viewed: client record."],
    });
    const { api, user } = await openRecord(teamLead, { accessReport: () => Promise.resolve(report) });
    await user.click(await screen.findByRole("button", { name: "Produce the access report" }));
    await screen.findByRole("heading", { level: 1, name: "Access report" });
    expect(document.querySelector(".document")?.textContent).toContain("Dan Kowalski viewed: client record.");
    expect(screen.getByRole("button", { name: "Print" })).toBeTruthy();
    expect(api.accessReport).toHaveBeenCalledWith("c-1");
  });

  it("a caseworker sees the disclosures, records one on a legal basis, and produces the subject access summary", async () => {
    let log: DisclosureView[] = [];
    const message = "Enter the legal basis for sharing without consent.";
    const recordDisclosure = vi.fn((_id: string, input: { legal_basis: string }) => {
      if (!input.legal_basis) return Promise.reject(rejection("validation.required", message, [{ field: "legal_basis", code: "validation.required", message }]));
      log = [shared];
      return Promise.resolve("d-1");
    });
    const summary = statement({
      title: "Subject access summary",
      paragraphs: ["Details", "Name: John Paul Smith", "Disclosures", "20 Nov 2026 — shared with PC Jones"],
      headings: [0, 2],
    });
    const { api, user } = await openRecord(caseworker, {
      clientDisclosures: () => Promise.resolve(log),
      recordDisclosure,
      subjectAccessSummary: () => Promise.resolve(summary),
    });
    await waitFor(() => expect(document.getElementById("disclosures")?.textContent).toContain("Nothing about this person has been recorded as shared."));
    expect(screen.queryByRole("button", { name: "Produce the access report" })).toBeNull();
    await user.type(screen.getByLabelText("Date it was shared"), "20/11/2026");
    await user.type(screen.getByLabelText("Who it was shared with"), shared.recipient);
    await user.type(screen.getByLabelText("What was shared"), shared.what);
    await user.type(screen.getByLabelText("Why it was shared"), shared.purpose);
    await user.click(screen.getByLabelText("Without consent, on a legal basis"));
    await user.click(screen.getByRole("button", { name: "Record the disclosure" }));
    await waitFor(() => expect(document.getElementById("legal_basis-error")?.textContent).toContain(message));
    await user.type(screen.getByLabelText("The legal basis"), "Crime and Disorder Act 1998 s115");
    await user.click(screen.getByRole("button", { name: "Record the disclosure" }));
    await waitFor(() => expect(document.querySelector(".disclosure")?.textContent).toContain("Without consent: Crime and Disorder Act 1998 s115"));
    expect(within(document.getElementById("disclosures")!).getByText("Disclosure recorded.")).toBeTruthy();
    expect(recordDisclosure).toHaveBeenLastCalledWith("c-1", {
      disclosed_on: "20/11/2026",
      recipient: shared.recipient,
      what: shared.what,
      purpose: shared.purpose,
      basis: "legal_basis",
      legal_basis: "Crime and Disorder Act 1998 s115",
    });

    await user.click(screen.getByRole("button", { name: "Produce the subject access summary" }));
    await screen.findByRole("heading", { level: 1, name: "Subject access summary" });
    expect(document.querySelector(".document")?.textContent).toContain("20 Nov 2026 — shared with PC Jones");
    expect(screen.getByRole("heading", { level: 2, name: "Disclosures" })).toBeTruthy();
    expect(api.subjectAccessSummary).toHaveBeenCalledWith("c-1");
  });
});
