import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, person, record, signedInApi } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";

const search = () => document.getElementById("search") as HTMLInputElement;
const rows = () => Array.from(document.querySelectorAll(".search-result"));

const people = [
  person({ id: "c-1", surname: "Smith", forenames: "John Paul", date_of_birth: "1987-03-03", age: 39 }),
  person({ id: "c-2", surname: "Smith", forenames: "Jane", date_of_birth: "1990-09-15", age: 36, pnc: null, allocated_worker: null }),
];

describe("Find a person", () => {
  it("shows results as the worker types, in plain dates, and opens the highlighted one with ArrowDown + Enter", async () => {
    const api = signedInApi(caseworker, {
      searchClients: (q) => Promise.resolve(q.includes("smith") ? people : []),
      openClient: (id) => Promise.resolve(record({ id, surname: "Smith", forenames: id === "c-2" ? "Jane" : "John Paul" })),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.keyboard("/");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    await waitFor(() => expect(document.activeElement).toBe(search()));

    await user.keyboard("smith");
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0].textContent).toContain("SMITH, John Paul");
    expect(rows()[0].textContent).toContain("3 Mar 1987");
    expect(rows()[0].textContent).toContain("2019/0012345B");
    expect(rows()[0].textContent).toContain("Dan Kowalski");
    expect(rows()[0].textContent).toContain("Active");
    expect(rows()[1].textContent).toContain("15 Sep 1990");
    expect(rows()[1].textContent).toContain("Not allocated");
    // A screen reader hears each row as one sentence.
    expect(screen.getByRole("option", { name: "SMITH, Jane, born 15 Sep 1990, age 36, no PNC, not allocated, Active" })).toBe(rows()[1]);
    expect(screen.getByRole("status").textContent).toContain("2 people found");
    // Debounced: one search for the whole word, not one per letter.
    expect(api.searchClients).toHaveBeenCalledTimes(1);
    expect(api.searchClients).toHaveBeenLastCalledWith("smith");
    await expectNoAxeViolations();

    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowUp}{ArrowDown}");
    expect(rows()[1].getAttribute("aria-selected")).toBe("true");
    expect(search().getAttribute("aria-activedescendant")).toBe(rows()[1].id);
    await user.keyboard("{Enter}");

    await screen.findByRole("heading", { level: 1, name: "Jane Smith" });
    expect(api.openClient).toHaveBeenCalledWith("c-2");
    expect(document.querySelector("dl.client-details")?.textContent).toContain("3 Mar 1987 (age 39)");
  });

  it("offers to register someone when no one is found", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.keyboard("/");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    await user.type(search(), "nobody");
    await screen.findByRole("heading", { name: "No one found" });
    await user.click(screen.getByRole("button", { name: "Register a new person" }));
    await screen.findByRole("heading", { level: 1, name: "Register a person" });
  });

  it("renders a hostile name as text, never as markup", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const api = signedInApi(caseworker, {
      searchClients: () => Promise.resolve([person({ id: "c-x", surname: hostile, forenames: "<b>Bold</b>" })]),
      openClient: () => Promise.resolve(record({ id: "c-x", surname: hostile, forenames: "<b>Bold</b>", risk_notes: "<script>alert(2)</script>" })),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.keyboard("/");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    await user.type(search(), "img");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].textContent).toContain("<IMG SRC=X ONERROR=ALERT(1)>, <b>Bold</b>");
    expect(document.querySelector("img, b, script")).toBeNull();

    await user.keyboard("{Enter}"); // a single result opens with Enter
    await screen.findByRole("heading", { level: 1, name: `<b>Bold</b> ${hostile}` });
    expect(document.querySelector(".client-details")?.textContent).toContain("<script>alert(2)</script>");
    expect(document.querySelector("img, b, script")).toBeNull();
  });

  it("'/' and Ctrl+K bring the cursor to the search box from anywhere", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("nav-settings")!);
    await screen.findByRole("heading", { level: 1, name: "Settings" });
    await user.keyboard("/");
    await waitFor(() => expect(document.activeElement).toBe(search()));
    expect(search().value).toBe(""); // the "/" was not typed into the box

    await user.click(document.getElementById("nav-register")!);
    await screen.findByRole("heading", { level: 1, name: "Register a person" });
    await waitFor(() => expect(document.activeElement?.id).toBe("surname"));
    await user.keyboard("Sm/"); // "/" while typing in a field is just a character
    expect((document.getElementById("surname") as HTMLInputElement).value).toBe("Sm/");
    await user.keyboard("{Control>}k{/Control}");
    await waitFor(() => expect(document.activeElement).toBe(search()));
  });

  it("the record's Esc and 'Back to search' return to the same results", async () => {
    const api = signedInApi(caseworker, {
      searchClients: () => Promise.resolve(people),
      openClient: (id) => Promise.resolve(record({ id })),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.keyboard("/");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    await user.type(search(), "smith");
    await waitFor(() => expect(rows()).toHaveLength(2));
    await user.click(rows()[0]);
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    expect(search().value).toBe("smith");
    await waitFor(() => expect(rows()).toHaveLength(2));
    await waitFor(() => expect(document.activeElement).toBe(search()));
  });
});
