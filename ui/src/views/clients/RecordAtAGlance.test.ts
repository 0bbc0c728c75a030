import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/svelte";
import { caseworker, glance, test, teamLead } from "../../test/fakeApi";
import type { ContactView, Glance, TimelineEntry } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";
import { openRecord } from "../../test/openRecord";

/** Someone on a DRR, with custody behind them and nothing yet in prison. */
const onADrr: Glance = glance({
  where_now: "on_drr",
  where_label: "On a DRR",
  standing: "On a DRR: 12-month order, next review 2 Dec 2026",
  next_appointment: { kind: "Key work", at: "2026-11-25T10:00:00Z", date: "2026-11-25", time: "10:00", place: "Westbridge Recovery Hub" },
  next_deadline: {
    code: "DRR-REVIEW-DUE",
    what: "John Paul Smith has a DRR review on 2 Dec 2026 and no progress report is prepared.",
    action: "Prepare the progress report",
    due: "2026-11-27",
    severity: "due",
    severity_label: "Due",
    overdue: false,
  },
  flags: { urgent: 1, due: 2, info: 0 },
  allocated_worker: "Dan Kowalski",
  sections: [
    { section: "custody", holds: "1 test on arrest, latest 3 Mar 2026", current: false },
    { section: "court", holds: "Nothing recorded", current: false },
    { section: "drr", holds: "12-month order, review 2 Dec 2026", current: true },
    { section: "prison", holds: "Nothing recorded", current: false },
    { section: "treatment", holds: "No referral", current: false },
  ],
});

const fold = (id: string) => document.getElementById(`${id}-fold`) as HTMLDetailsElement;

function entries(n: number): TimelineEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    at: `2026-01-${String(i + 1).padStart(2, "0")}T10:00:00Z`,
    date: `2026-01-${String(i + 1).padStart(2, "0")}`,
    stage: "notes",
    stage_label: "Contacts and notes",
    kind: "Phone call",
    summary: `Contact number ${i + 1}`,
    record_type: "contact",
    record_id: `t-${i + 1}`,
    client_id: "c-1",
  }));
}

function contacts(n: number): ContactView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `k-${i + 1}`,
    client_id: "c-1",
    kind: "phone",
    kind_label: "Phone call",
    at: "2026-01-01T10:00:00Z",
    date: "2026-01-01",
    time: "10:00",
    summary: `Call ${i + 1}`,
    recorded_by: "Dan Kowalski",
  }));
}

describe("The record at a glance", () => {
  it("says under the name where the person is now, what is booked and what is due next", async () => {
    const { api } = await openRecord(caseworker, { clientGlance: () => Promise.resolve(onADrr) });
    expect(api.clientGlance).toHaveBeenCalledWith("c-1");
    const panel = await screen.findByRole("region", { name: "At a glance" });
    await waitFor(() => expect(panel.querySelector("strong")?.textContent).toBe("On a DRR: 12-month order, next review 2 Dec 2026"));
    expect(document.getElementById("glance-next-appointment")?.textContent).toContain("Key work, 25 Nov 2026 at 10:00, Westbridge Recovery Hub");
    const deadline = document.getElementById("glance-next-deadline")?.textContent ?? "";
    expect(deadline).toContain("Due");
    expect(deadline).toContain("By 27 Nov 2026: John Paul Smith has a DRR review on 2 Dec 2026");
    expect(document.getElementById("glance-flags")?.textContent).toBe("1 urgent, 2 due");
    expect(document.getElementById("glance-worker")?.textContent).toBe("Dan Kowalski");
    // The panel sits straight under the name.
    const h1 = screen.getByRole("heading", { level: 1, name: "John Paul Smith" });
    expect(h1.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(panel.compareDocumentPosition(document.getElementById("client-flags")!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await expectNoAxeViolations();
  });

  it("says an overdue deadline is overdue, and when nothing is booked or due", async () => {
    const overdue = glance({
      standing: "Released 28 Nov 2026: into treatment by 19 Dec 2026",
      next_deadline: { ...onADrr.next_deadline!, severity: "urgent", severity_label: "Urgent", overdue: true, due: "2026-11-20" },
    });
    await openRecord(caseworker, { clientGlance: () => Promise.resolve(overdue) });
    await waitFor(() => expect(document.getElementById("glance-next-deadline")?.textContent).toContain("Overdue since 20 Nov 2026"));
    expect(document.getElementById("glance-next-appointment")?.textContent).toContain("None booked");
    expect(document.getElementById("glance-flags")?.textContent).toBe("None open");
    expect(document.getElementById("glance-worker")?.textContent).toBe("Not allocated");
  });

  it("folds every stage's section but the current one, with headings that say what each holds", async () => {
    const { user } = await openRecord(caseworker, {
      clientGlance: () => Promise.resolve(onADrr),
      clientCustody: () => Promise.resolve({ tests: [test()], assessments: [], cautions: [] }),
    });
    await waitFor(() => expect(document.getElementById("drr-heading")?.textContent).toContain("Drug Rehabilitation Requirement: 12-month order, review 2 Dec 2026"));
    expect(document.getElementById("custody-heading")?.textContent).toContain("Custody: 1 test on arrest, latest 3 Mar 2026");
    expect(fold("drr").open).toBe(true);
    for (const id of ["custody", "court", "prison", "treatment"]) expect(fold(id).open, id).toBe(false);
    // What custody recorded is folded away; its button for a new test is still at hand.
    expect(fold("custody").querySelector(".test-on-arrest")).not.toBeNull();
    expect(screen.getByRole("button", { name: "Record a test on arrest" })).toBeTruthy();
    // The summary is the browser's own control (Tab reaches it, Enter and Space open it); opened,
    // the record keeps it open.
    const summary = fold("custody").querySelector("summary") as HTMLElement;
    expect(summary.textContent).toBe("Show the tests, assessments and cautions");
    await user.click(summary);
    await waitFor(() => expect(fold("custody").open).toBe(true));
    expect(summary.textContent).toBe("Hide the tests, assessments and cautions");
    await expectNoAxeViolations();
  });

  it("keeps a section the worker opened open when a form returns to the record", async () => {
    const { user } = await openRecord(caseworker, {
      clientGlance: () => Promise.resolve(onADrr),
      clientCustody: () => Promise.resolve({ tests: [test()], assessments: [], cautions: [] }),
    });
    await waitFor(() => expect(fold("custody").open).toBe(false));
    await user.click(fold("custody").querySelector("summary")!);
    await user.click(document.getElementById("record-assessment-t-1")!);
    await screen.findByRole("heading", { level: 1, name: "Initial required assessment" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.activeElement?.id).toBe("record-assessment-t-1"));
    expect(fold("custody").open).toBe(true);
    expect(fold("court").open).toBe(false);
  });

  it("shows the latest ten timeline entries and contacts, and more on asking", async () => {
    const { user } = await openRecord(caseworker, {
      clientTimeline: () => Promise.resolve([...entries(23), { ...entries(1)[0], at: "2099-01-01T10:00:00Z", date: "2099-01-01", summary: "Key work booked", record_id: "t-ahead" }]),
      clientNotes: () => Promise.resolve({ contacts: contacts(12), notes: [] }),
    });
    // The latest ten to date (the 14th to the 23rd), and what is booked ahead.
    await waitFor(() => expect(document.querySelectorAll("#timeline .timeline-entry")).toHaveLength(11));
    const timeline = document.getElementById("timeline")!;
    expect(timeline.textContent).toContain("The latest 10 of 23 entries to date, and 1 booked ahead, oldest first.");
    expect(timeline.querySelector(".timeline-entry")?.textContent).toContain("Contact number 14");
    expect(timeline.textContent).not.toContain("Contact number 13");
    expect(timeline.textContent).toContain("Key work booked");
    await user.click(document.getElementById("timeline-more")!);
    expect(document.querySelectorAll("#timeline .timeline-entry")).toHaveLength(21);
    await user.click(document.getElementById("timeline-more")!);
    expect(document.querySelectorAll("#timeline .timeline-entry")).toHaveLength(24);
    expect(document.getElementById("timeline-more")).toBeNull();
    expect(timeline.textContent).toContain("24 entries, oldest first.");

    expect(document.querySelectorAll("#notes .contact")).toHaveLength(10);
    expect(document.getElementById("notes")?.textContent).toContain("The latest 10 of 12 contacts.");
    await user.click(document.getElementById("contacts-more")!);
    expect(document.querySelectorAll("#notes .contact")).toHaveLength(12);
    expect(document.getElementById("contacts-more")).toBeNull();
  });

  it("moves between sections with ] and [, but not while typing", async () => {
    const { user } = await openRecord(teamLead, { clientGlance: () => Promise.resolve(onADrr), clientTimeline: () => Promise.resolve(entries(2)) });
    await waitFor(() => expect(document.getElementById("drr-heading")?.textContent).toContain("12-month order"));
    expect(document.getElementById("section-keys")?.textContent).toContain("Press ] to move to the next section and [ to the previous one");
    await user.keyboard("]");
    expect(document.activeElement?.id).toBe("client-flags-heading");
    await user.keyboard("]");
    expect(document.activeElement?.id).toBe("custody-heading");
    await user.keyboard("]");
    expect(document.activeElement?.id).toBe("court-heading");
    await user.keyboard("[[");
    expect(document.activeElement?.id).toBe("custody-heading");
    await user.keyboard("{Alt>}{ArrowDown}{/Alt}");
    expect(document.activeElement?.id).toBe("court-heading");
    await user.keyboard("{Alt>}{ArrowUp}{/Alt}");
    expect(document.activeElement?.id).toBe("custody-heading");
    // Typing a bracket in a field types it.
    const select = document.getElementById("timeline-stage") as HTMLSelectElement;
    select.focus();
    await user.keyboard("]");
    expect(document.activeElement).toBe(select);
  });
});
