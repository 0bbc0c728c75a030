import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/svelte";
import {
  appointment,
  assessment,
  bail,
  caseworker,
  flag,
  hearing,
  record,
  rejection,
  statement,
  teamLead,
  test,
} from "../../test/fakeApi";
import type { ClientNotes, CourtSummary, CustodySummary, NoteView } from "../../lib/api/types";
import { expectNoAxeViolations } from "../../test/axe";
import { openRecord } from "../../test/openRecord";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const select = (id: string) => document.getElementById(id) as HTMLSelectElement;


describe("Flags on the record", () => {
  it("show the severity in words with an icon, the rule code, due date, the sentence and what clears it", async () => {
    await openRecord(caseworker, { clientFlags: () => Promise.resolve([flag()]) });
    const panel = document.getElementById("client-flags")!;
    await waitFor(() => expect(panel.querySelector(".flag")).not.toBeNull());
    const f = panel.querySelector(".flag")!;
    expect(f.querySelector(".flag-severity")?.textContent).toContain("Urgent");
    expect(f.querySelector(".flag-icon")?.getAttribute("aria-hidden")).toBe("true");
    expect(f.querySelector(".flag-code")?.textContent).toBe("CUS-FAIL-ATTEND");
    expect(f.textContent).toContain("Due 4 Mar 2026");
    expect(f.textContent).toContain("did not attend the initial assessment booked for 3 Mar 2026 at 10:00.");
    expect(f.textContent).toContain("To clear: Produce the evidential statement and mark it sent to the police.");
  });

  it("say 'No flags' in words when there are none", async () => {
    await openRecord(caseworker, {});
    await waitFor(() => expect(document.getElementById("client-flags")?.textContent).toContain("No flags"));
  });
});

describe("Record a test on arrest", () => {
  it("is prefilled with now, shows the backend's errors beside the fields keeping what was typed, then returns to the record", async () => {
    const message = "The test cannot be before the arrest (3 Mar 2026, 09:00). Check both dates and times.";
    let tries = 0;
    const { api, user } = await openRecord(caseworker, {
      recordTest: () => {
        tries++;
        return tries === 1
          ? Promise.reject(rejection("validation.test_before_arrest", message, [{ field: "tested_date", code: "validation.test_before_arrest", message }]))
          : Promise.resolve("t-new");
      },
    });
    await waitFor(() => expect(document.getElementById("record-test")).not.toBeNull());
    await user.click(document.getElementById("record-test")!);
    await screen.findByRole("heading", { level: 1, name: "Record a test on arrest" });
    await waitFor(() => expect(document.activeElement).toBe(input("custody_suite")));
    expect(input("arrested_date").value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(input("tested_time").value).toMatch(/^\d{2}:\d{2}$/);

    await user.type(input("custody_suite"), "Leeds Bridewell");
    await user.clear(input("arrested_date"));
    await user.type(input("arrested_date"), "03/03/2026");
    await user.clear(input("arrested_time"));
    await user.type(input("arrested_time"), "09:00");
    await user.selectOptions(select("trigger_offence"), "theft");
    await user.clear(input("tested_date"));
    await user.type(input("tested_date"), "02/03/2026");
    await user.clear(input("tested_time"));
    await user.type(input("tested_time"), "10:30");
    await user.selectOptions(select("opiates"), "positive");
    await user.selectOptions(select("cocaine"), "negative");
    await user.click(input("sent_for_confirmation"));
    await user.selectOptions(select("sample_type"), "oral_fluid");
    await user.click(input("custody_suite"));
    await user.keyboard("{Enter}");

    await waitFor(() => expect(document.getElementById("tested_date-error")?.textContent).toContain(message));
    expect(document.querySelector(".error-summary")?.textContent).toContain(message);
    expect(document.querySelector(".error-summary a")?.getAttribute("href")).toBe("#tested_date");
    expect(input("custody_suite").value).toBe("Leeds Bridewell");
    expect(input("tested_date").value).toBe("02/03/2026");
    expect(select("opiates").value).toBe("positive");
    expect(input("sent_for_confirmation").checked).toBe(true);
    expect(api.recordTest).toHaveBeenLastCalledWith("c-1", {
      custody_suite: "Leeds Bridewell",
      arrested_date: "03/03/2026",
      arrested_time: "09:00",
      trigger_offence: "theft",
      discretionary: false,
      tested_date: "02/03/2026",
      tested_time: "10:30",
      opiates: "positive",
      cocaine: "negative",
      disputed: false,
      sent_for_confirmation: true,
      sample_type: "oral_fluid",
    });

    await user.clear(input("tested_date"));
    await user.type(input("tested_date"), "03/03/2026{Enter}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("Test on arrest recorded: positive."));
  });

  it("Esc backs out to the record, and a court-only worker has no custody buttons", async () => {
    const { user } = await openRecord(caseworker, {});
    await waitFor(() => expect(document.getElementById("record-test")).not.toBeNull());
    await user.click(document.getElementById("record-test")!);
    await screen.findByRole("heading", { level: 1, name: "Record a test on arrest" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.activeElement?.id).toBe("record-test"));
  });

  it("is not offered to a court worker", async () => {
    await openRecord({ ...caseworker, roles: ["court"], permissions: ["casework", "court"] }, {});
    await waitFor(() => expect(document.getElementById("custody")).not.toBeNull());
    expect(document.getElementById("record-test")).toBeNull();
    expect(document.getElementById("record-hearing")).not.toBeNull();
  });
});

describe("Initial required assessment", () => {
  it("books an appointment with RA1 notice: recordAssessment gets the test and the booking", async () => {
    const { api, user } = await openRecord(caseworker, {
      clientCustody: () => Promise.resolve({ tests: [test()], assessments: [], cautions: [] }),
      recordAssessment: () => Promise.resolve("ra-new"),
    });
    await waitFor(() => expect(document.querySelector("#custody .record-assessment")).not.toBeNull());
    expect(document.getElementById("custody")!.textContent).toContain("No initial assessment recorded or booked.");
    await user.click(document.querySelector("#custody .record-assessment")!);
    await screen.findByRole("heading", { level: 1, name: "Initial required assessment" });
    await waitFor(() => expect(document.activeElement).toBe(input("carried_out_now-yes")));
    expect(input("appointment_date")).toBeNull();
    await user.click(input("carried_out_now-no"));
    // The notice time starts at now; written up afterwards, the worker sets when it was given.
    expect(input("notice_date")!.value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await user.clear(input("notice_date"));
    await user.type(input("notice_date"), "04/03/2026");
    await user.clear(input("notice_time"));
    await user.type(input("notice_time"), "16:20");
    await user.type(input("appointment_date"), "05/03/2026");
    await user.type(input("appointment_time"), "10:00");
    await user.type(input("appointment_place"), "Leeds Bridewell{Enter}");
    expect(api.recordAssessment).toHaveBeenCalledWith("c-1", {
      kind: "initial",
      test_id: "t-1",
      initial_assessment_id: "",
      carried_out_now: false,
      appointment: { kind: "Initial required assessment", date: "05/03/2026", time: "10:00", place: "Leeds Bridewell", worker_id: "" },
      notice_date: "04/03/2026",
      notice_time: "16:20",
    });
    expect(api.decideFollowUp).not.toHaveBeenCalled();
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("RA1"));
  });

  it("carried out now goes straight to the follow-up decision, which books the follow-up with decide_follow_up", async () => {
    const message = "A follow-up assessment must come after the initial assessment (3 Mar 2026, 10:30). Choose a later date and time.";
    let tries = 0;
    const { api, user } = await openRecord(caseworker, {
      clientCustody: () => Promise.resolve({ tests: [test()], assessments: [], cautions: [] }),
      recordAssessment: () => Promise.resolve("ra-new"),
      decideFollowUp: () => {
        tries++;
        return tries === 1
          ? Promise.reject(rejection("validation.follow_up_before_initial", message, [{ field: "date", code: "validation.follow_up_before_initial", message }]))
          : Promise.resolve();
      },
    });
    await waitFor(() => expect(document.querySelector("#custody .record-assessment")).not.toBeNull());
    await user.click(document.querySelector("#custody .record-assessment")!);
    await screen.findByRole("heading", { level: 1, name: "Initial required assessment" });
    await user.click(input("carried_out_now-yes"));
    await user.keyboard("{Enter}");
    expect(api.recordAssessment).toHaveBeenCalledWith("c-1", expect.objectContaining({ kind: "initial", test_id: "t-1", carried_out_now: true }));

    await screen.findByRole("heading", { level: 1, name: "Follow-up assessment decision" });
    await waitFor(() => expect(document.activeElement).toBe(input("follow_up-required")));
    await user.click(input("follow_up-required"));
    await user.type(input("appointment_date"), "01/03/2026");
    await user.type(input("appointment_time"), "11:00");
    await user.type(input("appointment_place"), "Leeds Bridewell{Enter}");
    await waitFor(() => expect(document.getElementById("appointment_date-error")?.textContent).toContain(message));
    expect(input("appointment_place").value).toBe("Leeds Bridewell");

    await user.clear(input("appointment_date"));
    await user.type(input("appointment_date"), "10/03/2026{Enter}");
    expect(api.decideFollowUp).toHaveBeenLastCalledWith("ra-new", true, {
      kind: "Follow-up required assessment",
      date: "10/03/2026",
      time: "11:00",
      place: "Leeds Bridewell",
      worker_id: "",
    });
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.getElementById("record-notice")?.textContent).toContain("Follow-up required (RA4) and booked."));
  });

  it("an assessment awaiting its decision offers it; 'ceases' records RA5 with no booking", async () => {
    const done = assessment({ appointment: appointment({ status: "attended", status_label: "Attended", remained: true, awaiting_outcome: false }), awaiting_decision: true });
    const { api, user } = await openRecord(caseworker, {
      clientCustody: () => Promise.resolve({ tests: [test({ initial_assessment_id: "ra-1" })], assessments: [done], cautions: [] }),
      decideFollowUp: () => Promise.resolve(),
    });
    await waitFor(() => expect(document.querySelector("#custody .decide-follow-up")).not.toBeNull());
    expect(document.getElementById("custody")!.textContent).toContain("Attended and remained for the whole assessment");
    await user.click(document.querySelector("#custody .decide-follow-up")!);
    await screen.findByRole("heading", { level: 1, name: "Follow-up assessment decision" });
    await user.click(input("follow_up-ceases"));
    expect(input("appointment_date")).toBeNull();
    await user.keyboard("{Enter}");
    expect(api.decideFollowUp).toHaveBeenCalledWith("ra-1", false, null);
  });
});

describe("A missed assessment", () => {
  it("records 'did not attend', produces the evidential statement to print, and marks it sent to the police", async () => {
    let custody: CustodySummary = { tests: [test({ initial_assessment_id: "ra-1" })], assessments: [assessment()], cautions: [] };
    const setAppointment = (over: Partial<ReturnType<typeof appointment>>) => {
      const a = custody.assessments[0];
      custody = { ...custody, assessments: [{ ...a, appointment: { ...a.appointment, ...over } }] };
    };
    const { api, user } = await openRecord(caseworker, {
      clientCustody: () => Promise.resolve(custody),
      recordAppointmentOutcome: () => {
        setAppointment({ status: "did_not_attend", status_label: "Did not attend", failed: true, awaiting_outcome: false });
        return Promise.resolve();
      },
      produceFailureStatement: () => {
        setAppointment({ failure_document_at: "2026-03-06T09:00:00Z" });
        return Promise.resolve(statement());
      },
      markFailureReported: () => {
        setAppointment({ failure_reported_at: "2026-03-06T09:05:00Z" });
        return Promise.resolve();
      },
    });
    await waitFor(() => expect(document.querySelector("#custody .appointment .record-outcome")).not.toBeNull());
    expect(document.querySelector("#custody .produce-document")).toBeNull();
    await user.click(document.querySelector("#custody .record-outcome")!);
    await screen.findByRole("heading", { level: 1, name: "Record the outcome" });
    await user.click(input("outcome-attended"));
    expect(input("remained-yes")).not.toBeNull();
    await user.click(input("outcome-did_not_attend"));
    expect(input("remained-yes")).toBeNull();
    await user.keyboard("{Enter}");
    expect(api.recordAppointmentOutcome).toHaveBeenCalledWith("ap-1", { outcome: "did_not_attend", remained: null });

    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.querySelector("#custody .produce-document")).not.toBeNull());
    expect(document.querySelector("#custody .appointment")?.textContent).toContain("Did not attend");
    await user.click(document.querySelector("#custody .produce-document")!);
    expect(api.produceFailureStatement).toHaveBeenCalledWith("ap-1");

    await screen.findByRole("heading", { level: 1, name: "Evidential statement: failure to attend or remain for a required assessment" });
    const article = document.querySelector("article.document")!;
    expect(article.textContent).toContain("John Paul Smith, born 3 Mar 1987");
    expect(Array.from(article.querySelectorAll(".document-paragraph")).map((p) => p.textContent)).toEqual(statement().paragraphs);
    expect(article.textContent).toContain("Signed: Dan Kowalski");
    expect(article.textContent).toContain("Date: 6 Mar 2026");
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
    await expectNoAxeViolations();

    await user.click(document.querySelector(".mark-sent")!);
    expect(api.markFailureReported).toHaveBeenCalledWith("ap-1");
    await waitFor(() => expect(document.body.textContent).toContain("Marked as sent to the police."));
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.querySelector("#custody .appointment")?.textContent).toContain("sent to the police"));
    expect(document.querySelector("#custody .mark-sent")).toBeNull();
  });

  it("the record with custody data has no accessibility problems axe can find", async () => {
    const failed = appointment({ id: "ap-2", status: "did_not_attend", status_label: "Did not attend", failed: true, awaiting_outcome: false, failure_document_at: "2026-03-06T09:00:00Z" });
    await openRecord(caseworker, {
      clientFlags: () => Promise.resolve([flag(), flag({ code: "CONSENT-MISSING", severity: "info", severity_label: "Info", due: "2026-03-05" })]),
      clientCustody: () =>
        Promise.resolve({
          tests: [test({ initial_assessment_id: "ra-1" }), test({ id: "t-2", opiates: "negative", positive: false })],
          assessments: [
            assessment({ appointment: appointment({ status: "attended", status_label: "Attended", remained: true, awaiting_outcome: false }), follow_up_required: true, follow_up_id: "ra-2" }),
            assessment({ id: "ra-2", kind: "follow_up", kind_label: "Follow-up required assessment", test_id: null, initial_assessment_id: "ra-1", appointment: failed }),
          ],
          cautions: [
            { id: "cc-1", client_id: "c-1", given_on: "2026-03-01", conditions: "Attend two appointments", complete_by: null, appointments: [appointment({ id: "ap-3", owner_type: "conditional_caution", kind: "Conditional caution appointment", status: "did_not_attend", status_label: "Did not attend", failed: true })], non_engagement: true, recorded_by: "Dan Kowalski" },
          ],
        }),
      clientTimeline: () =>
        Promise.resolve([
          { at: "2026-03-03T10:30:00Z", date: "2026-03-03", stage: "custody", stage_label: "Custody", kind: "Test on arrest", summary: "Opiates positive", record_type: "test", record_id: "t-1", client_id: "c-1" },
          { at: "2026-03-04T10:00:00Z", date: "2026-03-04", stage: "court", stage_label: "Court", kind: "Hearing", summary: "First appearance", record_type: "hearing", record_id: "h-1", client_id: "c-1" },
        ]),
    });
    await waitFor(() => expect(document.querySelectorAll("#custody .appointment")).toHaveLength(3));
    const custody = document.getElementById("custody")!;
    expect(custody.textContent).toContain("Not engaging: an appointment was missed, so the case may return to court.");
    expect(custody.querySelectorAll(".mark-sent")).toHaveLength(1);
    expect(document.querySelectorAll("#client-flags .flag")).toHaveLength(2);
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
    await expectNoAxeViolations();
  });
});

describe("Timeline", () => {
  it("lists entries with date, stage, kind and summary, filtered by stage", async () => {
    const { user } = await openRecord(caseworker, {
      clientTimeline: () =>
        Promise.resolve([
          { at: "2026-03-03T10:30:00Z", date: "2026-03-03", stage: "custody", stage_label: "Custody", kind: "Test on arrest", summary: "Opiates positive", record_type: "test", record_id: "t-1", client_id: "c-1" },
          { at: "2026-03-04T10:00:00Z", date: "2026-03-04", stage: "court", stage_label: "Court", kind: "Hearing", summary: "First appearance", record_type: "hearing", record_id: "h-1", client_id: "c-1" },
        ]),
    });
    await waitFor(() => expect(document.querySelectorAll(".timeline-entry")).toHaveLength(2));
    expect(document.querySelector(".timeline-entry")?.textContent).toContain("3 Mar 2026");
    expect(document.querySelector(".timeline-entry")?.textContent).toContain("Custody");
    await user.selectOptions(select("timeline-stage"), "court");
    expect(document.querySelectorAll(".timeline-entry")).toHaveLength(1);
    expect(document.querySelector(".timeline-entry")?.textContent).toContain("First appearance");
  });
});

describe("Court", () => {
  it("records bail with Restriction on Bail, then books the RoB appointment for that bail decision", async () => {
    let court: CourtSummary = { hearings: [hearing()], bail: [], suitability: [] };
    const { api, user } = await openRecord(teamLead, {
      clientCourt: () => Promise.resolve(court),
      recordBail: () => {
        court = { ...court, bail: [bail()] };
        return Promise.resolve("b-1");
      },
      bookAppointment: () => Promise.resolve("ap-rob"),
      listWorkers: () => Promise.resolve([caseworker, teamLead]),
    });
    await waitFor(() => expect(document.getElementById("record-bail")).not.toBeNull());
    await user.click(document.getElementById("record-bail")!);
    await screen.findByRole("heading", { level: 1, name: "Record a bail decision" });
    expect(select("hearing_id").value).toBe("h-1");
    await user.selectOptions(select("bail_status"), "conditional");
    await user.type(document.getElementById("conditions")!, "Live and sleep at 1 Leeds Road");
    await user.click(input("restriction_on_bail"));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(api.recordBail).toHaveBeenCalledWith("c-1", {
      hearing_id: "h-1",
      bail_status: "conditional",
      conditions: "Live and sleep at 1 Leeds Road",
      restriction_on_bail: true,
    });
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(document.querySelector("#court .book-rob-appointment")).not.toBeNull());
    expect(document.getElementById("court")!.textContent).toContain("No Restriction on Bail appointment booked.");
    await user.click(document.querySelector("#court .book-rob-appointment")!);
    await screen.findByRole("heading", { level: 1, name: "Book a Restriction on Bail appointment" });
    await waitFor(() => expect(document.activeElement).toBe(input("appointment_date")));
    await user.type(input("appointment_date"), "06/03/2026");
    await user.type(input("appointment_time"), "14:00");
    await user.type(input("appointment_place"), "Leeds drug service{Enter}");
    expect(api.bookAppointment).toHaveBeenCalledWith("c-1", "restriction_on_bail", "b-1", {
      kind: "",
      date: "06/03/2026",
      time: "14:00",
      place: "Leeds drug service",
      worker_id: "",
    });
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
  });

  it("a missed RoB appointment produces the breach notice", async () => {
    const missed = appointment({ id: "ap-rob", owner_type: "restriction_on_bail", owner_id: "b-1", kind: "Restriction on Bail appointment", status: "did_not_attend", status_label: "Did not attend", failed: true, awaiting_outcome: false });
    const { api, user } = await openRecord(teamLead, {
      clientCourt: () => Promise.resolve({ hearings: [hearing()], bail: [bail({ rob_appointments: [missed] })], suitability: [] }),
      produceBreachNotice: () => Promise.resolve(statement({ title: "Breach of bail notice", paragraphs: ["John Paul Smith did not attend the Restriction on Bail appointment."] })),
      listWorkers: () => Promise.resolve([caseworker, teamLead]),
    });
    await waitFor(() => expect(document.querySelector("#court .produce-document")).not.toBeNull());
    await user.click(document.querySelector("#court .produce-document")!);
    expect(api.produceBreachNotice).toHaveBeenCalledWith("ap-rob");
    await screen.findByRole("heading", { level: 1, name: "Breach of bail notice" });
    expect(screen.getByRole("button", { name: "Mark as reported to the court" })).toBeTruthy();
  });
});

describe("Contacts and notes", () => {
  it("a correction is a new note pointing at the old one, which says it was corrected", async () => {
    const old: NoteView = { id: "n-1", client_id: "c-1", record_type: null, record_id: null, text: "Seen at the hub on Monday", corrects_note_id: null, corrected_by_note_id: null, written_at: "2026-03-03T10:00:00Z", written_by: "Dan Kowalski" };
    let notes: ClientNotes = { contacts: [], notes: [old] };
    const { api, user } = await openRecord(caseworker, {
      clientNotes: () => Promise.resolve(notes),
      addCaseNote: () => {
        notes = {
          contacts: [],
          notes: [
            { ...old, id: "n-2", text: "Seen at the hub on Tuesday", corrects_note_id: "n-1", written_at: "2026-03-04T10:00:00Z" },
            { ...old, corrected_by_note_id: "n-2" },
          ],
        };
        return Promise.resolve("n-2");
      },
    });
    await waitFor(() => expect(document.querySelector("#notes .correct-note")).not.toBeNull());
    await user.click(document.querySelector("#notes .correct-note")!);
    await screen.findByRole("heading", { level: 1, name: "Correct a case note" });
    const text = document.getElementById("note_text") as HTMLTextAreaElement;
    expect(text.value).toBe("Seen at the hub on Monday");
    await user.clear(text);
    await user.type(text, "Seen at the hub on Tuesday");
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(api.addCaseNote).toHaveBeenCalledWith("c-1", { text: "Seen at the hub on Tuesday", record_type: "", record_id: "", corrects_note_id: "n-1" });
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await waitFor(() => expect(within(document.getElementById("note-n-1")!).getByText("Corrected by a later note")).toBeTruthy());
  });
});
