import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseloadPage, caseworker, flag, onCaseload, person, record, signedInApi, teamLead } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";

describe("Caseloads", () => {
  it("a team lead sees each worker's caseload size with roles in words, and opens one worker's list", async () => {
    const api = signedInApi(teamLead, {
      caseloadSizes: () =>
        Promise.resolve([
          { worker_id: "w-dan", worker: "Dan Kowalski", roles: ["custody"], active_clients: 1234 },
          { worker_id: "w-tl", worker: "Priya Shah", roles: ["team_lead", "court"], active_clients: 1 },
          { worker_id: null, worker: "Not allocated to an active worker", roles: [], active_clients: 3 },
        ]),
      caseloadOf: () => Promise.resolve(caseloadPage([person({ id: "c-1" }), person({ id: "c-2", forenames: "Jane", status: "closed" })])),
      openClient: (id) => Promise.resolve(record({ id })),
      listWorkers: () => Promise.resolve([caseworker, teamLead]),
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
              urgent: 3,
              due: 5,
              info: 7,
              total: 15,
              oldest: flag({ client_name: "Amy Jones", client_id: "c-9", due: "2026-02-11", code: "CUS-FAIL-ATTEND" }),
            },
          ],
        }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Caseloads" }));
    await screen.findByRole("heading", { level: 1, name: "Caseloads" });
    await waitFor(() => expect(document.querySelectorAll("tr.caseload-size")).toHaveLength(3));
    const rows = Array.from(document.querySelectorAll("tr.caseload-size"));
    expect(rows[0].textContent).toContain("Dan Kowalski");
    expect(rows[0].textContent).toContain("Custody");
    expect(rows[0].textContent).toContain("1,234");
    // Each worker's open flags by severity and the oldest unresolved one.
    await waitFor(() => expect(rows[0].textContent).toContain("Amy Jones"));
    const cells = Array.from(rows[0].querySelectorAll("td")).map((c) => c.textContent?.trim());
    expect(cells.slice(3, 6)).toEqual(["3", "5", "7"]);
    expect(rows[0].textContent).toContain("due 11 Feb 2026 · CUS-FAIL-ATTEND");
    expect(rows[1].textContent).toContain("None");
    expect(rows[1].textContent).toContain("Team lead, Court");
    expect(rows[2].textContent).toContain("Not allocated to an active worker");
    expect(rows[2].querySelector("button")).toBeNull();

    await user.click(screen.getByRole("button", { name: /Dan Kowalski/ }));
    expect(api.caseloadOf).toHaveBeenCalledWith("w-dan", 0);
    await waitFor(() => expect(document.querySelectorAll(".search-result")).toHaveLength(2));
    expect(document.querySelectorAll(".search-result")[1].textContent).toContain("Closed");
    await expectNoAxeViolations();
    // Keyboard: Tab to a name, Enter opens the record; Back returns here.
    (document.querySelector(".search-result button") as HTMLElement).focus();
    await user.keyboard("{Enter}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await user.click(screen.getByRole("button", { name: "Back to caseloads" }));
    await screen.findByRole("heading", { level: 1, name: "Caseloads" });
  });

  it("My caseload lists the worker's own active clients, and Enter opens one", async () => {
    const api = signedInApi(caseworker, {
      myCaseload: () => Promise.resolve(caseloadPage([person({ id: "c-1", aliases: ["Jonny Smyth"] })])),
      openClient: (id) => Promise.resolve(record({ id })),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-caseload")!);
    await screen.findByRole("heading", { level: 1, name: "My caseload" });
    await waitFor(() => expect(document.querySelectorAll(".search-result")).toHaveLength(1));
    expect(document.querySelector(".search-result")?.textContent).toContain("Also known as Jonny Smyth");
    await user.tab();
    await waitFor(() => expect(document.activeElement?.textContent).toBe("SMITH, John Paul"));
    await user.keyboard("{Enter}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "My caseload" });
  });

  it("a caseload of thousands shows its first page at once and pages on by keyboard", async () => {
    // Pages of 20 here (the app's are 100) keep the accessibility check quick.
    const twenty = (from: number) => Array.from({ length: 20 }, (_, i) => person({ id: `c-${from + i}`, surname: `Person${from + i}` }));
    const api = signedInApi(caseworker, {
      myCaseload: (offset: number) => Promise.resolve({ ...caseloadPage(twenty(offset), 17100, offset), page_size: 20 }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-caseload")!);
    await screen.findByText(/Active clients 1 to 20 of 17,100, most in need of attention first/);
    expect(document.querySelectorAll(".search-result")).toHaveLength(20);
    expect((document.getElementById("caseload-previous") as HTMLButtonElement).disabled).toBe(true);
    document.getElementById("caseload-next")!.focus();
    await user.keyboard("{Enter}");
    await screen.findByText(/Active clients 21 to 40 of 17,100/);
    expect(api.myCaseload).toHaveBeenLastCalledWith(20);
    expect(document.activeElement?.id).toBe("caseload-heading");
    expect(document.querySelector(".search-result")?.textContent).toContain("PERSON20");
    await expectNoAxeViolations();
  });

  it("My caseload shows the people most in need of attention first, with where each is now", async () => {
    // The backend orders the page: urgent, then due, then the soonest appointment.
    const page = caseloadPage([
      onCaseload(person({ id: "c-3", surname: "Evans", forenames: "Sam" }), {
        stage: "In custody",
        standing: "In custody: tested on arrest 23 Nov 2026 at 07:15 at Westbridge custody suite, positive for opiates",
        urgent: 1,
      }),
      onCaseload(person({ id: "c-2", surname: "Davies", forenames: "Sam" }), { stage: "On a DRR", standing: "On a DRR: 12-month order, next review 2 Dec 2026", due: 2 }),
      onCaseload(person({ id: "c-1", surname: "Adams", forenames: "Sam" }), { stage: "In community treatment", next_appointment: "25 Nov 2026 at 14:00" }),
    ]);
    const api = signedInApi(caseworker, { myCaseload: () => Promise.resolve(page) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-caseload")!);
    await screen.findByText(/3 active clients, most in need of attention first/);
    const rows = Array.from(document.querySelectorAll(".search-result"));
    expect(rows.map((r) => r.querySelector("button")?.textContent)).toEqual(["EVANS, Sam", "DAVIES, Sam", "ADAMS, Sam"]);
    expect(rows[0].querySelector(".caseload-stage")?.textContent).toContain("In custody");
    expect(rows[0].querySelector(".caseload-attention")?.textContent).toContain("1 urgent");
    expect(rows[1].querySelector(".caseload-stage")?.textContent).toContain("On a DRR");
    expect(rows[1].querySelector(".caseload-attention")?.textContent).toContain("2 due");
    expect(rows[2].querySelector(".caseload-attention")?.textContent).toContain("Nothing due");
    expect(rows[2].textContent).toContain("25 Nov 2026 at 14:00");
    await expectNoAxeViolations();
  });
});
