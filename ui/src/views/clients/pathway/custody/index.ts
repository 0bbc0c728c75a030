// Custody: tests on arrest, required assessments (RA1-RA5) and conditional cautions.
import { stage } from "../stage";
import type { CustodySummary } from "../../../../lib/api/types";
import Custody from "./Custody.svelte";
import CustodyForms from "./CustodyForms.svelte";

export default stage<CustodySummary>({
  name: "custody",
  load: (api, clientId) => api.clientCustody(clientId),
  Section: Custody,
  steps: ["test", "assessment", "follow-up", "caution"],
  Forms: CustodyForms,
  appointments: (c) => [...c.assessments.map((a) => a.appointment), ...c.cautions.flatMap((c) => c.appointments)],
  produce: { evidential_statement: (api, appointmentId) => api.produceFailureStatement(appointmentId) },
});
