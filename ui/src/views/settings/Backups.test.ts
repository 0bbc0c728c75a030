import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../../App.svelte";
import { administrator, caseworker, fakeApi, rejection, signedInApi } from "../../test/fakeApi";
import { expectNoAxeViolations } from "../../test/axe";
import type { BackupSummary } from "../../lib/api/index";

const summary: BackupSummary = {
  folder: "/media/usb/throughline-backup-2026-11-23-090000",
  team_name: "Leeds CJ Drug Team",
  made_at: "2026-11-23T09:00:00Z",
  app_version: "0.1.0",
  clients: 312,
  audit_entries: 4567,
  bytes: 5 * 1024 * 1024,
};

describe("Backups", () => {
  it("a backup shows how far the copy has got, and Cancel leaves nothing written", async () => {
    let stop: (reason: unknown) => void = () => {};
    const api = signedInApi(administrator, {
      backUp: (onProgress) => {
        onProgress?.({ doing: "Copying the database", done: 30, total: 120 });
        return new Promise((_, reject) => (stop = reject));
      },
      cancelTask: () => {
        stop(rejection("task.cancelled", "Cancelled before it finished: nothing was changed."));
        return Promise.resolve();
      },
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Backups" }));
    await user.click(screen.getByRole("button", { name: "Back up now" }));
    await waitFor(() => expect(document.getElementById("task-progress")?.textContent).toContain("Copying the database: 25%"));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.getElementById("backup-cancelled")?.textContent).toBe("Backup cancelled: nothing was written to the folder."));
    expect(document.getElementById("task-progress")).toBeNull();
    expect(document.getElementById("backup-problem")).toBeNull();
    expect(screen.getByRole("button", { name: "Back up now" }).getAttribute("aria-disabled")).toBe("false");
  });

  it("an administrator backs up and checks a backup; what was written is said in words", async () => {
    const api = signedInApi(administrator, {
      backUp: () => Promise.resolve(summary),
      verifyBackup: () => Promise.reject(rejection("backup.damaged", "This backup cannot be trusted: its database file is missing or was changed after the backup was written. Nothing was restored or changed. Use another backup.")),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Backups" }));
    await user.click(screen.getByRole("button", { name: "Back up now" }));
    await waitFor(() => expect(document.getElementById("backup-result")?.textContent).toContain("Backup written and checked"));
    const text = document.getElementById("backup-result")!.textContent!;
    expect(text).toContain(summary.folder);
    expect(text).toContain("312 clients, 4,567 audit entries, 5.0 MB");
    expect(text).toContain("by Throughline 0.1.0");
    await expectNoAxeViolations();

    await user.click(screen.getByRole("button", { name: "Check a backup" }));
    await waitFor(() => expect(document.getElementById("backup-problem")?.textContent).toContain("This backup cannot be trusted"));
    expect(document.getElementById("backup-result")).toBeNull();
  });

  it("a cancelled folder dialog changes nothing, and only administrators see Backups", async () => {
    const api = signedInApi(administrator, { backUp: () => Promise.resolve(null) });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Backups" }));
    await user.click(screen.getByRole("button", { name: "Back up now" }));
    await waitFor(() => expect(api.backUp).toHaveBeenCalled());
    expect(document.getElementById("backup-result")).toBeNull();
    expect(document.getElementById("backup-problem")).toBeNull();
  });

  it("a caseworker has no Backups, and everyone finds the version under About", async () => {
    render(App, { props: { api: signedInApi(caseworker) } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "About" }));
    await waitFor(() => expect(document.getElementById("about-version")?.textContent).toBe("0.1.0"));
    expect(screen.queryByRole("button", { name: "Backups" })).toBeNull();
  });

  it("a new laptop restores the team's backup with the recovery key, then asks them to sign in", async () => {
    const api = fakeApi({
      appStatus: () => Promise.resolve({ version: "0.1.0", set_up: false, session: null, locked_login: null }),
      restoreBackup: (key: string) =>
        key.startsWith("WRONG")
          ? Promise.reject(rejection("auth.recovery_key_wrong", "That recovery key is not right. Check it against the printed copy."))
          : Promise.resolve(summary),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Restore from a backup" }));
    await screen.findByRole("heading", { level: 1, name: "Restore from a backup" });
    await waitFor(() => expect(document.activeElement?.id).toBe("recovery_key"));
    await user.keyboard("WRONG-KEY{Enter}");
    await waitFor(() => expect(document.getElementById("recovery_key-error")?.textContent).toContain("That recovery key is not right"));
    await expectNoAxeViolations();
    await user.clear(document.getElementById("recovery_key") as HTMLInputElement);
    await user.type(document.getElementById("recovery_key") as HTMLInputElement, " ABCD-EFGH {Enter}");
    expect(api.restoreBackup).toHaveBeenLastCalledWith("ABCD-EFGH", expect.any(Function));
    await screen.findByRole("heading", { level: 1, name: "Sign in to Throughline" });
    expect(document.body.textContent).toContain("The backup of Leeds CJ Drug Team is restored. Sign in with your usual name and password.");
  });
});

describe("Automatic backups", () => {
  it("an administrator sets a schedule (the folder chosen in the dialog) and sees the newest backup there", async () => {
    const api = signedInApi(administrator, {
      setBackupSchedule: (days: number) =>
        Promise.resolve({ every_days: days, folder: "/media/usb", newest: null, reachable: true, last_problem: null }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Backups" }));
    await waitFor(() => expect(document.getElementById("backup-schedule")?.textContent).toContain("does not back up by itself"));
    const days = document.getElementById("backup_every_days") as HTMLInputElement;
    await user.clear(days);
    await user.type(days, "40");
    await user.click(screen.getByRole("button", { name: "Choose the folder and back up on this schedule" }));
    expect(document.getElementById("schedule-problem")?.textContent).toContain("from 1 to 31");
    expect(api.setBackupSchedule).not.toHaveBeenCalled();
    await user.clear(days);
    await user.type(days, "7");
    await user.click(screen.getByRole("button", { name: "Choose the folder and back up on this schedule" }));
    expect(api.setBackupSchedule).toHaveBeenCalledWith(7);
    await waitFor(() => expect(document.getElementById("backup-schedule")?.textContent).toContain("every 7 days to /media/usb"));
    expect(document.getElementById("backup-schedule")?.textContent).toContain("There is no backup there yet");
    await expectNoAxeViolations();
    await user.click(screen.getByRole("button", { name: "Stop automatic backups" }));
    expect(api.setBackupSchedule).toHaveBeenLastCalledWith(0);
  });

  it("says when the folder cannot be reached and why the last automatic backup failed", async () => {
    const api = signedInApi(administrator, {
      backupSchedule: () =>
        Promise.resolve({ every_days: 1, folder: "/media/usb", newest: null, reachable: false, last_problem: "The backup could not be written to /media/usb (No space left on device)." }),
    });
    render(App, { props: { api } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Backups" }));
    await waitFor(() => expect(document.getElementById("backup-schedule")?.textContent).toContain("cannot be reached now"));
    expect(document.getElementById("automatic-problem")?.textContent).toContain("No space left on device");
  });
});
