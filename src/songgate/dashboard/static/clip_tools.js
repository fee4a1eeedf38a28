// What can be asked of a finished clip, under its player: its stems (Two: vocals and
// instrumental; Twelve: each part the song has; played when made), its timed lyrics (each sung word with its time, the
// word being sung marked while the clip plays), a persona made of it and a cover (the
// same song in other style tags, a new MUSIC task shown in the list). The buttons
// are rendered with the clip (clipTools); one ClipTools on the task list answers them.
// Everything the server answers becomes text nodes or http(s) URLs only.

import { call, fetchTasks } from "./api.js";
import { extendButton, extendOutput } from "./extend_tool.js";
import { element, FINISHED, safeUrl } from "./render.js";

const POLL_DELAY = 1000;
const POLL_LIMIT = 600; // polls at most (ten minutes) before giving up on stems

function toolButton(tool, label, title, extra = {}) {
  return element("button", { type: "button", className: "secondary", "data-tool": tool,
    ...extra }, label, element("span", { className: "visually-hidden", text: ` of ${title}` }));
}

// The stem groups a clip can be split into, as the stems route names them.
const STEM_GROUPS = [["Two", "Two stems"], ["Twelve", "Twelve stems"]];

// The buttons and the places their answers go, for a complete clip.
export function clipTools(clip, title) {
  if (clip.status !== "complete" || !clip.id) return null;
  const type = clip.metadata && clip.metadata.type;
  return element("div", { className: "clip-tools", "data-clip-id": clip.id,
    "data-clip-title": title },
    element("p", { className: "tool-buttons" },
      ...(type === "stem" ? [] : STEM_GROUPS.map(([group, label]) =>
        toolButton("stems", label, title, { "data-group": group }))),
      toolButton("timing", "Timed lyrics", title),
      toolButton("persona", "Make persona", title),
      extendButton(clip, title),
      type === "stem" ? null : toolButton("cover", "Cover", title)),
    element("div", { className: "tool-output", "data-output": "stems", "aria-live": "polite" }),
    element("div", { className: "tool-output", "data-output": "timing", "aria-live": "polite" }),
    element("div", { className: "tool-output", "data-output": "persona", "aria-live": "polite" }),
    element("div", { className: "tool-output", "data-output": "cover", "aria-live": "polite" }),
    extendOutput());
}

const pause = (ms) => new Promise((done) => window.setTimeout(done, ms));

function seconds(value) {
  const total = Math.max(0, Number(value) || 0);
  const minutes = Math.floor(total / 60);
  return `${minutes}:${(total - minutes * 60).toFixed(2).padStart(5, "0")}`;
}

function problem(error) {
  return element("p", { className: "message error", role: "alert",
    text: String(error && error.message ? error.message : error) });
}

function stemList(clips) {
  return element("ul", { className: "stems" }, ...clips.map((stem) => {
    const name = String(stem.title || "Stem");
    const audio = safeUrl(stem.audio_url);
    return element("li", { className: "stem" },
      element("p", { className: "stem-title", text: name }),
      audio ? element("audio", { controls: true, preload: "metadata", src: audio,
        "aria-label": `Play ${name}` }) : null,
      audio ? element("a", { href: audio, download: "", rel: "noopener noreferrer",
        text: "Download", "aria-label": `Download ${name}` }) : null);
  }));
}

function wordList(words) {
  return element("ol", { className: "timed-words" }, ...words.map((word) =>
    element("li", { "data-start": Number(word.start_s) || 0, "data-end": Number(word.end_s) || 0 },
      element("span", { className: "word", text: String(word.word || "") }),
      " ",
      element("time", { className: "word-time", text: seconds(word.start_s) }))));
}

// Marks the word whose time holds the player's current time (aria-current), or none.
function follow(player, list) {
  const items = [...list.children];
  const mark = () => {
    const now = player.currentTime;
    for (const item of items) {
      const on = Number(item.dataset.start) <= now && now < Number(item.dataset.end);
      item.classList.toggle("current", on);
      if (on) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    }
  };
  player.addEventListener("timeupdate", mark);
  player.addEventListener("seeked", mark);
  mark();
}

export class ClipTools {
  constructor({ list, token, onSubmitted = async () => true }) {
    this.token = token; // () => the current token
    this.onSubmitted = onSubmitted; // (task id) => shown in the list
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-tool]");
      const tools = button && button.closest(".clip-tools");
      if (tools) this.run(button.dataset.tool, tools, button);
    });
    list.addEventListener("submit", (event) => {
      const form = event.target.closest("form.persona-form, form.cover-form");
      if (!form) return;
      event.preventDefault();
      if (form.classList.contains("cover-form")) this.makeCover(form.closest(".clip-tools"), form);
      else this.makePersona(form.closest(".clip-tools"), form);
    });
  }

  output(tools, name) {
    return tools.querySelector(`[data-output="${name}"]`);
  }

  async run(tool, tools, button) {
    if (tool === "persona") {
      this.askName(tools);
      return;
    }
    if (tool === "cover") {
      this.askStyle(tools);
      return;
    }
    const out = this.output(tools, tool);
    button.disabled = true;
    try {
      if (tool === "stems") await this.stems(tools, out, button.dataset.group || "Two");
      else await this.timing(tools, out);
    } catch (error) {
      out.replaceChildren(problem(error));
    } finally {
      button.disabled = false;
    }
  }

  async stems(tools, out, group) {
    const path = `/suno/act/stems/${encodeURIComponent(tools.dataset.clipId)}` +
      `?stem_type_group_name=${encodeURIComponent(group)}`;
    out.replaceChildren(element("p", { className: "message", role: "status",
      text: "Making the stems…" }));
    for (let poll = 0; poll < POLL_LIMIT; poll += 1) {
      const answer = await call(this.token(), "GET", path);
      let clips = Array.isArray(answer) ? answer : null;
      if (typeof answer === "string") { // the STEM task that makes them
        const [task] = await fetchTasks(this.token(), [answer]);
        if (task && task.status === "FAILURE") {
          throw new Error(`The stems could not be made: ${task.fail_reason || "no reason given"}`);
        }
        clips = task && FINISHED.has(task.status) && Array.isArray(task.data) ? task.data : null;
      }
      if (clips && clips.length && clips.every((clip) => clip.status === "complete")) {
        out.replaceChildren(element("h5", { text: `Stems (${group})` }), stemList(clips));
        return;
      }
      await pause(POLL_DELAY);
    }
    throw new Error("The stems are still being made; ask again later.");
  }

  async timing(tools, out) {
    const path = `/suno/act/timing/${encodeURIComponent(tools.dataset.clipId)}`;
    const answer = await call(this.token(), "GET", path);
    const words = answer && Array.isArray(answer.aligned_words) ? answer.aligned_words : [];
    if (!words.length) {
      out.replaceChildren(element("p", { className: "message", text: "No sung words." }));
      return;
    }
    const list = wordList(words);
    out.replaceChildren(element("h5", { text: "Timed lyrics" }), list);
    const player = tools.closest(".clip-body").querySelector("audio");
    if (player) follow(player, list);
  }

  // A one-field form in the tool's output; when it is there already, its field is focused.
  askField(tools, kind, { label, name, maxlength, placeholder, submit }) {
    const out = this.output(tools, kind);
    const existing = out.querySelector(`form.${kind}-form`);
    if (existing) {
      existing.querySelector("input").focus();
      return;
    }
    const id = `${kind}-${name}-${tools.dataset.clipId}`;
    const field = { id, name, type: "text", maxlength, autocomplete: "off" };
    if (placeholder) field.placeholder = placeholder;
    const form = element("form", { className: `${kind}-form`, novalidate: true },
      element("label", { for: id, text: label }),
      element("input", field),
      element("button", { type: "submit", text: submit }));
    out.replaceChildren(form);
    form.querySelector("input").focus();
  }

  // The form's field, trimmed, handed to `send` while its button is held down; an empty
  // field is marked and answered with `empty`, a failure shown under the form.
  async sendField(form, empty, send) {
    const input = form.querySelector("input");
    const value = input.value.trim();
    form.querySelector(".message")?.remove();
    if (!value) {
      input.setAttribute("aria-invalid", "true");
      form.append(problem(empty));
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await send(value);
    } catch (error) {
      form.append(problem(error));
    } finally {
      button.disabled = false;
    }
  }

  askName(tools) {
    this.askField(tools, "persona",
      { label: "Persona name", name: "name", maxlength: 100, submit: "Create persona" });
  }

  async makePersona(tools, form) {
    const out = this.output(tools, "persona");
    await this.sendField(form, "Name the persona.", async (name) => {
      const persona = await call(this.token(), "POST", "/suno/persona/create/",
        { root_clip_id: tools.dataset.clipId, name });
      out.replaceChildren(element("p", { className: "message persona-made", role: "status" },
        `Persona “${String(persona.name || name)}” made. Its id: `,
        element("code", { className: "persona-id", text: String(persona.id || "") }),
        " (give it as persona_id to sing new lyrics the same way)."));
    });
  }

  askStyle(tools) {
    this.askField(tools, "cover", { label: "Cover style", name: "tags", maxlength: 200,
      placeholder: "e.g. jazz, piano, 90 bpm", submit: "Make cover" });
  }

  async makeCover(tools, form) {
    const out = this.output(tools, "cover");
    await this.sendField(form, "Give the cover's style tags.", async (tags) => {
      const taskId = await call(this.token(), "POST", "/suno/submit/music",
        { cover_clip_id: tools.dataset.clipId, tags });
      out.replaceChildren(element("p", { className: "message cover-made", role: "status" },
        `Cover of “${tools.dataset.clipTitle}” submitted: task `,
        element("code", { className: "cover-task", text: String(taskId) }), "."));
      await this.onSubmitted(String(taskId));
    });
  }
}
