import { describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/svelte";
import { caseworker, record, rejection } from "../../../../test/fakeApi";
import type { Document, DrrOrderView, DrrSummary, WorkerView } from "../../../../lib/api/types";
import { expectNoAxeViolations } from "../../../../test/axe";
import { openRecord } from "../../../../test/openRecord";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const community: WorkerView = { ...caseworker, id: "w-tom", login: "tom", display_name: "Tom Evans", roles: ["community"], permissions: ["casework", "drr"] };

function order(over: Partial<DrrOrderView> = {}): DrrOrderView {
  return {
    id: "o-1",
    client_id: "c-1",
    court: "Westbridge Magistrates' Court",
    sentenced_on: "2026-10-20",
    order_months: 12,
    treatment_months: 12,
    ends_on: "2027-10-20",
    treatment_ends_on: "2027-10-20",
    reviews: true,
    review_interval_months: 1,
    responsible_officer: "Sam Patel (Probation)",
    treatment_provider: "Westbridge Recovery Service",
    residential: false,
    exit_plan: null,
    status: "active",
    status_label: "Active",
    ended_on: null,
    end_reason: null,
    recorded_by: "Tom Evans",
    amendments: [],
    timetable: [],
    appointments: [],
    tests: [],
    failures: [],
    breaches: [],
    reviews_list: [],
    ...over,
  };
}


describe("The DRR on a client's record", () => {
  it("records an order: a refusal names the rule beside its field and keeps everything typed", async () => {
    let calls = 0;
    const { api, user } = await openRecord(community, {
      recordDrrOrder: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(
              rejection("validation.treatment_outlasts_order", "The treatment and testing period cannot outlast the order: it can be at most 12 months.", [
                { field: "treatment_months", code: "validation.treatment_outlasts_order", message: "The treatment and testing period cannot outlast the order: it can be at most 12 months." },
              ]),
            )
          : Promise.resolve("o-1");
      },
    });
    await user.click(await screen.findByRole("button", { name: "Record a DRR order" }));
    await screen.findByRole("heading", { level: 1, name: "Record a DRR order" });
    await user.type(input("court"), "Westbridge Magistrates' Court");
    await user.type(input("sentenced_on"), "20/10/2026");
    await user.type(input("order_months"), "12");
    await user.type(input("treatment_months"), "18");
    await user.click(input("reviews-yes"));
    await user.type(input("first_review_on"), "20/11/2026");
    await user.type(input("responsible_officer"), "Sam Patel (Probation)");
    await user.type(input("treatment_provider"), "Westbridge Recovery Service");
    await user.click(input("residential-community"));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(document.getElementById("treatment_months-error")?.textContent).toContain("cannot outlast the order"));
    expect(input("court").value).toBe("Westbridge Magistrates' Court");
    expect(input("first_review_on").value).toBe("20/11/2026");
    await user.clear(input("treatment_months"));
    await user.type(input("treatment_months"), "12");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    expect(api.recordDrrOrder).toHaveBeenLastCalledWith("c-1", expect.objectContaining({ treatment_months: "12", reviews: true, residential: false, review_interval_months: "1" }));
  });

  it("offers the next step for each failure and review, prints the progress report, and has no accessibility problems", async () => {
    const summary: DrrSummary = {
      orders: [
        order({
          failures: [
            { id: "f-1", order_id: "o-1", occurred_on: "2026-11-16", appointment_id: null, what: "Did not attend group", acceptable: false, reason: null, standing: "warning_due", standing_label: "Unacceptable: warning due", warning: null, breach_of_warning_on: null, recorded_by: "Tom Evans" },
            { id: "f-2", order_id: "o-1", occurred_on: "2026-11-10", appointment_id: null, what: "Late for key work", acceptable: true, reason: "Bus cancelled", standing: "acceptable", standing_label: "Acceptable: does not count", warning: null, breach_of_warning_on: null, recorded_by: "Tom Evans" },
          ],
          reviews_list: [
            { id: "r-1", order_id: "o-1", review_on: "2026-12-02", court: "Westbridge Magistrates' Court", provider_views: "Engaging well.", report_produced_at: null, outcome: null, outcome_recorded_at: null, suggested_next_on: "2027-01-02" },
          ],
        }),
      ],
    };
    const report: Document = {
      title: "Progress report: Drug Rehabilitation Requirement review on 2 Dec 2026",
      subject: "John Paul Smith, born 3 Mar 1987",
      paragraphs: ["This report covers 20 Oct 2026 to 2 Dec 2026."],
      signed_by: "Tom Evans",
      produced_on: "2026-11-25",
      produced_at: "2026-11-25T10:00:00Z",
      client_id: "c-1",
      record_type: "drr_review",
      record_id: "r-1",
    };
    const { api, user } = await openRecord(community, {
      clientDrr: () => Promise.resolve(summary),
      produceDrrProgressReport: () => Promise.resolve(report),
    });
    const panel = await waitFor(() => {
      const el = document.getElementById("drr")!;
      expect(el.textContent).toContain("Unacceptable: warning due");
      return el;
    });
    expect(panel.textContent).toContain("Acceptable: does not count");
    expect(screen.getAllByRole("button", { name: /Give a warning/ })).toHaveLength(1);
    await expectNoAxeViolations(document.body);
    await user.click(screen.getByRole("button", { name: "Produce the progress report" }));
    await screen.findByRole("heading", { level: 1, name: report.title });
    expect(document.querySelector(".document")?.textContent).toContain("This report covers 20 Oct 2026 to 2 Dec 2026.");
    expect(api.produceDrrProgressReport).toHaveBeenCalledWith("r-1");
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
  });

  it("prints the person's appointment card, and says why when nothing is booked to put on it", async () => {
    const card: Document = {
      title: "Your DRR appointment card",
      subject: "John Paul Smith, born 3 Mar 1987",
      paragraphs: ["Your appointments from 25 Nov 2026 to 22 Dec 2026", "Tuesday 1 Dec 2026 at 10:00: Key work at Westbridge Recovery Hub, with Tom Evans."],
      headings: [0],
      signed_by: "Tom Evans",
      produced_on: "2026-11-25",
      produced_at: "2026-11-25T10:00:00Z",
      client_id: "c-1",
      record_type: "drr_order",
      record_id: "o-1",
    };
    const nothing = "Nothing is booked for the next 4 weeks. Book the timetable ahead or a test first, then print the card.";
    const { api, user } = await openRecord(community, {
      clientDrr: () => Promise.resolve({ orders: [order()] }),
      produceDrrAppointmentCard: vi.fn().mockRejectedValueOnce(rejection("pathway.not_allowed", nothing)).mockResolvedValueOnce(card),
    });
    const button = await screen.findByRole("button", { name: "Appointment card for the person" });
    await user.click(button);
    expect((await screen.findByRole("alert")).textContent).toBe(nothing);
    await user.click(button);
    await screen.findByRole("heading", { level: 1, name: card.title });
    expect(screen.getByRole("heading", { name: "Your appointments from 25 Nov 2026 to 22 Dec 2026" })).toBeTruthy();
    expect(document.querySelector(".document")?.textContent).toContain("Tuesday 1 Dec 2026 at 10:00: Key work");
    expect(api.produceDrrAppointmentCard).toHaveBeenCalledWith("o-1");
  });

  it("a court worker reads the DRR but cannot act on it, and an order that ended is folded", async () => {
    const ended = order({ id: "o-0", sentenced_on: "2022-03-01", status: "completed", status_label: "Completed", ended_on: "2023-03-01", end_reason: "Completed" });
    await openRecord({ ...caseworker, roles: ["court"], permissions: ["casework", "court"] }, { clientDrr: () => Promise.resolve({ orders: [order(), ended] }) });
    await waitFor(() => expect(document.getElementById("drr")?.textContent).toContain("12-month order"));
    expect(screen.queryByRole("button", { name: "Record the court's amendment" })).toBeNull();
    // The order that ended is history: folded under a heading that says how and when it ended.
    const earlier = document.getElementById("drr-order-o-0") as HTMLDetailsElement;
    expect(earlier.tagName).toBe("DETAILS");
    expect(earlier.open).toBe(false);
    expect(earlier.querySelector("summary")?.textContent).toMatch(/made 1 Mar 2022\s+Completed 1 Mar 2023/);
    expect((document.getElementById("drr-order-o-1") as HTMLElement).tagName).toBe("DIV");
  });
});
