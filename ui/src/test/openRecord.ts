// Signs a worker in, searches and opens the one record the fake holds: how the record's tests
// begin. `over` replaces any of the fake's answers.
import { expect } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../App.svelte";
import type { Api } from "../lib/api/index";
import type { WorkerView } from "../lib/api/types";
import { person, record, signedInApi } from "./fakeApi";

export async function openRecord(worker: WorkerView, over: Partial<Api> = {}, name = "John Paul Smith") {
  const api = signedInApi(worker, { searchClients: () => Promise.resolve([person()]), openClient: () => Promise.resolve(record()), ...over });
  render(App, { props: { api } });
  const user = userEvent.setup();
  await screen.findByRole("heading", { level: 1, name: "Today" });
  await user.keyboard("/");
  await screen.findByRole("heading", { level: 1, name: "Find a person" });
  await user.type(document.getElementById("search") as HTMLInputElement, "smith");
  await waitFor(() => expect(document.querySelectorAll(".search-result")).toHaveLength(1));
  await user.keyboard("{Enter}");
  await screen.findByRole("heading", { level: 1, name });
  return { api, user };
}
