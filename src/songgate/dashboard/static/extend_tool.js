// Extending a finished clip from the dashboard: an upload (heard, joined at a bar line
// at its own loudness: task "upload_extend") or a song of the engine's ("extend"). The
// Extend button under a clip opens a small form (where to continue, the new lyrics);
// its MUSIC task joins the list. What the server answers becomes text nodes only.

import { call } from "./api.js";
import { element } from "./render.js";

// The Extend button of a complete clip (null for a stem: it is a part, not a song).
export function extendButton(clip, title) {
  const type = clip.metadata && clip.metadata.type;
  if (type === "stem") return null;
  return element("button", { type: "button", className: "secondary", "data-extend": type || "" },
    "Extend", element("span", { className: "visually-hidden", text: ` ${title}` }));
}

export function extendOutput() {
  return element("div", { className: "tool-output", "data-output": "extend", "aria-live": "polite" });
}

function problem(error) {
  return element("p", { className: "message error", role: "alert",
    text: String(error && error.message ? error.message : error) });
}

export class ExtendTool {
  constructor({ list, token, onSubmitted }) {
    this.token = token; // () => the current token
    this.onSubmitted = onSubmitted; // (task id) => shows the new task
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-extend]");
      const tools = button && button.closest(".clip-tools");
      if (tools) this.open(tools, button.dataset.extend);
    });
    list.addEventListener("submit", (event) => {
      const form = event.target.closest("form.extend-form");
      if (!form) return;
      event.preventDefault();
      this.submit(form.closest(".clip-tools"), form);
    });
  }

  open(tools, type) {
    const out = tools.querySelector('[data-output="extend"]');
    const existing = out.querySelector("form.extend-form");
    if (existing) {
      existing.querySelector("textarea").focus();
      return;
    }
    const id = tools.dataset.clipId;
    const player = tools.closest(".clip-body")?.querySelector("audio");
    const end = player && Number.isFinite(player.duration) ? Math.floor(player.duration) : 0;
    const form = element("form", { className: "extend-form", novalidate: true,
      "data-type": type },
      element("label", { for: `extend-at-${id}`, text: "Continue at (seconds)" }),
      element("input", { id: `extend-at-${id}`, name: "continue_at", type: "number", min: 0,
        step: "0.1", value: String(end) }),
      element("label", { for: `extend-lyrics-${id}`, text: "Lyrics of the new part" }),
      element("textarea", { id: `extend-lyrics-${id}`, name: "prompt", rows: 4,
        maxlength: 3000 }),
      element("button", { type: "submit", text: "Extend the song" }));
    out.replaceChildren(form);
    form.querySelector("textarea").focus();
  }

  async submit(tools, form) {
    const out = tools.querySelector('[data-output="extend"]');
    const lyrics = form.querySelector("textarea");
    const at = form.querySelector("input");
    form.querySelector(".message")?.remove();
    const continueAt = Number(at.value);
    if (!lyrics.value.trim() || !(continueAt >= 0) || at.value === "") {
      form.append(problem(lyrics.value.trim() ? "Say where to continue, in seconds."
        : "Give the lyrics of the new part."));
      return;
    }
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const taskId = await call(this.token(), "POST", "/suno/submit/music", {
        task: form.dataset.type === "upload" ? "upload_extend" : "extend",
        continue_clip_id: tools.dataset.clipId, continue_at: continueAt,
        prompt: lyrics.value });
      out.replaceChildren(element("p", { className: "message extend-made", role: "status" },
        "Extension submitted. Task ", element("code", { text: String(taskId) }), "."));
      await this.onSubmitted(String(taskId));
    } catch (error) {
      form.append(problem(error));
    } finally {
      button.disabled = false;
    }
  }
}
