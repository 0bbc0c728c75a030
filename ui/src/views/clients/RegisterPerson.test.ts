import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, record, rejection, signedInApi } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;

async function openRegister() {
  const user = userEvent.setup();
  await screen.findByRole("heading", { level: 1, name: "Find a person" });
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
