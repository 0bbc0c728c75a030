import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import Harness from "../test/TimeFieldHarness.svelte";

const sent = () => screen.getByTestId("sent").textContent;

describe("a time in the hour the clocks go back", () => {
  it("asks which of the two it was, only when it happened twice", async () => {
    render(Harness, { props: { date: "25/10/2026" } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Time"), "14:30");
    expect(screen.queryByRole("radio")).toBeNull();
    await user.clear(screen.getByLabelText("Time"));
    await user.type(screen.getByLabelText("Time"), "01:30");
    await user.click(screen.getByLabelText("The second 01:30 (GMT, after)"));
    expect(sent()).toBe("01:30 GMT");
    await user.click(screen.getByLabelText("The first 01:30 (BST, before the clocks went back)"));
    expect(sent()).toBe("01:30 BST");
    expect((screen.getByLabelText("Time") as HTMLInputElement).value).toBe("01:30");
  });

  it("on an ordinary night sends the time as typed", async () => {
    render(Harness, { props: { date: "18/10/2026" } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Time"), "01:30");
    expect(screen.queryByRole("radio")).toBeNull();
    expect(sent()).toBe("01:30");
  });
});
