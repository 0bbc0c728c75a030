import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/svelte";
import { caseworker, statement, teamLead } from "../../../test/fakeApi";
import { openRecord } from "../../../test/openRecord";

describe("Information governance on a record", () => {
  it("a team lead produces the access report, which shows as a printable document", async () => {
    const report = statement({
      title: "Access report",
      subject: "John Paul Smith, born 3 Mar 1987",
      paragraphs: ["2 people have accessed this record: Dan Kowalski (viewed once); Priya Shah (printed once).", "23 Nov 2026 at 09:00 — Dan Kowalski viewed: client record."],
    });
    const { api, user } = await openRecord(teamLead, { accessReport: () => Promise.resolve(report) });
    await user.click(await screen.findByRole("button", { name: "Produce the access report" }));
    await screen.findByRole("heading", { level: 1, name: "Access report" });
    expect(document.querySelector(".document")?.textContent).toContain("Dan Kowalski viewed: client record.");
    expect(screen.getByRole("button", { name: "Print" })).toBeTruthy();
    expect(api.accessReport).toHaveBeenCalledWith("c-1");
  });

  it("is not offered to a caseworker", async () => {
    await openRecord(caseworker);
    await waitFor(() => expect(document.getElementById("history")).not.toBeNull());
    expect(screen.queryByRole("button", { name: "Produce the access report" })).toBeNull();
  });
});
