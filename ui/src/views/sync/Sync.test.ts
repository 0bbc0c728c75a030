import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, fakeApi, rejection, signedInApi, teamLead } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";
import type { Conflict, Imported, Settle, SyncStatus } from "../../lib/api/index";

const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  this_laptop: "Custody laptop",
  last_export: "2026-11-23T09:00:00Z",
  last_import: null,
  not_exported: 4,
  imports: [],
  devices: [
    { id: "d-lead", label: "Priya Shah's laptop", enrolled_at: "2026-11-01T09:00:00Z", enrolled_by: "Priya Shah", revoked_at: null, this_laptop: false, last_bundle_at: null, replaced: null, replaced_by: null, has_current_key: true, hub: false },
    { id: "d-me", label: "Custody laptop", enrolled_at: "2026-11-02T09:00:00Z", enrolled_by: "Priya Shah", revoked_at: null, this_laptop: true, last_bundle_at: null, replaced: null, replaced_by: null, has_current_key: true, hub: false },
  ],
  open_conflicts: 0,
  ...over,
});

const phone: Conflict = {
  record_type: "client",
  record_id: "c-1",
  field: "phone",
  field_label: "phone",
  record_label: "client",
  client_id: "c-1",
  client_name: "John Smith",
  kept: { op_id: "op-b", value: "07700 900222", worker_id: "w-dan", worker_name: "Dan Kowalski", device_label: "Court laptop", at: "2026-11-23T10:00:01Z" },
  others: [{ op_id: "op-a", value: "07700 900111", worker_id: "w-tl", worker_name: "Priya Shah", device_label: "Priya Shah's laptop", at: "2026-11-23T10:00:00Z" }],
};

describe("Sync", () => {
  it("a worker exports what the lead's laptop has not had and imports two bundles, one refused with its reason", async () => {
    const api = signedInApi(caseworker, {
      syncStatus: () => Promise.resolve(status()),
      exportBundle: (scope) =>
        Promise.resolve({
          path: "/media/usb/throughline-2026-11-23-1000.throughline",
          summary: { device_label: "Custody laptop", exported_at: "2026-11-23T10:00:00Z", operations: 4, new_operations: 4, up_to: null, already_imported: false, open_conflicts: 0, set_aside: [], scope } as never,
        }),
      importBundles: () =>
        Promise.resolve([
          {
            file: "from-court.throughline",
            summary: { device_label: "Court laptop", exported_at: "2026-11-23T09:30:00Z", operations: 12, new_operations: 3, up_to: "2026-11-23T09:29:00Z", already_imported: false, open_conflicts: 0, set_aside: [{ device_label: "Laptop left on a train", changes: 2 }] },
            error: null,
          },
          { file: "cut-short.throughline", summary: null, error: rejection("sync.truncated", "This bundle is incomplete: it was cut short, perhaps while it was copied. Nothing was imported; ask for it to be exported again.") },
        ]),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sync" }));
    await screen.findByRole("heading", { level: 1, name: "Sync" });
    await waitFor(() => expect(document.querySelector("#sync-not-exported")?.textContent).toBe("4 changes made on this laptop"));

    await user.click(screen.getByLabelText("What Priya Shah's laptop has not had yet"));
    await user.click(screen.getByRole("button", { name: "Export a bundle…" }));
    expect(api.exportBundle).toHaveBeenCalledWith({ kind: "not_acknowledged_by", device_ids: ["d-lead"] }, expect.any(Function));
    await screen.findByText("Saved 4 changes to /media/usb/throughline-2026-11-23-1000.throughline.");

    await user.click(screen.getByRole("button", { name: "Import bundles…" }));
    const results = await waitFor(() => document.querySelector("#import-results") as HTMLElement);
    expect(results.textContent).toContain("from-court.throughline: From Court laptop: 3 new of 12 changes, up to 23 Nov 2026");
    // A lost laptop's work relayed after its revocation is refused, by name.
    expect(results.textContent).toContain("2 changes made on Laptop left on a train after it was revoked were refused.");
    expect(results.textContent).toContain("cut-short.throughline: This bundle is incomplete");
    // A worker does not enrol laptops.
    expect(screen.queryByRole("button", { name: "Make a join file…" })).toBeNull();
    await expectNoAxeViolations(document.body);
  });

  it("a team lead sees both values of a conflict, restores the one not kept, and makes a join file", async () => {
    const settled: Settle[] = [];
    let open = [phone];
    let saveJoinFile = () => {};
    const api = signedInApi(teamLead, {
      syncStatus: () => Promise.resolve(status({ open_conflicts: open.length, this_laptop: "Priya Shah's laptop" })),
      syncConflicts: () => Promise.resolve(open),
      settleConflict: (s) => {
        settled.push(s);
        open = [];
        return Promise.resolve();
      },
      listWorkers: () => Promise.resolve([caseworker, teamLead]),
      makeJoinFile: (laptop, onProgress) => {
        onProgress?.({ doing: "Copying the team's data", done: 41, total: 100 });
        return new Promise((resolve) => {
          saveJoinFile = () =>
            resolve({ path: "/media/usb/join-court-laptop-2.throughline-join", passphrase: "ABCDE-FGH23-JKLMN-PQRS4", device_label: laptop.label, worker_name: "Dan Kowalski" });
        });
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sync" }));
    const conflict = await screen.findByRole("heading", { level: 3, name: "John Smith: phone" });
    const item = (conflict.closest("li") as HTMLElement).textContent?.replace(/\s+/g, " ");
    expect(item).toContain("Shown now 07700 900222Dan Kowalski, on Court laptop, 23 Nov 2026, 10:00");
    expect(item).toContain("Not shown 07700 900111Priya Shah, on Priya Shah's laptop");
    await expectNoAxeViolations(document.body);

    await user.click(screen.getByRole("button", { name: 'Restore "07700 900111"' }));
    expect(settled).toEqual([{ record_type: "client", record_id: "c-1", field: "phone", keep_op_id: "op-a" }]);
    await screen.findByText('John Smith: phone is now "07700 900111" again.');
    await waitFor(() => expect(screen.queryByRole("heading", { level: 3, name: "John Smith: phone" })).toBeNull());

    await user.type(screen.getByLabelText("Laptop's name"), "Court laptop 2");
    await user.selectOptions(screen.getByLabelText("Who will use it"), "w-dan");
    await user.click(screen.getByRole("button", { name: "Make a join file…" }));
    expect(api.makeJoinFile).toHaveBeenCalledWith({ label: "Court laptop 2", worker_id: "w-dan" }, expect.any(Function));
    // A big team's copy takes a while: the bar says how far it has got.
    await waitFor(() => expect(document.querySelector("#task-progress")?.textContent).toContain("Copying the team's data: 41%"));
    saveJoinFile();
    await waitFor(() => expect(document.querySelector("#join-passphrase")?.textContent).toBe("ABCDE-FGH23-JKLMN-PQRS4"));
  });

  it("a team lead enrols the partnership hub: a name the hub needs, then its file and a passphrase shown once", async () => {
    const hub = { id: "d-hub", label: "West Yorkshire hub", enrolled_at: "2026-11-23T09:30:00Z", enrolled_by: "Priya Shah", revoked_at: null, this_laptop: false, last_bundle_at: null, replaced: null, replaced_by: null, has_current_key: true, hub: true };
    let enrolled = false;
    const api = signedInApi(teamLead, {
      syncStatus: () => Promise.resolve(status(enrolled ? { devices: [...status().devices, hub] } : {})),
      listWorkers: () => Promise.resolve([caseworker, teamLead]),
      makeHubFile: (label) => {
        if (!label.trim()) return Promise.reject(rejection("validation.required", "Enter the hub's name.", [{ field: "label", code: "validation.required", message: "Enter the hub's name." }]));
        enrolled = true;
        return Promise.resolve({ path: "/media/usb/hub-west-yorkshire-hub.throughline-hub", passphrase: "VWXYZ-23456-ABCDE-FGHJK", label });
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sync" }));
    await user.click(await screen.findByRole("button", { name: "Make a hub enrolment file…" }));
    await screen.findByText("Enter the hub's name.");
    await user.type(screen.getByLabelText("Hub's name"), "West Yorkshire hub");
    await user.click(screen.getByRole("button", { name: "Make a hub enrolment file…" }));
    expect(api.makeHubFile).toHaveBeenLastCalledWith("West Yorkshire hub", expect.any(Function));
    await waitFor(() => expect(document.querySelector("#hub-passphrase")?.textContent).toBe("VWXYZ-23456-ABCDE-FGHJK"));
    await screen.findByText("Partnership hub: receives the team's bundles, sends none");
    // It never says what it has had, so no bundle is made "for" it: it takes everything.
    expect(screen.queryByLabelText("What West Yorkshire hub has not had yet")).toBeNull();
    expect(screen.getByLabelText("What Priya Shah's laptop has not had yet")).toBeTruthy();
    await expectNoAxeViolations(document.body);
  });

  it("a long import shows what it is doing and how far it has got, and Cancel stops it with nothing imported", async () => {
    let stop: (results: Imported[]) => void = () => {};
    const api = signedInApi(caseworker, {
      syncStatus: () => Promise.resolve(status()),
      importBundles: (onProgress) => {
        onProgress?.({ doing: "Applying the changes", done: 412_000, total: 1_000_000 });
        return new Promise((resolve) => (stop = resolve));
      },
      cancelTask: () => {
        // The shell's answer once the import has rolled back: that bundle is reported cancelled.
        stop([{ file: "week-47.throughline", summary: null, error: rejection("task.cancelled", "Cancelled before it finished: nothing was changed.") }]);
        return Promise.resolve();
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sync" }));
    await screen.findByRole("heading", { level: 1, name: "Sync" });
    await user.click(screen.getByRole("button", { name: "Import bundles…" }));

    await waitFor(() => expect(document.querySelector("#task-progress")?.textContent).toContain("Applying the changes: 41%"));
    expect((document.querySelector("#task-progress progress") as HTMLProgressElement).value).toBe(41);
    expect(screen.getByRole("button", { name: "Import bundles…" }).getAttribute("aria-disabled")).toBe("true");
    await expectNoAxeViolations(document.body);

    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(api.cancelTask).toHaveBeenCalledOnce();
    await waitFor(() => expect(document.querySelector("#task-progress")).toBeNull());
    // Not an error: the worker chose it, and the laptop is as it was.
    expect(document.querySelector("#import-results")?.textContent).toBe("week-47.throughline: Cancelled before it finished: nothing was changed.");
    expect(document.querySelector("#import-results .error-message")).toBeNull();
    expect(document.querySelector("[role=alert]")).toBeNull();
    expect(screen.getByRole("button", { name: "Import bundles…" }).getAttribute("aria-disabled")).toBe("false");
  });

  it("a new laptop joins its team with the join file and passphrase, a wrong passphrase said beside its field", async () => {
    const api = fakeApi({
      appStatus: () => Promise.resolve({ set_up: false, session: null, locked_login: null, version: "0.1.0" }),
      chooseJoinFile: () => Promise.resolve("join-custody-laptop.throughline-join"),
      joinTeam: (passphrase) =>
        passphrase === "abcde-fgh23-jklmn-pqrs4"
          ? Promise.resolve({ session: { worker: caseworker, team_name: "Westbridge CJ Drug Team" } as never, recovery_key: "RK-1234" })
          : Promise.reject(rejection("sync.passphrase_wrong", "This passphrase does not open the join file. Check it with your team lead (it is four groups of five letters and digits).")),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Join an existing team" }));
    await screen.findByRole("heading", { level: 1, name: "Join your team" });
    await user.click(screen.getByRole("button", { name: "Choose the join file…" }));
    await screen.findByText("join-custody-laptop.throughline-join");
    await user.type(screen.getByLabelText("Passphrase"), "AAAAA-BBBBB-CCCCC-DDDDD");
    await user.type(screen.getByLabelText("Your password on this laptop"), "custody-suite-kettle");
    await user.type(screen.getByLabelText("Confirm password"), "custody-suite-kettle");
    await user.click(screen.getByRole("button", { name: "Join the team" }));
    await waitFor(() => expect(document.querySelector("#passphrase-error")?.textContent).toContain("This passphrase does not open the join file"));

    await user.clear(screen.getByLabelText("Passphrase"));
    await user.type(screen.getByLabelText("Passphrase"), "abcde-fgh23-jklmn-pqrs4");
    await user.click(screen.getByRole("button", { name: "Join the team" }));
    await screen.findByText("RK-1234");
  });
});
