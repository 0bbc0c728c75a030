import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { administrator, caseworker, rejection, signedInApi } from "../../test/fakeApi";
import type { WorkerView } from "../../lib/api/types";
import type { OnProgress } from "../../lib/api/index";
import { expectNoAxeViolations } from "../../test/axe";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const teamLead: WorkerView = { id: "w-tl", login: "priya", display_name: "Priya Shah", roles: ["team_lead", "court"], permissions: ["casework", "custody", "court", "drr", "prison", "lead_team", "see_workers", "check_audit"], active: true };
const team = [administrator, caseworker, teamLead];

describe("Workers", () => {
  it("lists the team with roles in plain words", async () => {
    const api = signedInApi(administrator, { listWorkers: () => Promise.resolve(team) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    const table = await screen.findByRole("table");
    const row = within(table).getByText("Priya Shah").closest("tr")!;
    expect(row.textContent).toContain("Team lead, Court");
    expect(within(table).getByText("Administrator, Team lead")).toBeTruthy();
    await expectNoAxeViolations();
  });

  it("a team lead sees the list but cannot add workers or set passwords", async () => {
    const api = signedInApi(teamLead, { listWorkers: () => Promise.resolve(team) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    await screen.findByRole("table");
    expect(screen.queryByRole("button", { name: "Add a worker" })).toBeNull();
    expect(screen.queryByText(/Set a new password/)).toBeNull();
  });

  it("an administrator adds a worker; the backend's errors show beside the fields", async () => {
    let tries = 0;
    const api = signedInApi(administrator, {
      listWorkers: () => Promise.resolve(team),
      addWorker: (input) => {
        tries++;
        if (tries === 1) {
          return Promise.reject(
            rejection("validation.roles_required", "Choose at least one role.", [{ field: "roles", code: "validation.roles_required", message: "Choose at least one role." }]),
          );
        }
        return Promise.resolve({ id: "w-new", login: input.login, display_name: input.display_name, roles: input.roles, permissions: ["casework", "drr"], active: true });
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    await user.click(await screen.findByRole("button", { name: "Add a worker" }));
    await waitFor(() => expect(document.activeElement).toBe(input("display_name")));
    await user.keyboard("Amira Khan{Tab}amira.khan");
    await user.type(input("password"), "three-random-words");
    await user.type(input("password_confirm"), "three-random-words{Enter}");
    await waitFor(() => expect(document.getElementById("roles-error")?.textContent).toContain("Choose at least one role."));
    expect(input("display_name").value).toBe("Amira Khan");

    await user.click(screen.getByLabelText("Community / DRR"));
    await user.click(screen.getByRole("button", { name: "Add worker" }));
    expect(api.addWorker).toHaveBeenLastCalledWith({
      display_name: "Amira Khan",
      login: "amira.khan",
      roles: ["community"],
      password: "three-random-words",
    });
    await waitFor(() => expect(screen.getByRole("table").textContent).toContain("Amira Khan"));
    expect(screen.getByRole("status").textContent).toContain("Amira Khan can now sign in");
  });

  it("an administrator sets a new password for a worker", async () => {
    const api = signedInApi(administrator, { listWorkers: () => Promise.resolve(team), setWorkerPassword: () => Promise.resolve() });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    await user.click(await screen.findByRole("button", { name: "Set a new password for Dan Kowalski" }));
    await screen.findByRole("heading", { name: "Set a new password for Dan Kowalski" });
    await waitFor(() => expect(document.activeElement).toBe(input("new_password")));
    await user.keyboard("custody-suite-eight{Tab}custody-suite-eight{Enter}");
    expect(api.setWorkerPassword).toHaveBeenCalledWith("w-dan", "custody-suite-eight");
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Dan Kowalski has a new password"));
  });

  it("an administrator deactivates a worker after a confirmation that says what happens, all by keyboard, watching the re-key", async () => {
    let finish: () => void = () => {};
    let tell: OnProgress = () => {};
    const api = signedInApi(administrator, {
      listWorkers: () => Promise.resolve(team),
      deactivateWorker: (id, onProgress) =>
        new Promise((resolve) => {
          tell = onProgress ?? tell;
          finish = () =>
            resolve({
              worker: { ...caseworker, id, active: false },
              on_this_laptop: { removed: ["Dan Kowalski"], need_new_password: [], new_recovery_key: null, recovery_key_lost: false },
            });
        }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    const table = await screen.findByRole("table");
    // No one deactivates themselves.
    expect(within(table).queryByRole("button", { name: "Deactivate Chris Hall's account" })).toBeNull();

    const button = within(table).getByRole("button", { name: "Deactivate Dan Kowalski's account" });
    button.focus();
    await user.keyboard("{Enter}");
    const heading = await screen.findByRole("heading", { name: "Deactivate Dan Kowalski?" });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const panel = heading.closest("section")!;
    expect(panel.textContent).toContain("will no longer be able to sign in");
    expect(panel.textContent).toContain("their password opens nothing here");
    expect(panel.textContent).toContain("Every other laptop does the same");
    await expectNoAxeViolations();

    // Escape goes back without doing anything.
    await user.keyboard("{Escape}");
    await waitFor(() => expect(document.activeElement).toBe(within(screen.getByRole("table")).getByRole("button", { name: "Deactivate Dan Kowalski's account" })));
    expect(api.deactivateWorker).not.toHaveBeenCalled();

    await user.keyboard("{Enter}");
    await screen.findByRole("heading", { name: "Deactivate Dan Kowalski?" });
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Yes, deactivate Dan Kowalski" }));
    await user.keyboard("{Enter}");
    expect(api.deactivateWorker).toHaveBeenCalledWith("w-dan", expect.any(Function));
    // A large team's database takes a minute to re-key: how far it has got, and no way to stop it.
    tell({ doing: "Giving the database a new key", done: 543_830, total: 1_086_268 });
    await waitFor(() => expect(document.getElementById("task-percent")?.textContent).toBe(": 50%"));
    expect(document.getElementById("rekeying-note")?.textContent).toContain("cannot be stopped part way");
    expect(document.getElementById("task-cancel")).toBeNull();
    await user.keyboard("{Escape}");
    expect(screen.getByRole("heading", { name: "Deactivate Dan Kowalski?" })).toBeTruthy();
    finish();
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Dan Kowalski is deactivated and can no longer sign in"));
    expect(screen.getByRole("status").textContent).toContain("the database has a new key");
    const row = within(screen.getByRole("table")).getByText("Dan Kowalski").closest("tr")!;
    expect(row.textContent).toContain("Deactivated");
    expect(within(row).queryByRole("button")).toBeNull();
    await expectNoAxeViolations();
  });

  it("after a deactivation the administrator is told whose passwords to set and shown a new recovery key", async () => {
    const api = signedInApi(administrator, {
      listWorkers: () => Promise.resolve(team),
      deactivateWorker: (id) =>
        Promise.resolve({
          worker: { ...caseworker, id, active: false },
          on_this_laptop: {
            removed: ["Dan Kowalski"],
            need_new_password: ["Priya Shah"],
            new_recovery_key: "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567",
            recovery_key_lost: false,
          },
        }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    await user.click(await screen.findByRole("button", { name: "Deactivate Dan Kowalski's account" }));
    await user.click(await screen.findByRole("button", { name: "Yes, deactivate Dan Kowalski" }));
    await waitFor(() => expect(document.getElementById("workers-need-passwords")?.textContent).toContain("Set a new password on this laptop for Priya Shah"));
    expect(document.getElementById("new-recovery-key")?.textContent).toBe("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567");
    await expectNoAxeViolations();
  });

  it("a refusal is said in words and nothing changes", async () => {
    const api = signedInApi(administrator, {
      listWorkers: () => Promise.resolve(team),
      deactivateWorker: () =>
        Promise.reject(rejection("workers.last_administrator", "Priya Shah is the team's last active administrator, so their account cannot be deactivated.")),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    await user.click(await screen.findByRole("button", { name: "Deactivate Priya Shah's account" }));
    await user.click(await screen.findByRole("button", { name: "Yes, deactivate Priya Shah" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("last active administrator");
    await waitFor(() => expect(document.activeElement).toBe(alert));
    const row = within(screen.getByRole("table")).getByText("Priya Shah").closest("tr")!;
    expect(row.textContent).toContain("Active");
  });

  it("a team lead is offered no deactivation", async () => {
    const api = signedInApi(teamLead, { listWorkers: () => Promise.resolve(team) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    await screen.findByRole("table");
    expect(screen.queryByRole("button", { name: /Deactivate/ })).toBeNull();
  });

  it("an administrator vouches for a worker's key only after reading the same characters, by keyboard", async () => {
    const waiting = {
      key: "4f2a91c30d7eb2a855f1aa",
      fingerprint: "4F2A9 1C30D 7EB2A 855F1",
      worker_name: "Sam Patel",
      laptop_label: "Sam's spare laptop",
      asked_at: "2026-11-23T09:30:00Z",
    };
    const vouched: string[] = [];
    const api = signedInApi(administrator, {
      listWorkers: () => Promise.resolve(team),
      keysWaiting: () => Promise.resolve([waiting]),
      vouchForKey: (key) => {
        vouched.push(key);
        return Promise.resolve(waiting);
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Workers" }));
    const row = (await screen.findByText("Sam's spare laptop")).closest("tr")!;
    await user.click(within(row).getByRole("button", { name: /Check and vouch/ }));
    await waitFor(() => expect(document.activeElement?.id).toBe("vouch-heading"));
    expect(document.getElementById("vouch-fingerprint")?.textContent).toBe("4F2A9 1C30D 7EB2A 855F1");
    await user.keyboard("{Escape}");
    expect(vouched).toEqual([]);
    await user.click(within(row).getByRole("button", { name: /Check and vouch/ }));
    await user.click(await screen.findByRole("button", { name: "They match: vouch for this key" }));
    await waitFor(() => expect(document.getElementById("key-vouched")?.textContent).toContain("Sam Patel's key on “Sam's spare laptop” is vouched for"));
    expect(vouched).toEqual(["4f2a91c30d7eb2a855f1aa"]);
    expect(screen.queryByText("Sam's spare laptop", { selector: "td" })).toBeNull();
    await expectNoAxeViolations();
  });
});
