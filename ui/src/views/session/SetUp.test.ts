import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { administrator, fakeApi, rejection, sessionFor } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const firstLaunch = { appStatus: () => Promise.resolve({ version: "0.1.0", set_up: false, session: null, locked_login: null }) };
const KEY = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789";

async function fillIn(confirm: string) {
  const user = userEvent.setup();
  await screen.findByRole("heading", { level: 1, name: "Set up Throughline" });
  await waitFor(() => expect(document.activeElement).toBe(input("team_name")));
  await user.keyboard(`Leeds CJ Drug Team{Tab}Chris Hall{Tab}chris{Tab}kettle-lantern-harbour{Tab}${confirm}{Enter}`);
  return user;
}

describe("Set up", () => {
  it("refuses passwords that do not match, beside the confirmation, without setting anything up", async () => {
    const api = fakeApi(firstLaunch);
    render(App, { props: { api } });
    await fillIn("kettle-lantern-harbor");
    await waitFor(() =>
      expect(document.getElementById("password_confirm-error")?.textContent).toContain("The passwords do not match."),
    );
    expect(document.querySelector(".error-summary")?.textContent).toContain("The passwords do not match.");
    expect(api.setUp).not.toHaveBeenCalled();
    // What was typed stays.
    expect(input("team_name").value).toBe("Leeds CJ Drug Team");
    await expectNoAxeViolations();
  });

  it("shows the backend's field errors beside the fields", async () => {
    const api = fakeApi({
      ...firstLaunch,
      setUp: () =>
        Promise.reject(
          rejection("validation.login_format", "Use 2 to 40 letters, digits, dots, dashes or underscores, such as amira.khan.", [
            { field: "login", code: "validation.login_format", message: "Use 2 to 40 letters, digits, dots, dashes or underscores, such as amira.khan." },
          ]),
        ),
    });
    render(App, { props: { api } });
    await fillIn("kettle-lantern-harbour");
    await waitFor(() => expect(document.getElementById("login-error")?.textContent).toContain("Use 2 to 40 letters"));
  });

  it("shows the recovery key once and needs the worker to say it is written down before going on", async () => {
    const api = fakeApi({ ...firstLaunch, setUp: () => Promise.resolve({ session: sessionFor(administrator), recovery_key: KEY }) });
    render(App, { props: { api } });
    const user = await fillIn("kettle-lantern-harbour");

    expect(api.setUp).toHaveBeenCalledWith({
      team_name: "Leeds CJ Drug Team",
      display_name: "Chris Hall",
      login: "chris",
      password: "kettle-lantern-harbour",
    });
    await screen.findByRole("heading", { level: 1, name: "Your recovery key" });
    expect(document.getElementById("recovery-key")?.textContent).toBe(KEY);
    expect(document.body.textContent).toContain(
      "Write this down and keep it locked away. It is the only way back in if every password is forgotten.",
    );
    await expectNoAxeViolations();

    await user.click(document.getElementById("recovery-key-continue")!);
    await waitFor(() => expect(document.getElementById("recovery-key-saved-error")).not.toBeNull());
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Your recovery key");

    await user.click(screen.getByLabelText("I have written down the recovery key"));
    await user.click(document.getElementById("recovery-key-continue")!);
    // The first account is administrator and team lead, so it sees the casework screens too.
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.getElementById("nav-workers")).not.toBeNull();
    expect(document.getElementById("recovery-key")).toBeNull();
  });
});
