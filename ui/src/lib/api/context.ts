import { getContext, setContext } from "svelte";
import type { Api } from "./index";

const KEY = Symbol("throughline-api");

export function setApi(api: Api): void {
  setContext(KEY, api);
}

export function getApi(): Api {
  const api = getContext<Api | undefined>(KEY);
  if (!api) throw new Error("No Api in context: App.svelte (or a test) must set it.");
  return api;
}
