// The night the clocks go back (the last Sunday of October, 02:00 BST becomes 01:00 GMT), the
// hour from 01:00 to 01:59 happens twice. A time typed in it says which with " BST" (the first)
// or " GMT" (the second), as the backend reads it (core/src/calendar/when.rs).

export type Which = "BST" | "GMT";

/** Splits "01:30 BST" into the time and which of a repeated time it is ("first"/"second" too). */
export function splitWhich(typed: string): { time: string; which: Which | null } {
  const m = /^(.*\S)\s+(bst|gmt|first|second)$/i.exec(typed.trim());
  if (!m) return { time: typed, which: null };
  const word = m[2].toLowerCase();
  return { time: m[1], which: word === "bst" || word === "first" ? "BST" : "GMT" };
}

/** A typed date (23/11/2026, 23-11-2026, 2026-11-23) as year, month, day; null when unreadable. */
function readDate(typed: string): [number, number, number] | null {
  const t = typed.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  return m ? [Number(m[3]), Number(m[2]), Number(m[1])] : null;
}

/** The hour of a typed 24-hour time ("01:30", "1.30", "0130"); null when unreadable. */
function readHour(typed: string): number | null {
  const t = typed.trim();
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(t) ?? /^(\d{2})(\d{2})$/.exec(t);
  return m && Number(m[2]) < 60 ? Number(m[1]) : null;
}

/** True when the typed London date and time happen twice (the clocks go back that night). */
export function inRepeatedHour(date: string, time: string): boolean {
  const d = readDate(date);
  const hour = readHour(splitWhich(time).time);
  if (!d || hour !== 1) return false;
  const [year, month, day] = d;
  if (month !== 10 || year < 1996) return false;
  const lastOfOctober = new Date(Date.UTC(year, 9, 31));
  const lastSunday = 31 - lastOfOctober.getUTCDay();
  return day === lastSunday;
}
