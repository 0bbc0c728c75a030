import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { administrator, caseworker, rejection, signedInApi, teamSettings } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";

const minutes = () => document.getElementById("idle_lock_minutes") as HTMLInputElement;

describe("Settings", () => {
  it("shows a worker their signing key's characters, and says what to do while the team does not know it", async () => {
    const api = signedInApi(caseworker, { ownKey: () => Promise.resolve({ fingerprint: "4F2A9 1C30D 7EB2A 855F1", known: false }) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await waitFor(() => expect(document.getElementById("own-key-fingerprint")?.textContent).toBe("4F2A9 1C30D 7EB2A 855F1"));
    expect(document.getElementById("own-key-status")?.textContent).toContain("read them these characters");
    await expectNoAxeViolations();
  });

  it("a caseworker sees the idle lock in words but cannot change it", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await waitFor(() => expect(document.body.textContent).toContain("Throughline locks after 5 minutes without use."));
    expect(minutes()).toBeNull();
  });

  it("an administrator changes the idle lock; an out-of-range value shows the backend's message", async () => {
    const message = "Choose between 1 and 60 minutes.";
    const api = signedInApi(administrator, {
      saveTeamSettings: (s) =>
        s.idle_lock_minutes > 60
          ? Promise.reject(rejection("validation.idle_lock_range", message, [{ field: "idle_lock_minutes", code: "validation.idle_lock_range", message }]))
          : Promise.resolve(),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await waitFor(() => expect(minutes().value).toBe("5"));
    await user.clear(minutes());
    await user.type(minutes(), "90{Enter}");
    await waitFor(() => expect(document.getElementById("idle_lock_minutes-error")?.textContent).toContain(message));
    await user.clear(minutes());
    await user.type(minutes(), "10{Enter}");
    expect(api.saveTeamSettings).toHaveBeenLastCalledWith({ ...teamSettings, idle_lock_minutes: 10 });
    await waitFor(() => expect(document.body.textContent).toContain("Throughline now locks after 10 minutes without use."));
    await expectNoAxeViolations();
  });

  it("an administrator changes a flag threshold; the whole settings object is saved", async () => {
    const api = signedInApi(administrator, { saveTeamSettings: () => Promise.resolve() });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    const days = () => document.getElementById("assessment_booking_days") as HTMLInputElement;
    await waitFor(() => expect(days().value).toBe("1"));
    expect(screen.getByLabelText("Flag a positive test with no initial assessment after this many days")).toBe(days());
    await user.clear(days());
    await user.type(days(), "two{Enter}");
    await waitFor(() => expect(document.getElementById("assessment_booking_days-error")?.textContent).toContain("whole number"));
    expect(api.saveTeamSettings).not.toHaveBeenCalled();
    await user.clear(days());
    await user.type(days(), "2{Enter}");
    expect(api.saveTeamSettings).toHaveBeenLastCalledWith({ ...teamSettings, assessment_booking_days: 2 });
  });
});

describe("This laptop's recovery key", () => {
  it("tells an administrator this laptop has none that opens it, and makes one, shown once", async () => {
    const key = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567";
    const api = signedInApi(administrator, { hasRecoveryKey: () => Promise.resolve(false), makeRecoveryKey: () => Promise.resolve(key) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await waitFor(() => expect(document.getElementById("recovery-key-missing")?.textContent).toContain("no recovery key that opens it"));
    await user.click(screen.getByRole("button", { name: "Make a new recovery key" }));
    expect(api.makeRecoveryKey).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Make the new recovery key" }));
    await waitFor(() => expect(document.getElementById("new-recovery-key")?.textContent).toBe(key));
    expect(document.getElementById("recovery-key-missing")).toBeNull();
    expect(document.getElementById("recovery-key-present")).toBeNull();
    expect(api.makeRecoveryKey).toHaveBeenCalledTimes(1);
    await expectNoAxeViolations();
  });

  it("is not shown to a caseworker", async () => {
    const api = signedInApi(caseworker);
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await waitFor(() => expect(document.body.textContent).toContain("Change your password"));
    expect(document.getElementById("recovery-heading")).toBeNull();
    expect(api.hasRecoveryKey).not.toHaveBeenCalled();
  });
});

describe("Change your password", () => {
  it("checks the confirmation, shows the backend's error beside the field, and confirms the change", async () => {
    const wrong = "Your current password is not right.";
    let tries = 0;
    const api = signedInApi(caseworker, {
      changeOwnPassword: () => {
        tries++;
        return tries === 1
          ? Promise.reject(rejection("auth.current_password_wrong", wrong, [{ field: "current_password", code: "auth.current_password_wrong", message: wrong }]))
          : Promise.resolve();
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    const field = (id: string) => document.getElementById(id) as HTMLInputElement;
    await waitFor(() => expect(field("current_password")).not.toBeNull());
    await user.type(field("current_password"), "old-password-1");
    await user.type(field("new_password"), "three-random-words");
    await user.type(field("new_password_confirm"), "three-random-word{Enter}");
    expect(document.getElementById("new_password_confirm-error")?.textContent).toContain("The passwords do not match.");
    expect(api.changeOwnPassword).not.toHaveBeenCalled();

    await user.type(field("new_password_confirm"), "s{Enter}");
    expect(api.changeOwnPassword).toHaveBeenCalledWith("old-password-1", "three-random-words");
    await waitFor(() => expect(document.getElementById("current_password-error")?.textContent).toContain(wrong));
    expect(field("new_password").value).toBe("three-random-words");

    await user.click(screen.getByRole("button", { name: "Change password" }));
    await waitFor(() => expect(document.getElementById("password-changed")?.textContent).toContain("Your password has been changed."));
    expect(field("current_password").value).toBe("");
    await expectNoAxeViolations();
  });
});
