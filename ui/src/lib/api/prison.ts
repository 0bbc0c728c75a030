// Prison, release and throughcare; referrals and treatment episodes.
import { invoke } from "@tauri-apps/api/core";
import type {
  Document,
  ComingRelease,
  ContinuityRate,
  EpisodeInput,
  NewPlan,
  NewRelease,
  NewSpell,
  NewTransfer,
  PrisonLists,
  PrisonSummary,
  SpellChange,
} from "./types";

export interface PrisonApi {
  prisonLists(): Promise<PrisonLists>;
  clientPrison(clientId: string): Promise<PrisonSummary>;
  /** Returns the spell's id. */
  recordPrisonSpell(clientId: string, input: NewSpell): Promise<string>;
  changePrisonSpell(spellId: string, input: SpellChange): Promise<void>;
  recordPrisonTransfer(spellId: string, input: NewTransfer): Promise<string>;
  /** Further remand: the expected release will not happen. */
  cancelPrisonRelease(spellId: string, reason: string): Promise<void>;
  recordRelease(spellId: string, input: NewRelease): Promise<void>;
  saveThroughcarePlan(spellId: string, input: NewPlan): Promise<string>;
  produceHandoverSummary(spellId: string): Promise<Document>;
  /** The plan handed to the person leaving prison. */
  produceReleasePlan(spellId: string): Promise<Document>;
  recordReferral(clientId: string, input: EpisodeInput): Promise<string>;
  updateTreatmentEpisode(episodeId: string, input: EpisodeInput): Promise<void>;
  /** Expected releases up to `days` ahead (and any passed with no release), soonest first. */
  comingReleases(days: number): Promise<ComingRelease[]>;
  releasesThisWeek(): Promise<ComingRelease[]>;
  /** How the releases of the last `days` days fared against the 21-day ambition. */
  continuityRate(days: number): Promise<ContinuityRate>;
}

export const prisonCommands: PrisonApi = {
  prisonLists: () => invoke("prison_lists"),
  clientPrison: (clientId) => invoke("client_prison", { clientId }),
  recordPrisonSpell: (clientId, input) => invoke("record_prison_spell", { clientId, input }),
  changePrisonSpell: (spellId, input) => invoke("change_prison_spell", { spellId, input }),
  recordPrisonTransfer: (spellId, input) => invoke("record_prison_transfer", { spellId, input }),
  cancelPrisonRelease: (spellId, reason) => invoke("cancel_prison_release", { spellId, reason }),
  recordRelease: (spellId, input) => invoke("record_release", { spellId, input }),
  saveThroughcarePlan: (spellId, input) => invoke("save_throughcare_plan", { spellId, input }),
  produceHandoverSummary: (spellId) => invoke("produce_handover_summary", { spellId }),
  produceReleasePlan: (spellId) => invoke("produce_release_plan", { spellId }),
  recordReferral: (clientId, input) => invoke("record_referral", { clientId, input }),
  updateTreatmentEpisode: (episodeId, input) => invoke("update_treatment_episode", { episodeId, input }),
  comingReleases: (days) => invoke("coming_releases", { days }),
  releasesThisWeek: () => invoke("releases_this_week"),
  continuityRate: (days) => invoke("continuity_rate", { days }),
};
