import { describe, expect, it } from "vitest";
import { inRepeatedHour, splitWhich } from "./clockChange";

describe("the hour the clocks go back", () => {
  it("is 01:00 to 01:59 on the last Sunday of October", () => {
    expect(inRepeatedHour("25/10/2026", "01:30")).toBe(true);
    expect(inRepeatedHour("2026-10-25", "0159")).toBe(true);
    expect(inRepeatedHour("25/10/2026", "02:00")).toBe(false);
    expect(inRepeatedHour("26/10/2025", "01:05")).toBe(true);
    expect(inRepeatedHour("18/10/2026", "01:30")).toBe(false);
    expect(inRepeatedHour("29/03/2026", "01:30")).toBe(false);
    expect(inRepeatedHour("", "01:30")).toBe(false);
  });

  it("reads which of the two a time says", () => {
    expect(splitWhich("01:30 BST")).toEqual({ time: "01:30", which: "BST" });
    expect(splitWhich("01:30 second")).toEqual({ time: "01:30", which: "GMT" });
    expect(splitWhich("01:30")).toEqual({ time: "01:30", which: null });
  });
});
