import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, record, rejection, signedInApi } from "../../test/fakeApi";
import type { Api } from "../../lib/api/index";
import type { ComingRelease, PrisonSummary, SpellView, WorkerView } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";
import { openRecord } from "../../test/openRecord";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const prisonLink: WorkerView = { id: "w-sr", login: "prison", display_name: "Siobhan Reilly", roles: ["prison_link"], permissions: ["casework", "prison"], active: true };

function spell(over: Partial<SpellView> = {}): SpellView {
  return {
    id: "sp-1",
    client_id: "c-1",
    prison: "HMP Leeds",
    received_on: "2026-01-05",
    custody_type: "sentenced",
    custody_type_label: "Sentenced",
    expected_release_on: "2099-03-12",
    licence_end_on: null,
    in_prison_treatment: "Methadone 40ml daily",
    released_on: null,
    seen_at_gate: null,
    release_cancelled_on: null,
    release_cancelled_reason: null,
    in_prison: true,
    release_date_changes: [{ from: "2099-03-20", to: "2099-03-12", changed_at: "2026-03-01T10:00:00Z", changed_by: "Siobhan Reilly" }],
    transfers: [],
    plan: null,
    appointments: [],
    missing: ["No throughcare plan", "No first community appointment", "No prescribing continuity"],
    continuity: null,
    recorded_by: "Siobhan Reilly",
    ...over,
  };
}

function release(over: Partial<ComingRelease> = {}): ComingRelease {
  return {
    spell_id: "sp-1",
    client_id: "c-1",
    client_name: "John Paul Smith",
    prison: "HMP Leeds",
    custody_type_label: "Sentenced",
    expected_release_on: "2026-03-12",
    days_until: 7,
    allocated_worker: "Siobhan Reilly",
    plan_recorded: false,
    first_appointment: null,
    missing: ["No throughcare plan", "No first community appointment"],
    ...over,
  };
}

function openPrisonRecord(worker: WorkerView, prison: PrisonSummary, over: Partial<Api> = {}) {
  return openRecord(worker, { clientPrison: () => Promise.resolve(prison), ...over });
}

describe("Prison and release", () => {
  it("shows the spell, every change of release date and what is missing; the plan form keeps what was typed on an error", async () => {
    const { api, user } = await openPrisonRecord(prisonLink, { spells: [spell()], episodes: [] }, {
      saveThroughcarePlan: () => Promise.reject(rejection("validation.required", "Check the plan.", [{ field: "naloxone_supplied", code: "validation.required", message: "Record whether naloxone was supplied." }])),
    });
    const panel = document.getElementById("prison")!;
    await waitFor(() => expect(panel.textContent).toContain("In HMP Leeds"));
    expect(panel.textContent).toContain("Expected release: 12 Mar 2099");
    expect(panel.textContent).toContain("Expected release changed from 20 Mar 2099 to 12 Mar 2099 by Siobhan Reilly");
    expect(Array.from(panel.querySelectorAll(".missing-list li")).map((l) => l.textContent)).toEqual([
      "No throughcare plan",
      "No first community appointment",
      "No prescribing continuity",
    ]);
    await expectNoAxeViolations();

    await user.click(document.getElementById("plan-sp-1")!);
    await screen.findByRole("heading", { level: 1, name: "Throughcare plan" });
    await user.type(input("accommodation"), "Approved premises");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(document.querySelector(".error-summary")?.textContent).toContain("Record whether naloxone was supplied."));
    expect(input("accommodation").value).toBe("Approved premises");
    expect(api.saveThroughcarePlan).toHaveBeenCalledWith("sp-1", expect.objectContaining({ accommodation: "Approved premises", naloxone_supplied: null }));
  });

  it("after release shows the gate and the continuity of care; a custody worker cannot change prison records", async () => {
    await openPrisonRecord(caseworker, {
      spells: [
        spell({
          in_prison: false,
          released_on: "2026-02-02",
          seen_at_gate: true,
          missing: [],
          continuity: { result: "within", label: "In community treatment within 21 days: started 10 Feb 2026 (day 8 after release).", released_on: "2026-02-02", deadline: "2026-02-23", treatment_started_on: "2026-02-10", days_to_treatment: 8 },
        }),
      ],
      episodes: [
        {
          id: "ep-1", client_id: "c-1", service: "Leeds Recovery Hub", criminal_justice: true, referred_on: "2026-01-28", assessed_on: null,
          treatment_started_on: "2026-02-10", modality: "prescribing", modality_label: "Opioid substitution prescribing", discharged_on: null,
          discharge_reason: null, discharge_reason_label: null, waiting_days: 13, recorded_by: "Siobhan Reilly",
        },
      ],
    });
    const panel = document.getElementById("prison")!;
    await waitFor(() => expect(panel.textContent).toContain("seen at the gate"));
    expect(panel.textContent).toContain("Within 21 days");
    expect(panel.textContent).toContain("started 10 Feb 2026 (day 8 after release)");
    expect(panel.querySelector("button[id^=release-]")).toBeNull();
    expect(document.getElementById("treatment")!.textContent).toContain("13 days from referral to treatment");
    expect(document.getElementById("treatment")!.textContent).toContain("Leeds Recovery Hub (criminal-justice referral)");
    expect(document.getElementById("treatment")!.textContent).toContain("10 Feb 2026 (Opioid substitution prescribing)");
  });
});

describe("Referrals and treatment", () => {
  it("any caseworker records a referral; a treatment start before the referral is shown beside its field and nothing typed is lost", async () => {
    const { api, user } = await openPrisonRecord(caseworker, { spells: [], episodes: [] }, {
      recordReferral: () =>
        Promise.reject(
          rejection("validation.treatment_before_referral", "Check the referral.", [
            { field: "treatment_started_on", code: "validation.treatment_before_referral", message: "Treatment cannot start before the referral on 10 Nov 2026." },
          ]),
        ),
    });
    await user.click(await screen.findByRole("button", { name: "Record a referral" }));
    await screen.findByRole("heading", { level: 1, name: "Record a referral" });
    expect(document.activeElement?.id).toBe("service");
    await user.type(input("service"), "Leeds Recovery Hub");
    await user.clear(input("referred_on"));
    await user.type(input("referred_on"), "10/11/2026");
    await user.type(input("treatment_started_on"), "09/11/2026");
    await user.selectOptions(document.getElementById("modality") as HTMLSelectElement, "prescribing");
    await user.click(document.querySelector<HTMLButtonElement>("button[type=submit]")!);
    await waitFor(() => expect(document.getElementById("treatment_started_on-error")?.textContent).toContain("Treatment cannot start before the referral on 10 Nov 2026."));
    expect(document.querySelector(".error-summary")?.textContent).toContain("Treatment cannot start before the referral");
    expect(input("service").value).toBe("Leeds Recovery Hub");
    expect(input("treatment_started_on").value).toBe("09/11/2026");
    expect(api.recordReferral).toHaveBeenCalledWith("c-1", expect.objectContaining({ service: "Leeds Recovery Hub", criminal_justice: true, modality: "prescribing" }));
  });
});

describe("Coming releases", () => {
  it("is in the navigation for prison link workers and lists releases soonest first with what is missing", async () => {
    const api = signedInApi(prisonLink, {
      continuityRate: () => Promise.resolve({ since: "2025-12-05", releases: 9, within: 5, not_within: 3, open: 1, percent_within: 63 }),
      comingReleases: () => Promise.resolve([release({ spell_id: "sp-2", days_until: -1, expected_release_on: "2026-03-04", client_name: "Amy Jones", client_id: "c-2" }), release()]),
      openClient: () => Promise.resolve(record()),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-releases")!);
    await screen.findByRole("heading", { level: 1, name: "Coming releases" });
    await waitFor(() => expect(document.querySelectorAll(".coming-release")).toHaveLength(2));
    const rows = Array.from(document.querySelectorAll(".coming-release")).map((r) => r.textContent ?? "");
    expect(rows[0]).toContain("Amy Jones");
    expect(rows[0]).toContain("yesterday: no release recorded");
    expect(rows[1]).toContain("in 7 days");
    expect(rows[1]).toContain("No first community appointment");
    expect(api.comingReleases).toHaveBeenCalledWith(28);
    await waitFor(() => expect(document.querySelector(".continuity-rate")?.textContent).toContain("5 of 8 (63%) in community treatment within 21 days"));
    expect(document.querySelector(".continuity-rate")?.textContent).toMatch(/9 releases\. 5 of 8 .* 75%\. 1 still inside/);
    await expectNoAxeViolations();
    await user.click(document.querySelectorAll<HTMLButtonElement>(".coming-release .open-client")[1]);
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    expect(screen.getByRole("button", { name: "Back to coming releases" })).toBeTruthy();
  });

  it("Today shows the releases due this week, and nothing when there are none", async () => {
    render(App, { props: { api: signedInApi(prisonLink, { releasesThisWeek: () => Promise.resolve([release({ days_until: 2 })]) }) } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    const heading = await screen.findByRole("heading", { level: 2, name: "Releases due this week" });
    const row = heading.parentElement!.querySelector(".coming-release")!;
    expect(row.textContent).toContain("John Paul Smith");
    expect(row.textContent).toContain("in 2 days");
    expect(row.textContent).toContain("No throughcare plan");
  });

  it("a long list of releases shows its soonest hundred at once and the rest on asking", async () => {
    const many = Array.from({ length: 130 }, (_, i) => release({ spell_id: `sp-${i}`, client_name: `Person ${i}` }));
    const api = signedInApi(prisonLink, { comingReleases: () => Promise.resolve(many) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-releases")!);
    await screen.findByText(/130 releases, soonest first/);
    expect(document.querySelectorAll(".coming-release")).toHaveLength(100);
    await user.click(screen.getByRole("button", { name: "Show all 130 releases" }));
    expect(document.querySelectorAll(".coming-release")).toHaveLength(130);
  });

  it("is not in the navigation of a custody worker", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.getElementById("nav-releases")).toBeNull();
    expect(screen.queryByRole("heading", { name: "Releases due this week" })).toBeNull();
  });
});
