import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, flag, record, rejection, signedInApi, teamLead } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";
import type { Dashboard, DashboardAsk, FigureView } from "../../lib/api/index";

const part = (key: string, label: string, count: number) => ({ key, label, count });

function rate(key: string, label: string, n: number, outOf: number, target: number | null = null): FigureView {
  return {
    kind: "rate",
    label,
    count: part(key, label, n),
    out_of: part("prison.releases", "Prison releases", outOf),
    percent: outOf ? Math.round((n * 100) / outOf) : null,
    target_percent: target,
    median_days: null,
    trend: [1, 2],
    trend_out_of: [3, 5],
  };
}

const november: Dashboard = {
  period: { from: "2026-11-01", to: "2026-11-30" },
  grain: "week",
  buckets: ["2026-10-26", "2026-11-02"],
  worker_id: null,
  sections: [
    {
      key: "prison",
      title: "Prison release and continuity of care",
      figures: [rate("prison.in_treatment_21_days", "In community treatment within 21 days of release", 3, 8, 75)],
      breakdowns: [],
    },
    {
      key: "treatment",
      title: "Treatment",
      figures: [
        {
          kind: "median_days",
          label: "Days from referral to treatment start: criminal-justice referrals",
          count: part("treatment.wait_criminal_justice", "Days from referral to treatment start: criminal-justice referrals", 4),
          out_of: null,
          percent: null,
          target_percent: null,
          median_days: 12.5,
          trend: [null, 12.5],
          trend_out_of: [],
        },
      ],
      breakdowns: [],
    },
  ],
};

describe("Dashboard", () => {
  it("a team lead reads a rate against its target, changes the period, and opens the clients behind a figure", async () => {
    const asks: DashboardAsk[] = [];
    const api = signedInApi(teamLead, {
      dashboard: (ask) => {
        asks.push(ask);
        if (ask.period !== "between") return Promise.resolve({ ...november, worker_id: ask.worker_id ?? null });
        const wrongWayRound = { field: "to", code: "validation.period_order" as const, message: "The last day must be on or after the first day." };
        return Promise.reject(rejection(wrongWayRound.code, wrongWayRound.message, [wrongWayRound]));
      },
      caseloadSizes: () => Promise.resolve([{ worker_id: "w-dan", worker: "Dan Kowalski", roles: ["custody"], active_clients: 12 }]),
      teamFlags: () =>
        Promise.resolve({
          urgent: 3,
          due: 5,
          info: 7,
          total: 15,
          by_rule: [],
          by_worker: [
            {
              key: "w-dan",
              label: "Dan Kowalski",
              urgent: 2,
              due: 1,
              info: 0,
              total: 3,
              oldest: flag({ client_name: "Amy Jones", client_id: "c-9", due: "2026-11-02", code: "CUS-FAIL-ATTEND" }),
            },
          ],
        }),
      figureList: (ask) =>
        Promise.resolve({
          label: "In community treatment within 21 days of release",
          total: 1,
          offset: ask.offset,
          page_size: 50,
          clients: [{ on_day: "2026-11-02", client_id: "c-7", client_name: "Alex Foster", date_of_birth: "1990-06-14", worker_name: "Dan Kowalski" }],
        }),
      openClient: (id) => Promise.resolve(record({ id })),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Dashboard" }));
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    await waitFor(() => expect(document.querySelector("#dashboard-period")?.textContent).toContain("The whole team, 1 Nov 2026 to 30 Nov 2026, by week."));
    expect(asks[0]).toEqual({ period: "this_month", from: "", to: "", worker_id: null });
    // How things stand now, beside the period's figures.
    await waitFor(() => expect(document.querySelector("#dashboard-flags")?.textContent).toContain("3 urgent, 5 due, 7 for information"));
    expect(document.querySelector("#dashboard-flags")?.textContent?.replace(/\s+/g, " ")).toContain("Oldest unresolved: Amy Jones, due 2 Nov 2026 (CUS-FAIL-ATTEND)");

    const row = document.querySelector('tr[data-figure="prison.in_treatment_21_days"]') as HTMLElement;
    expect(row.textContent).toContain("38%");
    expect(row.textContent).toContain("target 75%");
    expect(row.querySelector(".below-target")).not.toBeNull();
    expect(document.querySelector('tr[data-figure="treatment.wait_criminal_justice"]')?.textContent).toContain("12.5 days");

    // The same trend as a table, by week.
    const table = document.querySelector(".trend-table") as HTMLElement;
    expect(within(table).getByRole("rowheader", { name: "w/c 2 Nov 2026" }).closest("tr")?.textContent).toContain("2 of 5");

    // One worker's caseload, then a typed period with a mistake.
    await user.selectOptions(screen.getAllByLabelText("Whose figures")[0], "w-dan");
    await waitFor(() => expect(asks.at(-1)?.worker_id).toBe("w-dan"));
    await waitFor(() => expect(document.querySelector("#dashboard-flags")?.textContent).toContain("2 urgent, 1 due, 0 for information"));
    await user.click(screen.getByLabelText("Between dates"));
    await user.type(screen.getByLabelText("First day"), "30/11/2026");
    await user.type(screen.getByLabelText("Last day"), "01/11/2026");
    await user.click(screen.getByRole("button", { name: "Show" }));
    await screen.findByText("The last day must be on or after the first day.");
    expect(asks.at(-1)).toEqual({ period: "between", from: "30/11/2026", to: "01/11/2026", worker_id: "w-dan" });
    expect(document.querySelector(".figures-table"), "the last figures stay on screen").not.toBeNull();

    await user.click(within(row).getByRole("button", { name: "3" }));
    await screen.findByRole("heading", { name: /In community treatment within 21 days of release: 1 Nov 2026 to 30 Nov 2026/ });
    await expectNoAxeViolations();
    await user.click(screen.getByRole("button", { name: "Alex Foster" }));
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await user.click(screen.getByRole("button", { name: "Back to the dashboard" }));
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
  });

  it("is not offered to a caseworker", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(screen.queryByRole("button", { name: "Dashboard" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Returns" })).toBeNull();
  });
});
