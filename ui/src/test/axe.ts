import axe from "axe-core";
import { expect } from "vitest";

/** Runs axe-core over the page. Colour contrast needs real layout, which jsdom has not got. */
export async function expectNoAxeViolations(node: Element = document.body): Promise<void> {
  const results = await axe.run(node, { rules: { "color-contrast": { enabled: false } } });
  const found = results.violations.map(
    (v) => `${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.html).join("\n  ")}`,
  );
  expect(found).toEqual([]);
}
