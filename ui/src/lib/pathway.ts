// What the pathway screens share: the steps a client's record can show instead of itself, and
// how a booking's backend field names map to the form's ids.
import type {
  AppointmentView,
  AssessmentView,
  Document,
  HearingView,
  NewAppointment,
  NoteView,
  TestView,
} from "./api/types";
import type { BookableOwner } from "./api/index";
import type { DrrMode } from "./drr";
import type { PrisonMode } from "../views/clients/pathway/prison/steps";
import { formatDate } from "./format";

/**
 * A form or document that takes the record's place until it is saved or Esc is pressed: the
 * appointment forms and documents every stage shares, then each stage's own (shown by the stage's
 * `Forms`, see views/clients/pathway/stages.ts).
 */
export type Step =
  | { name: "outcome"; appointment: AppointmentView }
  | { name: "vary"; appointment: AppointmentView }
  | { name: "cancel"; appointment: AppointmentView }
  | { name: "book"; ownerType: BookableOwner; ownerId: string; title: string }
  /** `appointment`: the failed appointment a statement or notice is about, to mark it reported. */
  | { name: "document"; document: Document; appointment: AppointmentView | null }
  // Custody
  | { name: "test" }
  | { name: "assessment"; test: TestView }
  /** `decided`: RA4 is already recorded and only the follow-up's booking is wanted. */
  | { name: "follow-up"; assessmentId: string; decided?: boolean }
  | { name: "caution" }
  // Court
  | { name: "hearing" }
  | { name: "hearing-outcome"; hearing: HearingView }
  | { name: "court-note"; hearing: HearingView }
  | { name: "bail" }
  | { name: "suitability" }
  // DRR
  | { name: "drr"; mode: DrrMode }
  // Prison, release and treatment
  | { name: "prison"; mode: PrisonMode }
  // Contacts and notes
  | { name: "contact" }
  | { name: "note"; corrects: NoteView | null };

export function emptyBooking(kind = ""): NewAppointment {
  return { kind, date: "", time: "", place: "", worker_id: "" };
}

/** A booking's fields as the backend names them → this form's ids. */
export const BOOKING_TARGETS: Record<string, string> = {
  kind: "appointment_kind",
  date: "appointment_date",
  time: "appointment_time",
  place: "appointment_place",
  worker_id: "appointment_date",
};

/** "3 Mar 2026 at 14:30, Leeds Bridewell". */
export function appointmentWhen(a: { date: string; time: string; place?: string }): string {
  const when = `${formatDate(a.date)} at ${a.time}`;
  return a.place ? `${when}, ${a.place}` : when;
}

/** What happened at an appointment, in words; assessments also say whether they remained. */
export function outcomeInWords(a: AppointmentView): string {
  if (a.status === "attended" && a.asks_remained) {
    if (a.remained === true) return "Attended and remained for the whole assessment";
    if (a.remained === false) return "Attended but did not remain for the whole assessment";
  }
  if (a.status === "cancelled" && a.cancelled_by) {
    return `${a.status_label} (by ${a.cancelled_by === "client" ? "the client" : a.cancelled_by === "service" ? "the service" : a.cancelled_by})`;
  }
  if (a.awaiting_outcome) return `${a.status_label}: outcome not yet recorded`;
  return a.status_label;
}

/** What a worker can do with an appointment from the record. */
export type AppointmentAction = "outcome" | "vary" | "cancel" | "produce" | "mark-sent";

/** "Positive", or "Not tested", for a test result value. */
export const RESULT_WORDS: Record<string, string> = {
  positive: "Positive",
  negative: "Negative",
  refused: "Refused",
  not_tested: "Not tested",
};
