import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, fullName, listName, londonToday, rolesInWords } from "./format";
import { answerOf, yesNo } from "./forms";

describe("how dates, names and roles read", () => {
  it("shows dates as '3 Mar 1987'", () => {
    expect(formatDate("1987-03-03")).toBe("3 Mar 1987");
    expect(formatDate("1990-09-15")).toBe("15 Sep 1990");
    expect(formatDate("2000-12-31")).toBe("31 Dec 2000");
  });

  it("shows times on the 24-hour clock in London time, summer and winter", () => {
    expect(formatDateTime("2026-03-03T14:05:00Z")).toBe("3 Mar 2026, 14:05");
    expect(formatDateTime("2026-07-01T13:05:00Z")).toBe("1 Jul 2026, 14:05");
    expect(formatDateTime("2026-10-25T00:30:00+00:00")).toBe("25 Oct 2026, 01:30");
  });

  it("puts the surname first in lists and last in headings", () => {
    expect(listName({ surname: "Smith", forenames: "John Paul" })).toBe("SMITH, John Paul");
    expect(fullName({ surname: "Smith", forenames: "John Paul" })).toBe("John Paul Smith");
  });

  it("names roles in plain words", () => {
    expect(rolesInWords(["community", "prison_link", "team_lead"])).toBe("Community / DRR, Prison link, Team lead");
  });
});

describe("Dates and answers on forms", () => {
  it("today in London is the calendar date there, even just after midnight in summer", () => {
    expect(londonToday(new Date("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
    expect(londonToday(new Date("2026-11-23T09:00:00Z"))).toBe("2026-11-23");
  });

  it("a yes/no question is unanswered, yes or no, both ways", () => {
    expect([answerOf(""), answerOf("yes"), answerOf("no")]).toEqual([null, true, false]);
    expect([yesNo(null), yesNo(true), yesNo(false), yesNo(undefined)]).toEqual(["", "yes", "no", ""]);
  });
});
