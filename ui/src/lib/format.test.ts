import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, fullName, listName, rolesInWords } from "./format";

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
