import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { caseworker, fakeApi, person, record, rejection, sessionFor, signedInApi } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";
import type { OnProgress, SessionInfo } from "../../lib/api/index";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;

describe("Sign in", () => {
  it("shows the backend's message in the error summary when sign-in fails, and lets the worker try again", async () => {
    const api = fakeApi({
      signIn: () => Promise.reject(rejection("auth.sign_in_failed", "The sign-in name or password is not right. Check both and try again.")),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();

    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await waitFor(() => expect(document.activeElement).toBe(input("login")));
    await user.keyboard("dan");
    await user.tab();
    await user.keyboard("wrong-password{Enter}");

    const summary = await waitFor(() => {
      const s = document.querySelector(".error-summary");
      expect(s).not.toBeNull();
      return s!;
    });
    expect(summary.textContent).toContain("There is a problem");
    expect(summary.textContent).toContain("The sign-in name or password is not right. Check both and try again.");
    expect(api.signIn).toHaveBeenCalledWith("dan", "wrong-password", expect.any(Function));
    // It does not say which part was wrong: no message beside either field.
    expect(document.getElementById("login-error")).toBeNull();
    expect(document.getElementById("password-error")).toBeNull();
    expect(input("login").value).toBe("dan");
    expect(input("password").value).toBe("");
    expect(document.activeElement).toBe(input("password"));
  });

  it("asks for the missing fields beside them without calling the backend", async () => {
    const api = fakeApi();
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(document.getElementById("login-error")?.textContent).toContain("Enter your sign-in name.");
    expect(document.getElementById("password-error")?.textContent).toContain("Enter your password.");
    expect(api.signIn).not.toHaveBeenCalled();
  });

  it("signs in with Enter and shows the worker's shell", async () => {
    const api = fakeApi({ signIn: () => Promise.resolve(sessionFor(caseworker)) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await waitFor(() => expect(document.activeElement).toBe(input("login")));
    await user.keyboard("dan{Tab}custody-suite-seven{Enter}");
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(screen.getByText("Leeds CJ Drug Team")).toBeTruthy();
    expect(screen.getByText("Dan Kowalski")).toBeTruthy();
    // A custody worker has no Workers screen.
    expect(document.getElementById("nav-workers")).toBeNull();
    expect(document.getElementById("nav-settings")).not.toBeNull();
  });

  it("shows how far bringing the records up to date has got at the first sign-in after an update, without a Cancel", async () => {
    let finish: (s: SessionInfo) => void = () => {};
    let tell: OnProgress = () => {};
    const api = fakeApi({
      signIn: (_login: string, _password: string, onProgress?: OnProgress) =>
        new Promise<SessionInfo>((resolve) => {
          finish = resolve;
          tell = onProgress ?? tell;
        }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await waitFor(() => expect(document.activeElement).toBe(input("login")));
    await user.keyboard("dan{Tab}custody-suite-seven{Enter}");
    // An ordinary sign-in tells nothing, and shows nothing.
    expect(document.getElementById("updating")).toBeNull();

    tell({ doing: "Updating this laptop's records for the new version of Throughline", done: 1, total: 3 });
    const updating = await waitFor(() => {
      const u = document.getElementById("updating");
      expect(u).not.toBeNull();
      return u!;
    });
    expect(updating.textContent?.replace(/\s+/g, " ")).toContain("brings this laptop's records up to date. This happens once");
    expect(document.getElementById("task-doing")?.textContent).toBe("Updating this laptop's records for the new version of Throughline");
    expect(document.getElementById("task-percent")?.textContent).toBe(": 33%");
    expect(document.getElementById("task-cancel")).toBeNull();
    // The database copied into this laptop's quicker page check: told in pages, read as a share.
    tell({ doing: "Making the database quicker to read on this laptop (once)", done: 341505, total: 1088053 });
    await waitFor(() => expect(document.getElementById("task-percent")?.textContent).toBe(": 31%"));
    expect(document.getElementById("task-doing")?.textContent).toBe("Making the database quicker to read on this laptop (once)");
    expect(updating.textContent).not.toContain("341505");

    finish(sessionFor(caseworker));
    await screen.findByRole("heading", { level: 1, name: "Today" });
    expect(document.getElementById("updating")).toBeNull();
  });

  it("has no accessibility problems that axe can find, with or without errors", async () => {
    const api = fakeApi({ signIn: () => Promise.reject(rejection("auth.sign_in_failed", "The sign-in name or password is not right.")) });
    render(App, { props: { api } });
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await expectNoAxeViolations();
    const user = userEvent.setup();
    await user.type(input("login"), "dan");
    await user.type(input("password"), "nope{Enter}");
    await waitFor(() => expect(document.querySelector(".error-summary")).not.toBeNull());
    await expectNoAxeViolations();
  });

  it("when locked at start-up, fills in the name and puts the cursor in the password box", async () => {
    const api = fakeApi({ appStatus: () => Promise.resolve({ version: "0.1.0", set_up: true, session: null, locked_login: "dan" }) });
    render(App, { props: { api } });
    await screen.findByRole("heading", { level: 1, name: "Throughline is locked" });
    expect(input("login").value).toBe("dan");
    await waitFor(() => expect(document.activeElement).toBe(input("password")));
  });

  it("'Sign in as someone else' clears the name and the locked heading", async () => {
    const api = fakeApi({ appStatus: () => Promise.resolve({ version: "0.1.0", set_up: true, session: null, locked_login: "dan" }) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Throughline is locked" });
    await user.click(screen.getByRole("button", { name: "Sign in as someone else" }));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Sign in to Throughline");
    expect(input("login").value).toBe("");
    expect(document.activeElement).toBe(input("login"));
  });
});

describe("Locking", () => {
  it("the backend's session-locked event replaces the screen with the locked sign-in, name filled in", async () => {
    const api = signedInApi(caseworker, {
      searchClients: () => Promise.resolve([person()]),
      openClient: () => Promise.resolve(record()),
    });
    render(App, { props: { api } });
    await screen.findByRole("heading", { level: 1, name: "Today" });

    api.fireLocked("dan");

    await screen.findByRole("heading", { level: 1, name: "Throughline is locked" });
    expect(input("login").value).toBe("dan");
    await waitFor(() => expect(document.activeElement).toBe(input("password")));
    // Nothing of the signed-in screens is left on show.
    expect(document.getElementById("nav-find")).toBeNull();
    expect(document.getElementById("search")).toBeNull();
  });

  it("a command refused with auth.locked shows the locked sign-in, and signing back in returns to the same record", async () => {
    let locked = false;
    const api = signedInApi(caseworker, {
      searchClients: () => Promise.resolve([person()]),
      openClient: () => (locked ? Promise.reject(rejection("auth.locked", "Throughline locked itself.")) : Promise.resolve(record())),
      signIn: () => {
        locked = false;
        return Promise.resolve(sessionFor(caseworker));
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.keyboard("/");
    await screen.findByRole("heading", { level: 1, name: "Find a person" });
    await user.type(input("search"), "smith");
    await waitFor(() => expect(document.querySelectorAll(".search-result")).toHaveLength(1));
    locked = true;
    await user.keyboard("{ArrowDown}{Enter}");

    await screen.findByRole("heading", { level: 1, name: "Throughline is locked" });
    expect(input("login").value).toBe("dan");
    await waitFor(() => expect(document.activeElement).toBe(input("password")));
    await user.keyboard("custody-suite-seven{Enter}");
    await screen.findByRole("heading", { level: 1, name: "John Paul Smith" });
  });

  it("the Lock button locks the app at once", async () => {
    const api = signedInApi(caseworker);
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Today" });
    await user.click(document.getElementById("lock-button")!);
    expect(api.lock).toHaveBeenCalled();
    await screen.findByRole("heading", { level: 1, name: "Throughline is locked" });
  });
});

describe("Reset a password with the recovery key", () => {
  it("goes from sign-in to the reset form and back with a success message", async () => {
    const api = fakeApi({ resetPasswordWithRecoveryKey: () => Promise.resolve() });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await user.click(document.getElementById("use-recovery-key")!);
    await screen.findByRole("heading", { level: 1, name: "Reset a password with the recovery key" });
    await waitFor(() => expect(document.activeElement).toBe(input("recovery_key")));
    await user.keyboard("ABCD-EFGH{Tab}dan{Tab}new-kettle-lantern{Tab}new-kettle-lantern{Enter}");
    expect(api.resetPasswordWithRecoveryKey).toHaveBeenCalledWith("ABCD-EFGH", "dan", "new-kettle-lantern");
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    expect(screen.getByRole("status").textContent).toContain("The password has been changed");
  });

  it("shows a wrong recovery key beside the key", async () => {
    const api = fakeApi({
      resetPasswordWithRecoveryKey: () =>
        Promise.reject(rejection("auth.recovery_key_wrong", "That recovery key is not right. Check it against the printed copy.")),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await user.click(document.getElementById("use-recovery-key")!);
    await screen.findByRole("heading", { level: 1, name: "Reset a password with the recovery key" });
    await user.type(input("recovery_key"), "WRONG");
    await user.type(input("login"), "dan");
    await user.type(input("new_password"), "new-kettle-lantern");
    await user.type(input("new_password_confirm"), "new-kettle-lantern{Enter}");
    await waitFor(() =>
      expect(document.getElementById("recovery_key-error")?.textContent).toContain("That recovery key is not right."),
    );
  });

  it("Esc goes back to sign in", async () => {
    render(App, { props: { api: fakeApi() } });
    const user = userEvent.setup();
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    await user.click(document.getElementById("use-recovery-key")!);
    await screen.findByRole("heading", { level: 1, name: "Reset a password with the recovery key" });
    await user.keyboard("{Escape}");
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
  });
});
