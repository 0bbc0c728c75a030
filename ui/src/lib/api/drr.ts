// The Drug Rehabilitation Requirement (community workers and team leads).
import { invoke } from "@tauri-apps/api/core";
import type {
  Document,
  CourtDecision,
  DrrLists,
  DrrSummary,
  NewDrrTest,
  NewFailure,
  NewOrder,
  NewReview,
  NewSlot,
  OrderEnding,
  ReviewOutcome,
  TestResults,
} from "./types";

export interface DrrApi {
  drrLists(): Promise<DrrLists>;
  clientDrr(clientId: string): Promise<DrrSummary>;
  /** Returns the order's id. */
  recordDrrOrder(clientId: string, input: NewOrder): Promise<string>;
  amendDrrOrder(orderId: string, input: NewOrder): Promise<void>;
  recordDrrExitPlan(orderId: string, plan: string): Promise<void>;
  endDrrOrder(orderId: string, input: OrderEnding): Promise<void>;
  addDrrTimetableSlot(orderId: string, input: NewSlot): Promise<string>;
  /** Returns how many appointments were booked. */
  bookDrrTimetableAhead(orderId: string): Promise<number>;
  endDrrTimetableSlot(slotId: string, lastDay: string): Promise<void>;
  bookDrrTest(orderId: string, input: NewDrrTest): Promise<string>;
  recordDrrTestResults(testId: string, input: TestResults): Promise<void>;
  recordDrrTestMissed(testId: string, reason: string): Promise<void>;
  recordDrrFailure(orderId: string, input: NewFailure): Promise<string>;
  giveDrrWarning(failureId: string, givenOn: string): Promise<string>;
  produceDrrWarningLetter(warningId: string): Promise<Document>;
  recordDrrBreach(failureId: string, returnedOn: string): Promise<string>;
  recordDrrCourtDecision(breachId: string, input: CourtDecision): Promise<void>;
  scheduleDrrReview(orderId: string, input: NewReview): Promise<string>;
  recordDrrProviderViews(reviewId: string, views: string): Promise<void>;
  produceDrrProgressReport(reviewId: string): Promise<Document>;
  /** The person's card: their appointments and tests for the coming four weeks. */
  produceDrrAppointmentCard(orderId: string): Promise<Document>;
  /** Returns the next review's id, if the court set one. */
  recordDrrReviewOutcome(reviewId: string, input: ReviewOutcome): Promise<string | null>;
}

export const drrCommands: DrrApi = {
  drrLists: () => invoke("drr_lists"),
  clientDrr: (clientId) => invoke("client_drr", { clientId }),
  recordDrrOrder: (clientId, input) => invoke("record_drr_order", { clientId, input }),
  amendDrrOrder: (orderId, input) => invoke("amend_drr_order", { orderId, input }),
  recordDrrExitPlan: (orderId, plan) => invoke("record_drr_exit_plan", { orderId, plan }),
  endDrrOrder: (orderId, input) => invoke("end_drr_order", { orderId, input }),
  addDrrTimetableSlot: (orderId, input) => invoke("add_drr_timetable_slot", { orderId, input }),
  bookDrrTimetableAhead: (orderId) => invoke("book_drr_timetable_ahead", { orderId }),
  endDrrTimetableSlot: (slotId, lastDay) => invoke("end_drr_timetable_slot", { slotId, lastDay }),
  bookDrrTest: (orderId, input) => invoke("book_drr_test", { orderId, input }),
  recordDrrTestResults: (testId, input) => invoke("record_drr_test_results", { testId, input }),
  recordDrrTestMissed: (testId, reason) => invoke("record_drr_test_missed", { testId, reason }),
  recordDrrFailure: (orderId, input) => invoke("record_drr_failure", { orderId, input }),
  giveDrrWarning: (failureId, givenOn) => invoke("give_drr_warning", { failureId, givenOn }),
  produceDrrWarningLetter: (warningId) => invoke("produce_drr_warning_letter", { warningId }),
  recordDrrBreach: (failureId, returnedOn) => invoke("record_drr_breach", { failureId, returnedOn }),
  recordDrrCourtDecision: (breachId, input) => invoke("record_drr_court_decision", { breachId, input }),
  scheduleDrrReview: (orderId, input) => invoke("schedule_drr_review", { orderId, input }),
  recordDrrProviderViews: (reviewId, views) => invoke("record_drr_provider_views", { reviewId, views }),
  produceDrrProgressReport: (reviewId) => invoke("produce_drr_progress_report", { reviewId }),
  produceDrrAppointmentCard: (orderId) => invoke("produce_drr_appointment_card", { orderId }),
  recordDrrReviewOutcome: (reviewId, input) => invoke("record_drr_review_outcome", { reviewId, input }),
};
