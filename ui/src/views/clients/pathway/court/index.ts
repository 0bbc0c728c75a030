// Court: hearings, bail with Restriction on Bail, and DRR suitability.
import { stage } from "../stage";
import type { CourtSummary } from "../../../../lib/api/types";
import Court from "./Court.svelte";
import CourtForms from "./CourtForms.svelte";

export default stage<CourtSummary>({
  name: "court",
  load: (api, clientId) => api.clientCourt(clientId),
  Section: Court,
  steps: ["hearing", "hearing-outcome", "court-note", "bail", "suitability"],
  Forms: CourtForms,
  appointments: (c) => c.bail.flatMap((b) => b.rob_appointments),
  produce: { breach_notice: (api, appointmentId) => api.produceBreachNotice(appointmentId) },
});
