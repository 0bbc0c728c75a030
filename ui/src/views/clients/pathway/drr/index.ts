// The Drug Rehabilitation Requirement: the order, timetable, testing, compliance and reviews.
import { stage } from "../stage";
import type { DrrLists, DrrSummary } from "../../../../lib/api/types";
import Drr from "./Drr.svelte";
import DrrForms from "./DrrForms.svelte";

export default stage<DrrSummary, DrrLists>({
  name: "drr",
  load: (api, clientId) => api.clientDrr(clientId),
  lists: (api) => api.drrLists(),
  Section: Drr,
  steps: ["drr"],
  Forms: DrrForms,
});
