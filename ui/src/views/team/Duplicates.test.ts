import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, person, record, signedInApi, teamLead } from "../../test/fakeApi";
import type { DuplicatePair } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";

const john = person({ id: "c-john", surname: "Featherstone", forenames: "John", pnc: "1987/1234567U", aliases: ["Johnny Feathers"] });
const jon = person({ id: "c-jon", surname: "Fetherstone", forenames: "Jon", pnc: null, allocated_worker: null });
const other = person({ id: "c-x", surname: "Smith", forenames: "Ann" });
const otherToo = person({ id: "c-y", surname: "Smyth", forenames: "Anne" });
const pairs: DuplicatePair[] = [
  { first: john, second: jon, reasons: ["Same date of birth", "Surnames alike (Featherstone / Fetherstone)"], same_identifier: false },
  { first: other, second: otherToo, reasons: ["Same NHS number"], same_identifier: true },
];
const records = {
  "c-john": record({ id: "c-john", surname: "Featherstone", forenames: "John", pnc: "1987/1234567U", postcode: "LS1 4AP" }),
  "c-jon": record({ id: "c-jon", surname: "Fetherstone", forenames: "Jon", pnc: null, postcode: "LS1 4AP", allocated_worker: null, allocated_worker_id: null }),
} as Record<string, ReturnType<typeof record>>;

async function openDuplicates(over = {}) {
  const api = signedInApi(teamLead, {
    duplicatePairs: () => Promise.resolve({ total: pairs.length, offset: 0, page_size: 25, pairs }),
    openClient: (id) => Promise.resolve(records[id]),
    listWorkers: () => Promise.resolve([caseworker, teamLead]),
    ...over,
  });
  render(App, { props: { api } });
  const user = userEvent.setup();
  await screen.findByRole("heading", { level: 1, name: "Today" });
  const navs = Array.from(document.querySelectorAll(".nav-item")).map((b) => b.textContent);
  expect(navs).toEqual(["Today", "Find a person", "Register a person", "My caseload", "Coming releases", "Sync", "Dashboard", "Caseloads", "Team flags", "Possible duplicates", "Returns", "Retention review", "Workers", "Settings", "Audit trail check", "About"]);
  // Grouped by what a person does.
  expect(Array.from(document.querySelectorAll(".nav-group")).map((g) => g.textContent)).toEqual(["My work", "The team", "Administration"]);
  await user.click(document.getElementById("nav-duplicates")!);
  await screen.findByRole("heading", { level: 1, name: "Possible duplicates" });
  await waitFor(() => expect(document.querySelectorAll(".duplicate-pair")).toHaveLength(2));
  return { api, user };
}

describe("Possible duplicates", () => {
  it("is only for team leads", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.getElementById("nav-duplicates")).toBeNull();
    expect(document.getElementById("nav-team")).toBeNull();
    expect(document.getElementById("nav-caseload")).not.toBeNull();
  });

  it("lists pairs side by side; compare, keep the first, merge, and the survivor opens", async () => {
    const { api, user } = await openDuplicates({ mergeClients: () => Promise.resolve("m-1") });
    const first = document.querySelectorAll(".duplicate-pair")[0] as HTMLElement;
    expect(first.textContent).toContain("John Featherstone");
    expect(first.textContent).toContain("Jon Fetherstone");
    expect(first.textContent).toContain("Johnny Feathers");
    expect(first.textContent).toContain("1987/1234567U");
    expect(first.textContent).toContain("Not allocated");
    expect(first.textContent).toContain("Surnames alike (Featherstone / Fetherstone)");
    const certain = document.querySelectorAll(".duplicate-pair")[1];
    expect(certain.textContent).toContain("Same NHS number: almost certainly one person");
    await expectNoAxeViolations();

    await user.click(first.querySelector(".compare-button")!);
    await screen.findByRole("heading", { level: 1, name: "Compare two records" });
    await waitFor(() => expect(document.querySelector(".compare-table")).not.toBeNull());
    expect(api.openClient).toHaveBeenCalledWith("c-john");
    expect(api.openClient).toHaveBeenCalledWith("c-jon");
    const rowFor = (label: string) => Array.from(document.querySelectorAll(".compare-row")).find((r) => r.querySelector("th")?.textContent?.startsWith(label))!;
    // Differences are marked with a word, not only a colour.
    expect(rowFor("Surname").textContent).toContain("Different");
    expect(rowFor("PNC id").textContent).toContain("Different");
    expect(rowFor("Postcode").textContent).not.toContain("Different");
    expect(rowFor("Postcode").querySelectorAll("td")[0].textContent).toBe("LS1 4AP");
    expect((document.getElementById("merge-reasons") as HTMLTextAreaElement).value).toBe("Same date of birth; Surnames alike (Featherstone / Fetherstone)");
    await expectNoAxeViolations();

    // Merging without choosing asks which to keep.
    await user.click(document.getElementById("merge-button")!);
    await waitFor(() => expect(document.getElementById("keep-error")?.textContent).toContain("Choose which record to keep."));
    expect(api.mergeClients).not.toHaveBeenCalled();

    await user.click(document.getElementById("keep-first")!);
    expect(document.getElementById("merge-sentence")?.textContent).toContain(
      "Jon Fetherstone's record will be merged into John Featherstone's. Names and identifiers are kept, and the merge can be undone.",
    );
    await user.click(document.getElementById("merge-button")!);
    expect(api.mergeClients).toHaveBeenCalledWith("c-john", "c-jon", "Same date of birth; Surnames alike (Featherstone / Fetherstone)");
    await screen.findByRole("heading", { level: 1, name: "John Featherstone" });
    expect(api.openClient).toHaveBeenLastCalledWith("c-john");
  });

  it("keeping the second merges the first into it", async () => {
    const { api, user } = await openDuplicates({ mergeClients: () => Promise.resolve("m-1") });
    await user.click(document.querySelector(".duplicate-pair .compare-button")!);
    await waitFor(() => expect(document.getElementById("keep-second")).not.toBeNull());
    await user.click(document.getElementById("keep-second")!);
    await user.click(document.getElementById("merge-button")!);
    expect(api.mergeClients).toHaveBeenCalledWith("c-jon", "c-john", expect.any(String));
    await screen.findByRole("heading", { level: 1, name: "Jon Fetherstone" });
  });

  it("Esc backs out of the comparison without merging", async () => {
    const { api, user } = await openDuplicates();
    await user.click(document.querySelector(".duplicate-pair .compare-button")!);
    await screen.findByRole("heading", { level: 1, name: "Compare two records" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "Possible duplicates" });
    expect(api.mergeClients).not.toHaveBeenCalled();
  });

  it("'Not the same person' dismisses the pair and removes it", async () => {
    const { api, user } = await openDuplicates({ dismissDuplicate: () => Promise.resolve() });
    const first = document.querySelectorAll(".duplicate-pair")[0] as HTMLElement;
    await user.click(within(first).getByRole("button", { name: /Not the same person/ }));
    expect(api.dismissDuplicate).toHaveBeenCalledWith("c-john", "c-jon");
    await waitFor(() => expect(document.querySelectorAll(".duplicate-pair")).toHaveLength(1));
    expect(document.querySelector(".duplicate-pair")?.textContent).toContain("Ann Smith");
    expect(screen.getByRole("status").textContent).toContain("John Featherstone and Jon Fetherstone are marked as different people");
  });
});
