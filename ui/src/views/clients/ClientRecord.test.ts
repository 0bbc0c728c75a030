import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/svelte";
import { caseworker, record, rejection, teamLead } from "../../test/fakeApi";
import type { ClientRecord } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";
import { openRecord } from "../../test/openRecord";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;


describe("A client's record", () => {
  it("shows every filled-in detail in words, with history, and has no accessibility problems axe can find", async () => {
    const full = record({
      no_fixed_abode: true,
      ethnicity: "white_irish",
      ethnicity_label: "Irish",
      substances_label: "Heroin, Crack cocaine",
      injecting_label: "Injecting now",
      status: "closed",
      closed_reason: "moved_away",
      closed_reason_label: "Moved out of the area",
      aliases: [{ id: "a-1", surname: "Smyth", forenames: "Jon", from_merge: true, added_at: "2026-03-04T10:00:00Z", added_by: "Priya Shah" }],
      merges: [{ id: "m-1", merged_id: "c-9", merged_name: "Jon Smyth (born 3 Mar 1987)", reasons: "Same date of birth", merged_at: "2026-03-04T10:00:00Z", merged_by: "Priya Shah" }],
    });
    const { api } = await openRecord(teamLead, {
      openClient: () => Promise.resolve(full),
      listWorkers: () => Promise.resolve([caseworker, teamLead, { ...caseworker, id: "w-old", display_name: "Old Worker", active: false }]),
      clientHistory: () =>
        Promise.resolve([
          { field: "address", label: "Address", old_value: null, new_value: "1 Leeds Road", at: "2026-03-05T09:30:00Z", by: "Dan Kowalski" },
        ]),
    });
    const details = document.querySelector("dl.client-details")!;
    expect(details.textContent).toContain("No fixed abode");
    expect(details.textContent).toContain("Irish");
    expect(details.textContent).toContain("Closed: Moved out of the area");
    expect(within(document.getElementById("aliases")!).getByText("from a merged record")).toBeTruthy();
    await waitFor(() => expect(document.querySelector("#history tbody tr")?.textContent).toContain("5 Mar 2026, 09:30"));
    expect(document.querySelector("#history tbody tr")?.textContent).toContain("1 Leeds Road");
    expect(api.clientHistory).toHaveBeenCalledWith("c-1");
    expect(screen.getByRole("button", { name: "Reopen case" })).toBeTruthy();
    // Team lead: allocation, only to those who can hold a caseload.
    await waitFor(() => expect(document.getElementById("allocated_worker_id")).not.toBeNull());
    const options = Array.from((document.getElementById("allocated_worker_id") as HTMLSelectElement).options).map((o) => o.textContent);
    expect(options).toEqual(["Not allocated", "Dan Kowalski (Custody)", "Priya Shah (Team lead, Court)"]);
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
    await expectNoAxeViolations();
  });

  it("a caseworker sees no allocation or merges, and a merged record points to the one in use", async () => {
    const merged = record({ id: "c-1", status: "merged", merged_into: "c-2" });
    const { api, user } = await openRecord(caseworker, {
      openClient: (id) => Promise.resolve(id === "c-2" ? record({ id: "c-2", surname: "Smith", forenames: "Johnny" }) : merged),
    });
    expect(document.getElementById("allocation")).toBeNull();
    expect(document.getElementById("edit-details")).toBeNull();
    expect(document.body.textContent).toContain("This record was merged into another");
    await user.click(screen.getByRole("button", { name: "Open the record in use" }));
    await screen.findByRole("heading", { level: 1, name: "Johnny Smith" });
    expect(api.openClient).toHaveBeenLastCalledWith("c-2");
  });

  it("an anonymised case says so and offers nothing to change", async () => {
    const anonymised = record({
      surname: "Anonymised",
      forenames: "",
      status: "closed",
      closed_reason: "moved_away",
      closed_reason_label: "Moved out of the area",
      anonymised_at: "2026-11-29T10:15:00Z",
    });
    await openRecord(teamLead, { openClient: () => Promise.resolve(anonymised) }, "Anonymised");
    expect(document.querySelector(".anonymised-banner")?.textContent?.replace(/\s+/g, " ")).toContain(
      "Anonymised on 29 Nov 2026 after a retention review.",
    );
    expect(document.getElementById("edit-details")).toBeNull();
    expect(document.getElementById("allocation")).toBeNull();
    expect(document.body.textContent).not.toContain("This case is closed");
  });

  it("edit details: prefilled as typed, errors beside the fields keeping everything, then 'Details saved'", async () => {
    let current: ClientRecord = record({ nhs_number: "943 476 5919", postcode: "LS1 4AP" });
    let tries = 0;
    const message = "Enter a real postcode, like LS1 4AP.";
    const { api, user } = await openRecord(caseworker, {
      openClient: () => Promise.resolve(current),
      updateClient: (_id, input) => {
        tries++;
        if (tries === 1) return Promise.reject(rejection("validation.postcode_format", message, [{ field: "postcode", code: "validation.postcode_format", message }]));
        current = { ...current, postcode: input.postcode };
        return Promise.resolve(["postcode"]);
      },
    });
    await user.click(screen.getByRole("button", { name: "Edit details" }));
    await screen.findByRole("heading", { level: 1, name: "Edit details" });
    await waitFor(() => expect(document.activeElement).toBe(input("surname")));
    expect(input("date_of_birth").value).toBe("03/03/1987");
    expect(input("nhs_number").value).toBe("9434765919");
    expect(input("sex-male").checked).toBe(true);
    expect(input("postcode").value).toBe("LS1 4AP");

    await user.clear(input("postcode"));
    await user.type(input("postcode"), "NOWHERE");
    await user.clear(input("forenames"));
    await user.type(input("forenames"), "John Paul Anthony{Enter}");
    await waitFor(() => expect(document.getElementById("postcode-error")?.textContent).toContain(message));
    expect(document.querySelector(".error-summary")?.textContent).toContain(message);
    expect(input("postcode").value).toBe("NOWHERE");
    expect(input("forenames").value).toBe("John Paul Anthony");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Edit details");

    await user.clear(input("postcode"));
    await user.type(input("postcode"), "LS2 7UE{Enter}");
    expect(api.updateClient).toHaveBeenLastCalledWith("c-1", expect.objectContaining({ postcode: "LS2 7UE", forenames: "John Paul Anthony", date_of_birth: "03/03/1987" }));
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("Details saved"));
    expect(document.getElementById("record-notice")?.textContent).toContain("Postcode");
    expect(document.querySelector("dl.client-details")?.textContent).toContain("LS2 7UE");
    // Opening the record was audited as a view; reading it again after the save is not a new view.
    expect(api.openClient).toHaveBeenCalledTimes(1);
    expect(api.rereadClient).toHaveBeenCalledWith("c-1");
  });

  it("Esc cancels editing and goes back to the record, not the search", async () => {
    const { api, user } = await openRecord(caseworker, { openClient: () => Promise.resolve(record()) });
    await user.click(screen.getByRole("button", { name: "Edit details" }));
    await screen.findByRole("heading", { level: 1, name: "Edit details" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.activeElement?.id).toBe("edit-details"));
    expect(api.updateClient).not.toHaveBeenCalled();
  });

  it("adds and removes another name", async () => {
    let current: ClientRecord = record();
    const { api, user } = await openRecord(caseworker, {
      openClient: () => Promise.resolve(current),
      addAlias: (_id, a) => {
        if (!a.surname && !a.forenames) {
          const m = "Enter the other surname, forenames or both.";
          return Promise.reject(rejection("validation.required", m, [{ field: "alias_surname", code: "validation.required", message: m }]));
        }
        current = { ...current, aliases: [...current.aliases, { id: "a-new", surname: a.surname, forenames: a.forenames, from_merge: false, added_at: "2026-03-05T09:30:00Z", added_by: "Dan Kowalski" }] };
        return Promise.resolve("a-new");
      },
      removeAlias: (aliasId) => {
        current = { ...current, aliases: current.aliases.filter((a) => a.id !== aliasId) };
        return Promise.resolve();
      },
    });
    const section = document.getElementById("aliases")!;
    expect(section.textContent).toContain("No other names recorded.");
    await user.click(document.getElementById("add-alias")!);
    await waitFor(() => expect(document.getElementById("alias_surname-error")?.textContent).toContain("Enter the other surname"));

    await user.type(input("alias_surname"), "Smyth");
    await user.type(input("alias_forenames"), "Jonny{Enter}");
    expect(api.addAlias).toHaveBeenLastCalledWith("c-1", { surname: "Smyth", forenames: "Jonny" });
    await waitFor(() => expect(section.querySelector(".alias")?.textContent).toContain("Jonny Smyth"));
    expect(section.textContent).toContain("Added “Jonny Smyth”.");
    expect(input("alias_surname").value).toBe("");
    expect(document.getElementById("alias_surname-error")).toBeNull();

    await user.click(within(section).getByRole("button", { name: "Remove Jonny Smyth" }));
    expect(api.removeAlias).toHaveBeenCalledWith("a-new");
    await waitFor(() => expect(section.querySelector(".alias")).toBeNull());
    expect(section.textContent).toContain("Removed “Jonny Smyth”.");
  });

  it("says in words when there is no current consent, records one and withdraws it", async () => {
    let current: ClientRecord = record();
    const { api, user } = await openRecord(caseworker, {
      openClient: () => Promise.resolve(current),
      recordConsent: (_id, c) => {
        if (!c.given_on) {
          const m = "Enter the date consent was given.";
          return Promise.reject(rejection("validation.required", m, [{ field: "given_on", code: "validation.required", message: m }]));
        }
        current = {
          ...current,
          has_current_consent: true,
          consents: [{ id: "k-1", given_on: "2026-03-01", scope: c.scope, review_on: "2027-03-01", withdrawn_on: null, current: true, recorded_by: "Dan Kowalski" }],
        };
        return Promise.resolve("k-1");
      },
      withdrawConsent: () => {
        current = { ...current, has_current_consent: false, consents: current.consents.map((k) => ({ ...k, current: false, withdrawn_on: "2026-03-05" })) };
        return Promise.resolve();
      },
    });
    const section = document.getElementById("consent")!;
    expect(section.textContent).toContain("No current consent to share");
    await waitFor(() => expect(section.textContent).toContain("(12 months)"));

    await user.type(input("scope"), "GP and probation");
    await user.click(screen.getByRole("button", { name: "Record consent" }));
    await waitFor(() => expect(document.getElementById("given_on-error")?.textContent).toContain("Enter the date consent was given."));
    expect(input("scope").value).toBe("GP and probation");

    await user.type(input("given_on"), "01/03/2026");
    await user.click(screen.getByRole("button", { name: "Record consent" }));
    expect(api.recordConsent).toHaveBeenLastCalledWith("c-1", { given_on: "01/03/2026", scope: "GP and probation", review_on: "" });
    await waitFor(() => expect(section.textContent).toContain("Current consent to share"));
    expect(section.textContent).not.toContain("No current consent");
    const row = section.querySelector("tr.consent")!;
    expect(row.textContent).toContain("1 Mar 2026");
    expect(row.textContent).toContain("1 Mar 2027");
    expect(row.textContent).toContain("Current");

    await user.click(within(section).getByRole("button", { name: "Withdraw consent given on 1 Mar 2026" }));
    expect(api.withdrawConsent).toHaveBeenCalledWith("k-1");
    await waitFor(() => expect(section.textContent).toContain("No current consent to share"));
    expect(section.querySelector("tr.consent")?.textContent).toContain("Withdrawn 5 Mar 2026");
  });

  it("closes a case with a reason, showing the backend's error beside the select, and reopens it", async () => {
    let current: ClientRecord = record();
    const { api, user } = await openRecord(caseworker, {
      openClient: () => Promise.resolve(current),
      closeClient: (_id, reason) => {
        if (!reason) {
          const m = "Choose why the case is closing.";
          return Promise.reject(rejection("validation.required", m, [{ field: "closed_reason", code: "validation.required", message: m }]));
        }
        current = { ...current, status: "closed", closed_reason: reason, closed_reason_label: "Moved out of the area" };
        return Promise.resolve();
      },
      reopenClient: () => {
        current = { ...current, status: "active", closed_reason: null, closed_reason_label: null };
        return Promise.resolve();
      },
    });
    await user.click(screen.getByRole("button", { name: "Close case" }));
    await waitFor(() => expect(document.getElementById("closed_reason-error")?.textContent).toContain("Choose why the case is closing."));
    await waitFor(() => expect((document.getElementById("closed_reason") as HTMLSelectElement).options.length).toBeGreaterThan(1));
    await user.selectOptions(document.getElementById("closed_reason")!, "Moved out of the area");
    await user.click(screen.getByRole("button", { name: "Close case" }));
    expect(api.closeClient).toHaveBeenLastCalledWith("c-1", "moved_away");
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("Case closed: Moved out of the area."));
    expect(document.querySelector("dl.client-details")?.textContent).toContain("Closed: Moved out of the area");
    await user.click(screen.getByRole("button", { name: "Reopen case" }));
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("Case reopened."));
  });

  it("a team lead allocates the client, or to no one", async () => {
    let current: ClientRecord = record();
    const { api, user } = await openRecord(teamLead, {
      openClient: () => Promise.resolve(current),
      listWorkers: () => Promise.resolve([caseworker, teamLead]),
      allocateClient: (_id, workerId) => {
        current = { ...current, allocated_worker_id: workerId, allocated_worker: workerId ? "Priya Shah" : null };
        return Promise.resolve();
      },
    });
    await waitFor(() => expect((document.getElementById("allocated_worker_id") as HTMLSelectElement).value).toBe("w-dan"));
    await user.selectOptions(document.getElementById("allocated_worker_id")!, "Priya Shah (Team lead, Court)");
    await user.click(document.getElementById("allocate")!);
    expect(api.allocateClient).toHaveBeenLastCalledWith("c-1", "w-tl");
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("Allocated to Priya Shah."));
    await user.selectOptions(document.getElementById("allocated_worker_id")!, "Not allocated");
    await user.click(document.getElementById("allocate")!);
    expect(api.allocateClient).toHaveBeenLastCalledWith("c-1", null);
    await waitFor(() => expect(document.querySelector("dl.client-details")?.textContent).toContain("Not allocated"));
  });

  it("a team lead undoes a merge and is told in words", async () => {
    let current: ClientRecord = record({
      surname: "Featherstone",
      forenames: "John",
      aliases: [{ id: "a-m", surname: "Fetherstone", forenames: "Jon", from_merge: true, added_at: "2026-03-04T10:00:00Z", added_by: "Priya Shah" }],
      merges: [{ id: "m-1", merged_id: "c-9", merged_name: "Jon Fetherstone (born 3 Mar 1987)", reasons: "Same date of birth", merged_at: "2026-03-04T10:00:00Z", merged_by: "Priya Shah" }],
    });
    const { api, user } = await openRecord(
      teamLead,
      {
        openClient: () => Promise.resolve(current),
        listWorkers: () => Promise.resolve([caseworker, teamLead]),
        undoMerge: () => {
          current = { ...current, aliases: [], merges: [] };
          return Promise.resolve();
        },
      },
      "John Featherstone",
    );
    const merges = document.getElementById("merges")!;
    expect(merges.textContent).toContain("Jon Fetherstone (born 3 Mar 1987)");
    expect(merges.textContent).toContain("Same date of birth");
    expect(merges.textContent).toContain("4 Mar 2026, 10:00");
    await user.click(document.querySelector(".undo-merge")!);
    expect(api.undoMerge).toHaveBeenCalledWith("m-1");
    await waitFor(() => expect(document.getElementById("merge-undone")?.textContent).toBe("Merge undone: Jon Fetherstone is a separate record again."));
    expect(document.activeElement?.id).toBe("merge-undone");
    expect(document.getElementById("merges")).toBeNull();
    expect(document.getElementById("aliases")?.textContent).not.toContain("Fetherstone");
  });
});
