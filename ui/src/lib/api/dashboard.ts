// The team lead's dashboard and returns.
import { invoke } from "@tauri-apps/api/core";
import type {
  Dashboard,
  DashboardAsk,
  FigureList,
  FigureListAsk,
  ReturnKind,
  Tracker,
} from "./types";

export interface DashboardApi {
  dashboard(ask: DashboardAsk): Promise<Dashboard>;
  /** The clients behind a figure, a page at a time, latest first. */
  figureList(ask: FigureListAsk): Promise<FigureList>;
  weeklyTracker(ask: DashboardAsk): Promise<Tracker>;
  /** Opens the system's save dialog; the path saved to, or null when cancelled. */
  /** CSV for another system, or PDF to send on. */
  saveReturn(kind: ReturnKind, ask: DashboardAsk, asPdf?: boolean): Promise<string | null>;
}

export const dashboardCommands: DashboardApi = {
  dashboard: (ask) => invoke("dashboard", { ask }),
  figureList: (ask) => invoke("figure_list", { ask }),
  weeklyTracker: (ask) => invoke("weekly_tracker", { ask }),
  saveReturn: (kind, ask, asPdf = false) => invoke("save_return", { kind, ask, asPdf }),
};
