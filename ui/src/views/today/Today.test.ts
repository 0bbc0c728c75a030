import { describe, expect, it } from "vitest";
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
  it("is the first screen: today's appointments in time order and flags soonest due first, each opening the client", async () => {
    const api = signedInApi(caseworker, {
      today: () =>
        Promise.resolve({
          date: "2026-03-05",
          appointments: [
            dayAppointment({ id: "ap-late", at: "2026-03-05T14:00:00Z", time: "14:00" }),
            dayAppointment({ id: "ap-early", at: "2026-03-05T09:30:00Z", time: "09:30", client_id: "c-2", client_name: "Amy Jones", kind: "Restriction on Bail appointment", place: "Leeds Magistrates' Court" }),
          ],
          flags: [
            flag({ code: "CASE-NO-CONTACT", severity: "info", severity_label: "Info", due: "2026-03-09", sentence: "No contact for 28 days.", action: "Record any contact." }),
            flag({ code: "CUS-FAIL-ATTEND", severity: "urgent", severity_label: "Urgent", due: "2026-03-04" }),
            flag({ code: "APPT-NO-OUTCOME", severity: "due", severity_label: "Due", due: "2026-03-04", client_id: "c-2", client_name: "Amy Jones" }),
          ],
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

    const flags = Array.from(document.querySelectorAll(".flag"));
    expect(flags.map((f) => f.querySelector(".flag-code")?.textContent)).toEqual(["CUS-FAIL-ATTEND", "APPT-NO-OUTCOME", "CASE-NO-CONTACT"]);
    expect(flags[0].textContent).toContain("Urgent");
    expect(flags[0].textContent).toContain("Due 4 Mar 2026");
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
    await expectNoAxeViolations();

    await user.click(within(document.querySelectorAll(".today-appointment")[0] as HTMLElement).getByRole("button", { name: "Amy Jones" }));
    await screen.findByRole("heading", { level: 1, name: "Amy Jones" });
    expect(api.openClient).toHaveBeenCalledWith("c-2");
    expect(screen.getByRole("button", { name: "Back to Today" })).toBeTruthy();
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "Today" });

    // A flag opens its client too.
    await waitFor(() => expect(document.querySelectorAll(".flag")).toHaveLength(3));
    await user.click(within(document.querySelectorAll(".flag")[0] as HTMLElement).getByRole("button", { name: "John Paul Smith" }));
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
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

  it("team leads see every flag grouped by severity; caseworkers have no Team flags", async () => {
    const api = signedInApi(teamLead, {
      allFlags: () =>
        Promise.resolve([
          flag({ code: "CONSENT-MISSING", severity: "info", severity_label: "Info", due: "2026-03-01" }),
          flag({ code: "CUS-FAIL-ATTEND", severity: "urgent", severity_label: "Urgent", due: "2026-03-08" }),
          flag({ code: "CUS-ASSESS-MISSING", severity: "urgent", severity_label: "Urgent", due: "2026-03-04" }),
        ]),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-flags")!);
    await screen.findByRole("heading", { level: 1, name: "Team flags" });
    await waitFor(() => expect(document.querySelectorAll(".flag")).toHaveLength(3));
    const urgent = document.getElementById("flags-urgent")!;
    expect(Array.from(urgent.querySelectorAll(".flag-code")).map((c) => c.textContent)).toEqual(["CUS-ASSESS-MISSING", "CUS-FAIL-ATTEND"]);
    expect(document.getElementById("flags-info")!.textContent).toContain("CONSENT-MISSING");
    await expectNoAxeViolations();
  });

  it("a custody worker has no Team flags", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.getElementById("nav-flags")).toBeNull();
  });
});
