// Long tasks (joining a team, exporting and importing bundles, backups): the shell reports how
// far one has got on a channel, a few times a second, and Cancel stops it with nothing half done.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { TaskProgress } from "./types";

export type OnProgress = (progress: TaskProgress) => void;

export interface TasksApi {
  /** Stops the long task running; it rejects with `task.cancelled` once it has undone its work. */
  cancelTask(): Promise<void>;
}

export const tasksCommands: TasksApi = {
  cancelTask: () => invoke("cancel_task"),
};

/** The channel a long task's command reports on. */
export function progressChannel(onProgress?: OnProgress): Channel<TaskProgress> {
  const channel = new Channel<TaskProgress>();
  if (onProgress) channel.onmessage = onProgress;
  return channel;
}
