import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { administrator, caseworker, rejection, signedInApi } from "../../test/fakeApi";
import type { ChainCheck, OnProgress } from "../../lib/api/index";

const intact: ChainCheck = {
  entries: 1234,
  first_broken_entry: null,
  intact: true,
  problem: "none",
  finding: "The audit trail is intact. All 1234 entries were checked: none has been changed or removed, and none cut off the end (the last is entry 1234 (29 Nov 2026 at 09:00, Chris Hall: signed in)).",
  last_good: { seq: 1234, at: "2026-11-29T09:00:00.000Z", worker: "Chris Hall", action: "signed in" },
  witnessed: [{ laptop: "Court laptop", agrees: true, words: "\"Court laptop\" last saw this trail up to entry 1200 (by its bundle of 28 Nov 2026 at 17:00), and this trail still holds that entry as it was." }],
};
const cut: ChainCheck = {
  entries: 1232,
  first_broken_entry: 1233,
  intact: false,
  problem: "cut_from_end",
  finding: "The audit trail has been tampered with. The last 2 entries (entries 1233 to 1234) have been cut off the end. The trail can be trusted up to entry 1232 (29 Nov 2026 at 08:59, Chris Hall: viewed client record). Tell your information governance lead today and do not delete anything.",
  last_good: { seq: 1232, at: "2026-11-29T08:59:00.000Z", worker: "Chris Hall", action: "viewed client record" },
  witnessed: [],
};

describe("Audit trail check", () => {
  it("says in words whether the trail is intact and where it breaks", async () => {
    let result = intact;
    render(App, { props: { api: signedInApi(administrator, { verifyAuditChain: () => Promise.resolve(result) }) } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Audit trail check" }));
    await user.click(await screen.findByRole("button", { name: "Check the audit trail" }));
    await waitFor(() => expect(document.body.textContent).toContain("The audit trail is intact. All 1234 entries were checked"));
    // What another laptop last saw of this trail, from its bundles.
    expect(screen.getByRole("heading", { name: "What the team's other laptops saw" })).toBeTruthy();
    expect(document.body.textContent).toContain("\"Court laptop\" last saw this trail up to entry 1200");
    result = cut;
    await user.click(screen.getByRole("button", { name: "Check the audit trail" }));
    await waitFor(() => expect(document.body.textContent).toContain("The audit trail has been tampered with."));
    expect(document.body.textContent).toContain("The last 2 entries (entries 1233 to 1234) have been cut off the end.");
    expect(document.body.textContent).toContain("The trail can be trusted up to entry 1232");
  });

  it("shows how far a long check has got, and Cancel stops it, saying nothing is known yet", async () => {
    let tell: OnProgress = () => {};
    let refuse: (e: unknown) => void = () => {};
    const api = signedInApi(administrator, {
      verifyAuditChain: (onProgress?: OnProgress) =>
        new Promise<ChainCheck>((_, reject) => {
          tell = onProgress ?? tell;
          refuse = reject;
        }),
      cancelTask: () => {
        refuse(rejection("task.cancelled", "Stopped."));
        return Promise.resolve();
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Audit trail check" }));
    await user.click(await screen.findByRole("button", { name: "Check the audit trail" }));
    tell({ doing: "Checking the audit trail", done: 1_250_000, total: 2_556_351 });
    await waitFor(() => expect(document.getElementById("task-percent")?.textContent).toBe(": 48%"));
    expect(document.getElementById("task-doing")?.textContent).toBe("Checking the audit trail");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.getElementById("audit-check-stopped")?.textContent).toContain("nothing is known about the trail yet"));
    expect(document.getElementById("task-progress")).toBeNull();
    expect(document.body.textContent).not.toContain("The audit trail is intact");
  });

  it("is not offered to a caseworker", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await screen.findByRole("button", { name: "Settings" });
    expect(screen.queryByRole("button", { name: "Audit trail check" })).toBeNull();
  });
});
