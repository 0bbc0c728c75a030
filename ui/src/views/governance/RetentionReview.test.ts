import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, rejection, signedInApi, teamLead } from "../../test/fakeApi";
import type { CaseForReview, NewRetentionReview } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";

const ada: CaseForReview = {
  client_id: "c-ada",
  name: "Ada Quillfeather",
  date_of_birth: "1990-05-12",
  closed_on: "2017-09-01",
  closed_reason_label: "Moved out of the area",
  allocated_worker: "Dan Kowalski",
  last_kept: null,
};
const tom: CaseForReview = {
  client_id: "c-tom",
  name: "Tom Hale",
  date_of_birth: "1979-01-30",
  closed_on: "2018-02-14",
  closed_reason_label: "Treatment completed",
  allocated_worker: null,
  last_kept: "Kept on 14 Feb 2026 by Priya Shah: Named in an open serious case review.",
};

/** A page of the review from the start, with `total` due in all. */
const page = (cases: CaseForReview[], total = cases.length, offset = 0) => ({ total, offset, page_size: 50, cases });

/** An element's text as a reader sees it: runs of white space are one space. */
const text = (el: Element) => (el.textContent ?? "").replace(/\s+/g, " ");

async function openReview(over = {}) {
  const api = signedInApi(teamLead, { casesForRetentionReview: () => Promise.resolve(page([ada, tom])), ...over });
  render(App, { props: { api } });
  const user = userEvent.setup();
  await screen.findByRole("heading", { level: 1, name: "Today" });
  await user.click(document.getElementById("nav-retention")!);
  await screen.findByRole("heading", { level: 1, name: "Retention review" });
  await waitFor(() => expect(document.querySelectorAll(".retention-case")).toHaveLength(2));
  return { api, user };
}

describe("Retention review", () => {
  it("is only for team leads", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.getElementById("nav-retention")).toBeNull();
  });

  it("keeps a case with a reason and a date to look again, after saying what is missing", async () => {
    const reviewRetention = vi
      .fn()
      .mockRejectedValueOnce(rejection("validation.required", "Check the form.", [{ field: "reason", code: "validation.required", message: "Say why the case is kept beyond the retention period." }]))
      .mockResolvedValueOnce({ records: 0, changes: 0 });
    const { user } = await openReview({ reviewRetention });
    const first = document.querySelectorAll(".retention-case")[0] as HTMLElement;
    expect(text(first)).toContain("Born 12 May 1990. Closed on 1 Sep 2017: Moved out of the area.");
    expect(text(first)).toContain("Was with Dan Kowalski.");
    expect(text(document.querySelectorAll(".retention-case")[1])).toContain("Kept on 14 Feb 2026 by Priya Shah");

    await user.click(document.getElementById("keep-c-ada")!);
    expect(document.activeElement?.id).toBe("reason");
    const again = (document.getElementById("review_again_on") as HTMLInputElement).value;
    expect(again).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await user.click(screen.getByRole("button", { name: "Keep the case" }));
    expect(await screen.findByText("Say why the case is kept beyond the retention period.", { selector: ".error-message, .field-error, span, p" })).toBeTruthy();

    await user.type(document.getElementById("reason")!, "Her brother's case at the Crown Court names her.");
    await user.click(screen.getByRole("button", { name: "Keep the case" }));
    await waitFor(() => expect(document.querySelectorAll(".retention-case")).toHaveLength(1));
    const input: NewRetentionReview = reviewRetention.mock.calls[1][1];
    expect(reviewRetention.mock.calls[1][0]).toBe("c-ada");
    expect(input).toEqual({ decision: "kept", reason: "Her brother's case at the Crown Court names her.", review_again_on: again });
    expect(document.querySelector(".success-banner")?.textContent).toBe(`Ada Quillfeather's case is kept. It comes up for review again on ${again}.`);
    expect(document.activeElement?.id).toBe("keep-c-tom");
    await expectNoAxeViolations(document.body);
  });

  it("anonymises only once the lead has read that it cannot be undone", async () => {
    const reviewRetention = vi.fn().mockResolvedValue({ records: 5, changes: 7 });
    const { user } = await openReview({ reviewRetention });
    await user.click(document.getElementById("anonymise-c-tom")!);
    expect(reviewRetention).not.toHaveBeenCalled();
    const second = document.querySelectorAll(".retention-case")[1] as HTMLElement;
    expect(text(second)).toContain("Anonymising cannot be undone.");
    expect(text(second)).toContain("Backups made before today still hold them until they are replaced.");
    expect(document.activeElement?.id).toBe("confirm-anonymise");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.activeElement?.id).toBe("keep-c-tom");

    await user.click(document.getElementById("anonymise-c-tom")!);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(document.querySelectorAll(".retention-case")).toHaveLength(1));
    expect(reviewRetention).toHaveBeenCalledWith("c-tom", { decision: "anonymised", reason: "", review_again_on: "" });
    expect(document.querySelector(".success-banner")?.textContent).toBe(
      "Tom Hale's case is anonymised: 5 records and 7 earlier changes no longer name them. It still counts in the returns.",
    );
  });

  it("shows the longest closed fifty of many, and the next on asking", async () => {
    const many = Array.from({ length: 52 }, (_, i): CaseForReview => ({ ...ada, client_id: `c-${i}`, name: `Person ${i}` }));
    const casesForRetentionReview = vi.fn((offset: number) => Promise.resolve(page(many.slice(offset, offset + 50), 52, offset)));
    render(App, { props: { api: signedInApi(teamLead, { casesForRetentionReview }) } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-retention")!);
    await waitFor(() => expect(document.querySelectorAll(".retention-case")).toHaveLength(50));
    expect(document.querySelector(".lead")?.textContent).toContain("52 closed cases are past the team's retention period.");
    expect(screen.getByText("Showing the 50 longest closed.")).toBeTruthy();
    expect(casesForRetentionReview).toHaveBeenCalledWith(0);

    await user.click(screen.getByRole("button", { name: /Show the next 2/ }));
    await waitFor(() => expect(document.querySelectorAll(".retention-case")).toHaveLength(52));
    expect(casesForRetentionReview).toHaveBeenLastCalledWith(50);
    expect(document.activeElement?.id).toBe("keep-c-50");
    expect(document.getElementById("retention-more")).toBeNull();
    expect(screen.queryByText(/Showing the/)).toBeNull();
  });

  it("brings the next cases when every one shown is decided", async () => {
    const casesForRetentionReview = vi
      .fn()
      .mockResolvedValueOnce(page([ada], 2))
      .mockResolvedValueOnce(page([tom], 1));
    const reviewRetention = vi.fn().mockResolvedValue({ records: 3, changes: 4 });
    render(App, { props: { api: signedInApi(teamLead, { casesForRetentionReview, reviewRetention }) } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-retention")!);
    await waitFor(() => expect(document.querySelectorAll(".retention-case")).toHaveLength(1));
    await user.click(document.getElementById("anonymise-c-ada")!);
    await user.click(document.getElementById("confirm-anonymise")!);
    await waitFor(() => expect(document.getElementById("keep-c-tom")).not.toBeNull());
    expect(casesForRetentionReview).toHaveBeenLastCalledWith(0);
    expect(document.activeElement?.id).toBe("keep-c-tom");
    expect(document.querySelector(".lead")?.textContent).toContain("1 closed case is past");
  });
});
