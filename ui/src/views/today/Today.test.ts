import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, flag, record, signedInApi, teamLead } from "../../test/fakeApi";
import type { DayAppointment } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";

function dayAppointment(over: Partial<DayAppointment>): DayAppointment {
  return {
    id: "ap-1",
    at: "2026-03-05T14:00:00Z",
    time: "14:00",
    client_id: "c-1",
    client_name: "John Paul Smith",
    kind: "Initial required assessment",
    place: "Leeds Bridewell",
    owner_type: "required_assessment",
    status: "scheduled",
    status_label: "Booked",
    ...over,
  };
}

describe("Today", () => {
  it("is the first screen: today's appointments in time order, then statutory flags as the core orders them, each opening the client", async () => {
    const api = signedInApi(caseworker, {
      today: () =>
        Promise.resolve({
          date: "2026-03-05",
          // In time order, as core reads them.
          appointments: [
            dayAppointment({ id: "ap-early", at: "2026-03-05T09:30:00Z", time: "09:30", client_id: "c-2", client_name: "Amy Jones", kind: "Restriction on Bail appointment", place: "Leeds Magistrates' Court" }),
            dayAppointment({ id: "ap-late", at: "2026-03-05T14:00:00Z", time: "14:00" }),
          ],
          appointments_total: 2,
          flags: [
            flag({ code: "CUS-FAIL-ATTEND", severity: "urgent", severity_label: "Urgent", due: "2026-03-04" }),
            flag({ code: "APPT-NO-OUTCOME", severity: "due", severity_label: "Due", due: "2026-03-02", client_id: "c-2", client_name: "Amy Jones" }),
          ],
          flags_total: 2,
          summaries: [],
        }),
      openClient: (id) => Promise.resolve(id === "c-2" ? record({ id: "c-2", surname: "Jones", forenames: "Amy" }) : record()),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.querySelector(".nav-item")?.id).toBe("nav-today");
    await waitFor(() => expect(document.querySelectorAll(".today-appointment")).toHaveLength(2));
    const rows = Array.from(document.querySelectorAll(".today-appointment")).map((r) => r.textContent);
    expect(rows[0]).toContain("09:30");
    expect(rows[0]).toContain("Amy Jones");
    expect(rows[0]).toContain("Leeds Magistrates' Court");
    expect(rows[0]).toContain("Booked");
    expect(rows[1]).toContain("14:00");
    expect(document.body.textContent).toContain("5 Mar 2026");

    // The urgent flag stays first although the other is due sooner: most severe first.
    const flags = Array.from(document.querySelectorAll(".flag"));
    expect(flags.map((f) => f.querySelector(".flag-code")?.textContent)).toEqual(["CUS-FAIL-ATTEND", "APPT-NO-OUTCOME"]);
    expect(flags[0].textContent).toContain("Urgent");
    expect(flags[0].textContent).toContain("Due 4 Mar 2026");
    expect(document.body.textContent).toContain("2 open flags, most severe first, then soonest due.");
    expect(document.getElementById("today-summaries")).toBeNull();
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
    await expectNoAxeViolations();

    await user.click(within(document.querySelectorAll(".today-appointment")[0] as HTMLElement).getByRole("button", { name: "Amy Jones" }));
    await screen.findByRole("heading", { level: 1, name: "Amy Jones" });
    expect(api.openClient).toHaveBeenCalledWith("c-2");
    expect(screen.getByRole("button", { name: "Back to Today" })).toBeTruthy();
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "Today" });

    // A flag opens its client too.
    await waitFor(() => expect(document.querySelectorAll(".flag")).toHaveLength(2));
    await user.click(within(document.querySelectorAll(".flag")[0] as HTMLElement).getByRole("button", { name: "John Paul Smith" }));
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
  });

  it("sums up whole-case flags after the statutory ones, one line per rule that opens its list", async () => {
    const api = signedInApi(caseworker, {
      today: () =>
        Promise.resolve({
          date: "2026-03-05",
          appointments: [],
          flags: [flag({ code: "CUS-FAIL-ATTEND", severity: "urgent", severity_label: "Urgent", due: "2026-03-04" })],
          appointments_total: 0,
          flags_total: 1,
          summaries: [
            { code: "CONSENT-MISSING", severity: "info", severity_label: "For information", count: 12, words: "12 of your clients have no current consent to share information.", oldest_due: "2025-04-17" },
          ],
        }),
      flagsPage: (filter) =>
        Promise.resolve({
          total: 12,
          offset: filter.offset,
          page_size: 50,
          flags: [flag({ code: "CONSENT-MISSING", severity: "info", severity_label: "For information", due: "2025-04-17", client_name: "Amy Jones", client_id: "c-2", sentence: "No consent to share information is recorded for Amy Jones." })],
        }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    const summary = await screen.findByRole("button", { name: "12 of your clients have no current consent to share information." });
    // The statutory flag comes before the summary in reading order.
    const urgent = document.querySelector("#today-flags .flag")!;
    expect(urgent.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(document.querySelectorAll("#today-flags .flag")).toHaveLength(1);
    await user.click(summary);
    expect(api.flagsPage).toHaveBeenCalledWith({ code: "CONSENT-MISSING", worker_id: caseworker.id, severity: null, offset: 0 });
    await screen.findByRole("heading", { level: 2, name: "12 of your clients have no current consent to share information." });
    expect(await screen.findByText("No consent to share information is recorded for Amy Jones.")).toBeTruthy();
    await expectNoAxeViolations();
  });

  it("g then t, or Alt+T, goes to Today from anywhere", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-settings")!);
    await screen.findByRole("heading", { level: 1, name: "Settings" });
    await user.keyboard("gt");
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-settings")!);
    await screen.findByRole("heading", { level: 1, name: "Settings" });
    await user.keyboard("{Alt>}t{/Alt}");
    await screen.findByRole("heading", { level: 1, name: "Today" });
    // Typing "gt" in a field does not navigate.
    await user.keyboard("/");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    await user.keyboard("gt");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Find a person");
  });

  it("team leads see counts by rule and by worker, and a count opens its list a page at a time", async () => {
    const urgent = flag({ code: "CUS-FAIL-ATTEND", severity: "urgent", severity_label: "Urgent", due: "2026-03-01", client_name: "Amy Jones", client_id: "c-2" });
    const count = (key: string, label: string, n: { urgent: number; due: number; info: number }) => ({ key, label, ...n, total: n.urgent + n.due + n.info, oldest: urgent });
    const page = (offset: number) =>
      Promise.resolve({
        total: 60,
        offset,
        page_size: 50,
        flags: Array.from({ length: offset === 0 ? 50 : 10 }, (_, i) => flag({ code: "CUS-FAIL-ATTEND", severity: "urgent", severity_label: "Urgent", record_id: `r-${offset + i}`, client_name: `Client ${offset + i + 1}` })),
      });
    const api = signedInApi(teamLead, {
      teamFlags: () =>
        Promise.resolve({
          urgent: 60,
          due: 3,
          info: 40,
          total: 103,
          by_rule: [
            count("CUS-FAIL-ATTEND", "Failed to attend or remain at a required assessment", { urgent: 60, due: 0, info: 0 }),
            count("CONSENT-MISSING", "No current consent to share", { urgent: 0, due: 3, info: 40 }),
          ],
          by_worker: [count("w-1", "Dan Kowalski", { urgent: 60, due: 3, info: 40 })],
        }),
      flagsPage: (filter) => page(filter.offset),
      openClient: (id) => Promise.resolve(record({ id })),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-flags")!);
    await screen.findByRole("heading", { level: 1, name: "Team flags" });
    expect((await screen.findByText(/103 flags open/)).textContent).toContain("60 urgent, 3 due, 40 for information");
    const byRule = document.getElementById("flags-by-rule")!;
    expect(Array.from(byRule.querySelectorAll("tbody th")).map((t) => t.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Failed to attend or remain at a required assessment CUS-FAIL-ATTEND",
      "No current consent to share CONSENT-MISSING",
    ]);
    expect(document.getElementById("flags-by-worker")!.textContent).toContain("Dan Kowalski");
    expect(document.querySelectorAll(".flag")).toHaveLength(0);
    await expectNoAxeViolations();

    await user.click(within(byRule).getByRole("button", { name: "60 flags, urgent, Failed to attend or remain at a required assessment" }));
    expect(api.flagsPage).toHaveBeenLastCalledWith({ code: "CUS-FAIL-ATTEND", worker_id: null, severity: "urgent", offset: 0 });
    await waitFor(() => expect(document.querySelectorAll(".flag")).toHaveLength(50));
    expect(document.body.textContent).toContain("Flags 1 to 50 of 60");
    await user.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(document.querySelectorAll(".flag")).toHaveLength(10));
    expect(document.body.textContent).toContain("Flags 51 to 60 of 60");
    await user.click(within(document.querySelectorAll(".flag")[0] as HTMLElement).getByRole("button", { name: "Client 51" }));
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
  });

  it("a custody worker has no Team flags, and nothing counts the team's flags for them", async () => {
    const api = signedInApi(caseworker, { teamFlags: vi.fn(() => Promise.resolve({ urgent: 0, due: 0, info: 0, total: 0, by_rule: [], by_worker: [] })) });
    render(App, { props: { api } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await waitFor(() => expect(document.querySelector(".today-date")).not.toBeNull());
    expect(document.getElementById("nav-flags")).toBeNull();
    expect(api.teamFlags).not.toHaveBeenCalled();
  });

  it("a team lead's flag counts are counted once their day is on the screen, ready for Dashboard, Caseloads and Team flags", async () => {
    let dayShown = false;
    const api = signedInApi(teamLead, {
      teamFlags: vi.fn(() => {
        dayShown = document.querySelector(".today-date") !== null;
        return Promise.resolve({ urgent: 0, due: 0, info: 0, total: 0, by_rule: [], by_worker: [] });
      }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await waitFor(() => expect(api.teamFlags).toHaveBeenCalledTimes(1));
    expect(dayShown).toBe(true);
    // Back to Today later: counted once a sign-in.
    await user.click(document.getElementById("nav-find")!);
    await user.click(document.getElementById("nav-today")!);
    await waitFor(() => expect(document.querySelector(".today-date")).not.toBeNull());
    expect(api.teamFlags).toHaveBeenCalledTimes(1);
  });

  it("a long day shows its first appointments and most pressing flags at once; the rest on asking, the flags a page at a time", async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      dayAppointment({ id: `ap-${i}`, at: `2026-03-05T${String(8 + Math.floor(i / 10)).padStart(2, "0")}:${String(i % 10)}0:00Z`, client_name: `Person ${i}` }),
    );
    const fifty = Array.from({ length: 50 }, (_, i) => flag({ record_id: `r-${i}`, client_name: `Flagged ${i}` }));
    const api = signedInApi(caseworker, {
      today: () => Promise.resolve({ date: "2026-03-05", appointments: many.slice(0, 50), appointments_total: 60, flags: fifty, flags_total: 2161, summaries: [] }),
      todayAppointments: vi.fn(() => Promise.resolve(many)),
      flagsPage: () => Promise.resolve({ total: 2161, offset: 0, page_size: 50, flags: fifty }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByText(/The 50 most pressing of 2,161 open flags/);
    expect(document.querySelectorAll(".today-appointment")).toHaveLength(50);
    await user.click(screen.getByRole("button", { name: "Show all 60 appointments today" }));
    await waitFor(() => expect(document.querySelectorAll(".today-appointment")).toHaveLength(60));
    expect(api.todayAppointments).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole("button", { name: "See all 2,161 of your flags" }));
    await screen.findByRole("heading", { name: "All your flags" });
    expect(api.flagsPage).toHaveBeenCalledWith({ code: null, worker_id: caseworker.id, severity: null, offset: 0 });
    await screen.findByText(/Flags 1 to 50 of 2,161/);
  });
});
