import { tick } from "svelte";

/** Puts focus on an element by id once the screen has drawn, so the next keystroke lands there. */
export async function focusId(id: string): Promise<void> {
  await tick();
  const el = document.getElementById(id);
  if (el) {
    // Inside a folded section of the record: open it, or the focus would land on nothing visible.
    const fold = el.closest("details");
    if (fold && !fold.open) fold.open = true;
    el.focus();
    el.scrollIntoView?.({ block: "center" });
  }
}

/** True while the worker is typing in a field, so single-key shortcuts like "/" stay out of the way. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  }
  return false;
}
