// Prison and release, with referrals and treatment (read from the same summary).
import { stage } from "../stage";
import type { PrisonSummary } from "../../../../lib/api/types";
import PrisonSections from "./PrisonSections.svelte";
import PrisonForms from "./PrisonForms.svelte";

export default stage<PrisonSummary>({
  name: "prison",
  load: (api, clientId) => api.clientPrison(clientId),
  Section: PrisonSections,
  steps: ["prison"],
  Forms: PrisonForms,
});
