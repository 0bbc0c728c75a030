// Contacts, case notes and general appointments, on every record.
import { stage } from "../stage";
import type { ClientNotes } from "../../../../lib/api/types";
import Notes from "./Notes.svelte";
import NotesForms from "./NotesForms.svelte";

export default stage<ClientNotes>({
  name: "notes",
  load: (api, clientId) => api.clientNotes(clientId),
  Section: Notes,
  steps: ["contact", "note"],
  Forms: NotesForms,
});
