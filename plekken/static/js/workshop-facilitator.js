/* plekken — keeps the facilitator's page of a workshop current: every few seconds the
 * counts and the moderation queue are read again from the page itself, unless the
 * facilitator is busy with a button in the queue.
 */
const REFRESH_MS = 10000;
const PARTS = ["workshop-total", "type-counts", "workshop-queue", "workshop-queue-empty"];

async function refresh() {
  const busy = document.activeElement && document.activeElement.closest("#workshop-queue");
  if (!busy) {
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const anchor = document.getElementById("workshop-queue") || document.getElementById("workshop-queue-empty");
        for (const id of PARTS) {
          const old = document.getElementById(id);
          const now = fresh.getElementById(id);
          if (old && now) old.replaceWith(document.importNode(now, true));
          else if (!old && now && anchor && id.startsWith("workshop-queue")) anchor.replaceWith(document.importNode(now, true));
        }
      }
    } catch (err) {
      /* try again at the next turn */
    }
  }
  window.setTimeout(refresh, REFRESH_MS);
}

window.setTimeout(refresh, REFRESH_MS);
