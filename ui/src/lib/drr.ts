// The DRR forms a client's record can show in its place (see views/clients/pathway/drr).
import type { BreachView, DrrOrderView, DrrTestView, FailureView, ReviewView, SlotView, WorkerView } from "./api/types";
import { can } from "./format";

export type DrrMode =
  | { form: "order" }
  | { form: "amend"; order: DrrOrderView }
  | { form: "slot"; order: DrrOrderView }
  | { form: "end-slot"; slot: SlotView }
  | { form: "test"; order: DrrOrderView }
  | { form: "results"; test: DrrTestView }
  | { form: "missed"; test: DrrTestView }
  | { form: "failure"; order: DrrOrderView; appointmentId: string }
  | { form: "warning"; failure: FailureView }
  | { form: "breach"; failure: FailureView }
  | { form: "decision"; breach: BreachView }
  | { form: "review"; order: DrrOrderView }
  | { form: "views"; review: ReviewView }
  | { form: "review-outcome"; review: ReviewView }
  | { form: "exit-plan"; order: DrrOrderView }
  | { form: "end"; order: DrrOrderView };

/** DRR work: the order, timetable, tests, warnings, breach and reviews. */
export function canDrr(w: WorkerView): boolean {
  return can.drr(w);
}
