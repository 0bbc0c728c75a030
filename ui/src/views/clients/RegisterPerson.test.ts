import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, person, record, rejection, signedInApi } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;

async function openRegister() {
  const user = userEvent.setup();
  await screen.findByRole("heading", { level: 1, name: "Today" });
  await user.click(document.getElementById("nav-register")!);
  await screen.findByRole("heading", { level: 1, name: "Register a person" });
  await waitFor(() => expect(document.activeElement).toBe(input("surname")));
  return user;
}

const PNC_MESSAGE = "The PNC id check letter should be B. Check the number.";
const DOB_MESSAGE = "Enter the date of birth as day/month/year, like 03/03/1987.";

describe("Register a person", () => {
  it("shows the backend's field errors beside the fields and in the summary, keeping everything typed", async () => {
    const api = signedInApi(caseworker, {
      registerClient: () =>
        Promise.reject(
          rejection("validation.several", "There are 2 problems to fix before this can be saved.", [
            { field: "pnc", code: "validation.pnc_check_letter", message: PNC_MESSAGE },
            { field: "date_of_birth", code: "validation.date_format", message: DOB_MESSAGE },
          ]),
        ),
    });
    render(App, { props: { api } });
    const user = await openRegister();
    await user.keyboard("Smith{Tab}John Paul{Tab}31/02/87");
    await user.click(screen.getByLabelText("Male"));
    await user.type(input("pnc"), "2019/0012345Z");
    await user.type(input("nhs_number"), "943 476 5919{Enter}");

    expect(api.registerClient).toHaveBeenCalledWith(
      expect.objectContaining({
        surname: "Smith",
        forenames: "John Paul",
        date_of_birth: "31/02/87",
        sex: "male",
        pnc: "2019/0012345Z",
        nhs_number: "943 476 5919",
      }),
    );
    const summary = await waitFor(() => document.querySelector(".error-summary") ?? Promise.reject("no summary"));
    expect(document.activeElement).toBe(summary);
    // Listed in the order of the form, each a link to its field.
    const links = Array.from(summary.querySelectorAll("a"));
    expect(links.map((a) => a.textContent)).toEqual([DOB_MESSAGE, PNC_MESSAGE]);
    expect(document.getElementById("pnc-error")?.textContent).toContain(PNC_MESSAGE);
    expect(document.getElementById("date_of_birth-error")?.textContent).toContain(DOB_MESSAGE);
    expect(input("pnc").getAttribute("aria-describedby")).toContain("pnc-error");
    expect(document.getElementById("surname-error")).toBeNull();

    expect(input("surname").value).toBe("Smith");
    expect(input("forenames").value).toBe("John Paul");
    expect(input("date_of_birth").value).toBe("31/02/87");
    expect(input("sex-male").checked).toBe(true);
    expect(input("pnc").value).toBe("2019/0012345Z");
    expect(input("nhs_number").value).toBe("943 476 5919");

    await user.click(links[1]);
    expect(document.activeElement).toBe(input("pnc"));
    await expectNoAxeViolations();
  });

  it("a sex error links to the first radio button", async () => {
    const message = "Choose the person's sex, or 'Not known'.";
    const api = signedInApi(caseworker, {
      registerClient: () => Promise.reject(rejection("validation.required", message, [{ field: "sex", code: "validation.required", message }])),
    });
    render(App, { props: { api } });
    const user = await openRegister();
    await user.keyboard("Smith{Enter}");
    await waitFor(() => expect(document.getElementById("sex-error")?.textContent).toContain(message));
    await user.click(screen.getByRole("link", { name: message }));
    expect(document.activeElement).toBe(input("sex-female"));
  });

  it("has no accessibility problems that axe can find", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    await openRegister();
    await expectNoAxeViolations();
  });

  it("opens the new person's record once registered", async () => {
    const api = signedInApi(caseworker, {
      registerClient: () => Promise.resolve("c-new"),
      openClient: (id) => Promise.resolve(record({ id, surname: "Okafor", forenames: "Grace" })),
    });
    render(App, { props: { api } });
    const user = await openRegister();
    await user.keyboard("Okafor{Tab}Grace{Tab}03/03/1987{Enter}");
    await screen.findByRole("heading", { level: 1, name: "Grace Okafor" });
    expect(api.openClient).toHaveBeenCalledWith("c-new");
  });

  it("Esc backs out to Find a person", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    const user = await openRegister();
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
  });
});

describe("Find before create", () => {
  const featherstone = person({ id: "c-jf", surname: "Featherstone", forenames: "John", pnc: "1987/1234567U", aliases: ["Johnny Feathers"] });
  const other = person({ id: "c-jo", surname: "Fetherstone", forenames: "Jon", pnc: null, allocated_worker: null });

  it("lists possible matches as the worker types, and calls out one with the same PNC id in words", async () => {
    const api = signedInApi(caseworker, {
      duplicateCandidates: (input) =>
        Promise.resolve(
          input.pnc.trim()
            ? [{ client: featherstone, reasons: ["Same PNC id"], same_identifier: true }]
            : input.date_of_birth.trim()
              ? [
                  { client: featherstone, reasons: ["Same date of birth", "Surnames alike (Featherston / Featherstone)", "Same forenames"], same_identifier: false },
                  { client: other, reasons: ["Same date of birth", "Surnames alike (Featherston / Fetherstone)", "First names alike (John / Jon)"], same_identifier: false },
                ]
              : [],
        ),
      openClient: (id) => Promise.resolve(record({ id, surname: "Featherstone", forenames: "John" })),
    });
    render(App, { props: { api } });
    const user = await openRegister();
    const section = document.getElementById("possible-matches")!;
    expect(section.getAttribute("aria-live")).toBe("polite");
    expect(section.querySelectorAll(".possible-match")).toHaveLength(0);

    await user.keyboard("Featherston");
    // A surname alone is not enough to ask.
    await new Promise((r) => setTimeout(r, 300));
    expect(api.duplicateCandidates).not.toHaveBeenCalled();

    await user.keyboard("{Tab}John{Tab}03/03/1987");
    await waitFor(() => expect(section.querySelectorAll(".possible-match")).toHaveLength(2));
    expect(within(section).getByRole("heading", { name: "Is this someone already registered?" })).toBeTruthy();
    const first = section.querySelectorAll(".possible-match")[0];
    expect(first.textContent).toContain("John Featherstone");
    expect(first.textContent).toContain("3 Mar 1987 (age 39)");
    expect(first.textContent).toContain("1987/1234567U");
    expect(first.textContent).toContain("Johnny Feathers");
    expect(first.textContent).toContain("Same date of birth");
    expect(section.textContent).not.toContain("this person is already registered");
    // Debounced: one question for the whole date, not one per keystroke.
    expect(api.duplicateCandidates.mock.calls.length).toBeLessThanOrEqual(2);
    expect(api.duplicateCandidates).toHaveBeenLastCalledWith(
      expect.objectContaining({ surname: "Featherston", forenames: "John", date_of_birth: "03/03/1987" }),
    );

    await user.type(input("pnc"), "87/1234567U");
    await waitFor(() => expect(section.querySelectorAll(".possible-match")).toHaveLength(1));
    const certain = section.querySelector(".possible-match")!;
    expect(certain.textContent).toContain("Same PNC id — this person is already registered");
    expect(certain.querySelector(".warning-icon")).not.toBeNull();
    // Typing is kept while matches come and go.
    expect(input("surname").value).toBe("Featherston");
    await expectNoAxeViolations();

    await user.click(within(certain as HTMLElement).getByRole("button", { name: /Open this record/ }));
    await screen.findByRole("heading", { level: 1, name: "John Featherstone" });
    expect(api.openClient).toHaveBeenCalledWith("c-jf");
  });

  it("ignores an answer that arrives after a newer one", async () => {
    const slow: ((v: unknown) => void)[] = [];
    let calls = 0;
    const api = signedInApi(caseworker, {
      duplicateCandidates: () => {
        calls++;
        if (calls === 1) return new Promise((resolve) => slow.push(resolve as (v: unknown) => void)) as never;
        return Promise.resolve([{ client: other, reasons: ["Same date of birth"], same_identifier: false }]);
      },
    });
    render(App, { props: { api } });
    const user = await openRegister();
    await user.type(input("date_of_birth"), "03/03/1987");
    await waitFor(() => expect(api.duplicateCandidates).toHaveBeenCalledTimes(1));
    await user.type(input("pnc"), "1");
    await waitFor(() => expect(document.querySelectorAll(".possible-match")).toHaveLength(1));
    slow[0]([{ client: featherstone, reasons: ["Same PNC id"], same_identifier: true }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(document.querySelectorAll(".possible-match")).toHaveLength(1);
    expect(document.getElementById("possible-matches")!.textContent).toContain("Jon Fetherstone");
  });

  it("sends the more details too, with the lists' values", async () => {
    const api = signedInApi(caseworker, { registerClient: () => Promise.resolve("c-new"), openClient: (id) => Promise.resolve(record({ id })) });
    render(App, { props: { api } });
    const user = await openRegister();
    await user.keyboard("Okafor{Tab}Grace{Tab}03/03/1987");
    await user.click(input("sex-female"));
    await user.click(screen.getByText("More details (optional)"));
    await user.selectOptions(document.getElementById("ethnicity")!, "Irish");
    expect(document.querySelector("#ethnicity optgroup[label='White']")).not.toBeNull();
    await user.click(input("no_fixed_abode"));
    await user.selectOptions(document.getElementById("primary_substance")!, "Crack cocaine");
    await user.type(input("risk_notes"), "Carries needles");
    await user.click(screen.getByRole("button", { name: "Register this person" }));
    expect(api.registerClient).toHaveBeenCalledWith(
      expect.objectContaining({ ethnicity: "white_irish", no_fixed_abode: true, primary_substance: "crack", risk_notes: "Carries needles" }),
    );
  });
});
