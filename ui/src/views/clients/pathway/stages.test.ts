import { describe, expect, it } from "vitest";
import { STAGES } from "./stages";

describe("The stages on a client's record", () => {
  it("each has its own name, and each form is opened by one stage only", () => {
    const names = STAGES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const steps = STAGES.flatMap((s) => s.steps);
    expect(new Set(steps).size).toBe(steps.length);
    for (const s of STAGES) if (s.steps.length) expect(s.Forms, s.name).toBeDefined();
  });

  it("the documents failures produce are made by one stage each", () => {
    const documents = STAGES.flatMap((s) => Object.keys(s.produce ?? {}));
    expect(documents.sort()).toEqual(["breach_notice", "evidential_statement"]);
  });
});
