// Turning a rejected command into what a form shows: a summary at the top, a message by each field.
import type { ErrorPayload } from "./api/types";
import { asErrorPayload } from "./api/index";

export interface SummaryItem {
  /** The field's name, as the backend names it. */
  field: string;
  message: string;
  /** The element the summary link focuses; none when the field is not on this form. */
  target?: string;
}

export interface FormProblems {
  /** Shown at the top when no field explains the problem (e.g. a wrong password). */
  message: string | null;
  items: SummaryItem[];
  byField: Record<string, string>;
}

export const NO_PROBLEMS: FormProblems = { message: null, items: [], byField: {} };

/**
 * `targets` maps the backend's field names to this form's element ids, in the order the fields
 * appear (the summary lists problems in that order); a field missing from it has no link.
 */
export function problemsFrom(e: unknown, targets: Record<string, string>): FormProblems {
  const payload: ErrorPayload = asErrorPayload(e);
  return fromList(
    payload.fields.map((f) => ({ field: f.field, message: f.message })),
    payload.fields.length ? null : payload.message,
    targets,
  );
}

export function fromList(
  list: { field: string; message: string }[],
  message: string | null,
  targets: Record<string, string>,
): FormProblems {
  const order = Object.keys(targets);
  const items = list
    .map((f) => ({ ...f, target: targets[f.field] }))
    .sort((a, b) => rank(order, a.field) - rank(order, b.field));
  const byField: Record<string, string> = {};
  for (const i of items) if (!(i.field in byField)) byField[i.field] = i.message;
  return { message, items, byField };
}

function rank(order: string[], field: string): number {
  const i = order.indexOf(field);
  return i === -1 ? order.length : i;
}

export function hasProblems(p: FormProblems): boolean {
  return p.message !== null || p.items.length > 0;
}

/**
 * The problem with a password typed twice, if any: `what` names it in the message ("the new
 * password"). The backend checks the password itself; only the UI sees both copies.
 */
export function confirmationProblem(password: string, confirm: string, what: string): string | null {
  if (password === confirm) return null;
  return confirm === "" ? `Type ${what} again to confirm it.` : "The passwords do not match. Type the same password twice.";
}

/** A yes/no question's answer as its radio buttons hold it: "" until it is answered. */
export type YesNo = "" | "yes" | "no";

/** What a worker answered to a yes/no question: null when they have not answered. */
export function answerOf(v: string): boolean | null {
  return v === "" ? null : v === "yes";
}

/** A recorded yes or no as the question's radio buttons show it: "" when not recorded. */
export function yesNo(b: boolean | null | undefined): YesNo {
  return b === true ? "yes" : b === false ? "no" : "";
}
