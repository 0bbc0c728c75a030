// The pathway: custody, court, appointments, contacts and notes, the timeline and flags.
import { invoke } from "@tauri-apps/api/core";
import type {
  ClientNotes,
  CourtSummary,
  CustodySummary,
  Document,
  Flag,
  FlagFilter,
  FlagPage,
  TeamFlags,
  HearingOutcome,
  NewAppointment,
  NewAssessment,
  NewBailDecision,
  NewCaution,
  NewContact,
  NewHearing,
  NewNote,
  NewOutcome,
  NewSuitability,
  NewTestOnArrest,
  PathwayLists,
  TimelineEntry,
  Today,
  DayAppointment,
} from "./types";

/** What `book_appointment` books for (required assessments are booked from their test). */
export type BookableOwner = "conditional_caution" | "restriction_on_bail" | "throughcare" | "general";

export interface PathwayApi {
  pathwayLists(): Promise<PathwayLists>;
  /** Returns the test's id. */
  recordTest(clientId: string, input: NewTestOnArrest): Promise<string>;
  clientCustody(clientId: string): Promise<CustodySummary>;
  /** Returns the assessment's id. */
  recordAssessment(clientId: string, input: NewAssessment): Promise<string>;
  /** RA4 (`required`, with an optional booking) or RA5 (not required). */
  decideFollowUp(assessmentId: string, required: boolean, booking: NewAppointment | null): Promise<void>;
  produceFailureStatement(appointmentId: string): Promise<Document>;
  /** The notice handed to the person of the assessment they must attend (RA1, or RA4 for a follow-up). */
  produceAssessmentNotice(assessmentId: string): Promise<Document>;
  /** The notice handed to the person when their assessment's time changes (RA2). */
  produceChangedTimeNotice(appointmentId: string): Promise<Document>;
  recordCaution(clientId: string, input: NewCaution): Promise<string>;
  bookAppointment(clientId: string, ownerType: BookableOwner, ownerId: string, input: NewAppointment): Promise<string>;
  /** RA2: a variation of the time (or place). */
  rescheduleAppointment(appointmentId: string, input: NewAppointment): Promise<void>;
  cancelAppointment(appointmentId: string, cancelledBy: string): Promise<void>;
  recordAppointmentOutcome(appointmentId: string, input: NewOutcome): Promise<void>;
  /** The statement was sent to the police, or the breach reported to the court. */
  markFailureReported(appointmentId: string): Promise<void>;
  recordHearing(clientId: string, input: NewHearing): Promise<string>;
  recordHearingOutcome(hearingId: string, input: HearingOutcome): Promise<void>;
  recordCourtNote(hearingId: string, note: string): Promise<void>;
  recordBail(clientId: string, input: NewBailDecision): Promise<string>;
  recordSuitability(clientId: string, input: NewSuitability): Promise<string>;
  clientCourt(clientId: string): Promise<CourtSummary>;
  produceBreachNotice(appointmentId: string): Promise<Document>;
  recordContact(clientId: string, input: NewContact): Promise<string>;
  addCaseNote(clientId: string, input: NewNote): Promise<string>;
  clientNotes(clientId: string): Promise<ClientNotes>;
  /** Oldest first. */
  clientTimeline(clientId: string): Promise<TimelineEntry[]>;
  /** Most severe first, then soonest due. */
  clientFlags(clientId: string): Promise<Flag[]>;
  today(): Promise<Today>;
  /** The whole of today's appointments, when Today's first ones are not all of them. */
  todayAppointments(): Promise<DayAppointment[]>;
  /** Team leads: the team's open flags counted by rule, severity and worker. */
  teamFlags(): Promise<TeamFlags>;
  /** One page of a list of flags, most pressing first (a worker's own caseload unless a team lead). */
  flagsPage(filter: FlagFilter): Promise<FlagPage>;
}

export const pathwayCommands: PathwayApi = {
  pathwayLists: () => invoke("pathway_lists"),
  recordTest: (clientId, input) => invoke("record_test", { clientId, input }),
  clientCustody: (clientId) => invoke("client_custody", { clientId }),
  recordAssessment: (clientId, input) => invoke("record_assessment", { clientId, input }),
  decideFollowUp: (assessmentId, required, booking) => invoke("decide_follow_up", { assessmentId, required, booking }),
  produceFailureStatement: (appointmentId) => invoke("produce_failure_statement", { appointmentId }),
  produceAssessmentNotice: (assessmentId) => invoke("produce_assessment_notice", { assessmentId }),
  produceChangedTimeNotice: (appointmentId) => invoke("produce_changed_time_notice", { appointmentId }),
  recordCaution: (clientId, input) => invoke("record_caution", { clientId, input }),
  bookAppointment: (clientId, ownerType, ownerId, input) => invoke("book_appointment", { clientId, ownerType, ownerId, input }),
  rescheduleAppointment: (appointmentId, input) => invoke("reschedule_appointment", { appointmentId, input }),
  cancelAppointment: (appointmentId, cancelledBy) => invoke("cancel_appointment", { appointmentId, cancelledBy }),
  recordAppointmentOutcome: (appointmentId, input) => invoke("record_appointment_outcome", { appointmentId, input }),
  markFailureReported: (appointmentId) => invoke("mark_failure_reported", { appointmentId }),
  recordHearing: (clientId, input) => invoke("record_hearing", { clientId, input }),
  recordHearingOutcome: (hearingId, input) => invoke("record_hearing_outcome", { hearingId, input }),
  recordCourtNote: (hearingId, note) => invoke("record_court_note", { hearingId, note }),
  recordBail: (clientId, input) => invoke("record_bail", { clientId, input }),
  recordSuitability: (clientId, input) => invoke("record_suitability", { clientId, input }),
  clientCourt: (clientId) => invoke("client_court", { clientId }),
  produceBreachNotice: (appointmentId) => invoke("produce_breach_notice", { appointmentId }),
  recordContact: (clientId, input) => invoke("record_contact", { clientId, input }),
  addCaseNote: (clientId, input) => invoke("add_case_note", { clientId, input }),
  clientNotes: (clientId) => invoke("client_notes", { clientId }),
  clientTimeline: (clientId) => invoke("client_timeline", { clientId }),
  clientFlags: (clientId) => invoke("client_flags", { clientId }),
  today: () => invoke("today"),
  todayAppointments: () => invoke("today_appointments"),
  teamFlags: () => invoke("team_flags"),
  flagsPage: (filter) => invoke("flags_page", { filter }),
};
