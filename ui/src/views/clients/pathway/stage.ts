// What a stage of the pathway brings to a client's record: how its part of the record is read,
// the section that shows it, the forms it opens in the record's place, the appointments it
// holds and the documents their failures produce. The record screen knows stages only through
// this, so a new stage is a folder beside these and one line in ./stages.ts.
import type { Component } from "svelte";
import type { Api } from "../../../lib/api/index";
import type { AppointmentView, Document, FailureDocument, PathwayLists, WorkerView } from "../../../lib/api/types";
import type { AppointmentAction, Step } from "../../../lib/pathway";

/** Whether a stage's section shows what it has recorded, and what its heading says it holds. */
export interface SectionFold {
  /** "12-month order, review 2 Dec 2026". */
  holds: string;
  /** Open when the person is at this stage now, or when the worker opened it. */
  open: boolean;
  /** The worker opened or closed it. */
  choose: (open: boolean) => void;
}

/** What the record gives every stage's section. */
export interface StageContext {
  worker: WorkerView;
  /** False for a merged record: it is kept for the history only. */
  editable: boolean;
  /** Today's London date, "2026-11-23". */
  today: string;
  /** Opens a form (or document) in the record's place; focus returns to `buttonId` on Esc. */
  start: (step: Step, buttonId: string) => void;
  act: (a: AppointmentView, action: AppointmentAction, buttonId: string) => void;
  /** A change made from the section itself: read the record again and say what happened. */
  changed: (message: string) => Promise<void>;
  /** A document produced from the section: read the record again and show it to print. */
  showDocument: (document: Document, buttonId: string) => Promise<void>;
  /** A section's fold, by the glance's name for it ("custody", "treatment"); none until the glance is read. */
  fold: (section: string) => SectionFold | undefined;
}

export interface SectionProps<S> {
  summary: S | null;
  problem: string | null;
  context: StageContext;
}

export interface FormsProps<S, L> {
  step: Step;
  clientId: string;
  /** The person's name, shown above the form's heading. */
  caption: string;
  pathwayLists: PathwayLists | null;
  /** The stage's own lists, when it has any. */
  lists: L | null;
  summary: S | null;
  done: (message: string, next?: Step) => void;
  cancel: () => void;
}

export interface PathwayStage<S = any, L = any> {
  /** Names the stage's part of the record while it loads or fails. */
  name: string;
  /** Reads the stage's part of the record; each stage loads on its own, so one failing leaves the rest usable. */
  load: (api: Api, clientId: string) => Promise<S>;
  /** Its own fixed lists, read once when the record opens. */
  lists?: (api: Api) => Promise<L>;
  Section: Component<SectionProps<S>>;
  /** The steps it opens in the record's place, shown by `Forms`. */
  steps: readonly Step["name"][];
  Forms?: Component<FormsProps<S, L>>;
  /** The appointments its section shows, to show one again after its document is produced. */
  appointments?: (summary: S) => AppointmentView[];
  /** How each document its failed appointments produce is made. */
  produce?: Partial<Record<FailureDocument, (api: Api, appointmentId: string) => Promise<Document>>>;
}

/** Declares a stage with its summary and lists types checked against its components. */
export function stage<S, L = null>(s: PathwayStage<S, L>): PathwayStage<S, L> {
  return s;
}
