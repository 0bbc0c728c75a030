// How dates, names and roles read on screen (GOV.UK style: "3 Mar 1987", 24-hour times).
import type { ClientStatus, Role, WorkerView } from "./api/types";

const dayMonthYear = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

const dateTimeLondon = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

// Intl writes "Sept" for September in en-GB; the GOV.UK style is "Sep".
const tidy = (s: string) => s.replace("Sept", "Sep");

/** "1987-03-03" → "3 Mar 1987". Text that is not a date is shown as it is. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return isoDate;
  return tidy(dayMonthYear.format(d));
}

/** RFC 3339 → "3 Mar 2026, 14:05", London time. */
export function formatDateTime(rfc3339: string | null | undefined): string {
  if (!rfc3339) return "";
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const parts = Object.fromEntries(dateTimeLondon.formatToParts(d).map((p) => [p.type, p.value]));
  return tidy(`${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`);
}

/** "SMITH, John Paul": the surname first and in capitals, for scanning a list. */
export function listName(p: { surname: string; forenames: string }): string {
  const surname = p.surname.toLocaleUpperCase("en-GB");
  return p.forenames ? `${surname}, ${p.forenames}` : surname;
}

/** "John Paul Smith": for headings. */
export function fullName(p: { surname: string; forenames: string }): string {
  return [p.forenames, p.surname].filter(Boolean).join(" ");
}

export const ROLE_LABELS: Record<Role, string> = {
  custody: "Custody",
  court: "Court",
  community: "Community / DRR",
  prison_link: "Prison link",
  team_lead: "Team lead",
  administrator: "Administrator",
};

export const ALL_ROLES: Role[] = ["custody", "court", "community", "prison_link", "team_lead", "administrator"];

export function rolesInWords(roles: Role[]): string {
  return roles.map((r) => ROLE_LABELS[r] ?? r).join(", ");
}

export const STATUS_LABELS: Record<ClientStatus, string> = {
  active: "Active",
  closed: "Closed",
  merged: "Merged",
};

export const SEX_LABELS: Record<string, string> = {
  female: "Female",
  male: "Male",
  not_known: "Not known",
};

/** What a worker may do: the permissions core grants their roles (accounts/permissions.rs). */
export const can = {
  casework: (w: WorkerView) => w.permissions.includes("casework"),
  custody: (w: WorkerView) => w.permissions.includes("custody"),
  court: (w: WorkerView) => w.permissions.includes("court"),
  drr: (w: WorkerView) => w.permissions.includes("drr"),
  prison: (w: WorkerView) => w.permissions.includes("prison"),
  seeWorkers: (w: WorkerView) => w.permissions.includes("see_workers"),
  administer: (w: WorkerView) => w.permissions.includes("administer"),
  checkAudit: (w: WorkerView) => w.permissions.includes("check_audit"),
  /** Caseloads, allocation, team flags, duplicates and merges. */
  leadTeam: (w: WorkerView) => w.permissions.includes("lead_team"),
  /** Export and import bundles; see one's own sync conflicts. */
  sync: (w: WorkerView) => w.permissions.includes("sync"),
  /** Can have clients allocated: active, and works with clients. */
  holdCaseload: (w: WorkerView) => w.active && w.permissions.includes("casework"),
};

/** "1987-03-03" → "03/03/1987", the way a worker types a date. Other text is left as it is. */
export function typedDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/** "Jon Fetherstone (born 3 Mar 1987)" → "Jon Fetherstone". */
export function withoutBirthDate(name: string): string {
  return name.replace(/\s*\(born [^)]*\)\s*$/, "");
}

/** "John Smith's" / "James's": the possessive for a sentence. */
export function possessive(name: string): string {
  return `${name}'s`;
}

/** "1,234" */
export function count(n: number | bigint): string {
  return new Intl.NumberFormat("en-GB").format(Number(n));
}

const londonNow = new Intl.DateTimeFormat("en-GB", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

/** Now in London, the way a worker types it: { date: "23/11/2026", time: "14:30" }. */
export function typedNow(now: Date = new Date()): { date: string; time: string } {
  const p = Object.fromEntries(londonNow.formatToParts(now).map((x) => [x.type, x.value]));
  return { date: `${p.day}/${p.month}/${p.year}`, time: `${p.hour}:${p.minute}` };
}

/** Today in London as a calendar date: "2026-11-23". */
export function londonToday(now: Date = new Date()): string {
  return typedNow(now).date.split("/").reverse().join("-");
}

/** RFC 3339 → "14:05", London time. */
export function formatTime(rfc3339: string | null | undefined): string {
  const full = formatDateTime(rfc3339);
  const m = /, (\d{2}:\d{2})$/.exec(full);
  return m ? m[1] : full;
}
