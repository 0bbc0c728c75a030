// What the dashboard and the returns are asked for, and how their weeks and months are named.
import type { DashboardAsk, Grain, PeriodChoice } from "../../lib/api/index";
import { formatDate } from "../../lib/format";

export const PERIODS: { value: PeriodChoice; label: string }[] = [
  { value: "this_week", label: "This week" },
  { value: "this_month", label: "This month" },
  { value: "this_quarter", label: "This quarter" },
  { value: "last12_months", label: "Last 12 months" },
  { value: "between", label: "Between dates" },
];

export function newAsk(period: PeriodChoice = "this_month"): DashboardAsk {
  return { period, from: "", to: "", worker_id: null };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "w/c 23 Nov 2026" for a week, "Nov 2026" for a month. */
export function bucketName(start: string, grain: Grain): string {
  if (grain === "week") return `w/c ${formatDate(start)}`;
  const [year, month] = start.split("-");
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

/** The last day of the bucket starting on `start` (ISO dates). */
export function bucketEnd(start: string, grain: Grain): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (grain === "week") d.setUTCDate(d.getUTCDate() + 6);
  else d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
}

/** The part of a bucket inside the period: the dates a trend cell's list covers. */
export function clip(start: string, grain: Grain, period: { from: string; to: string }): { from: string; to: string } {
  const end = bucketEnd(start, grain);
  return { from: start < period.from ? period.from : start, to: end > period.to ? period.to : end };
}
