// The prison forms a client's record can show in its place, and who may use them.
import type { EpisodeView, SpellView, WorkerView } from "../../../../lib/api/types";
import { can } from "../../../../lib/format";

export type PrisonMode =
  | { name: "spell" }
  | { name: "change"; spell: SpellView }
  | { name: "transfer"; spell: SpellView }
  | { name: "cancel-release"; spell: SpellView }
  | { name: "release"; spell: SpellView }
  | { name: "plan"; spell: SpellView }
  /** Produces (and audits) the handover summary for the community team, or the plan handed to
   * the person, then shows it to print or save. */
  | { name: "handover"; spell: SpellView }
  | { name: "release-plan"; spell: SpellView }
  | { name: "referral"; episode: EpisodeView | null };

/** Prison work: spells, transfers, plans, releases and handover summaries. */
export function canPrison(w: WorkerView): boolean {
  return can.prison(w);
}

/** "in 5 days", "tomorrow", "today", "2 days ago". */
export function daysWords(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days === -1) return "yesterday";
  return days > 1 ? `in ${days} days` : `${-days} days ago`;
}
