// The submit form: custom mode (my lyrics), description mode, or lyrics only. Each mode
// has its own fields, and switching modes only hides the others, so nothing typed is lost.
// The API's validation message is shown next to the form and the field it names marked.

import { submit } from "./api.js";

const MODES = {
  custom: {
    action: "music",
    body: (form) => ({
      prompt: form.elements["custom-prompt"].value,
      tags: form.elements.tags.value,
      title: form.elements.title.value,
      negative_tags: form.elements["negative-tags"].value,
      mv: form.elements.mv.value,
      make_instrumental: form.elements.instrumental.checked,
    }),
  },
  description: {
    action: "music",
    body: (form) => ({
      gpt_description_prompt: form.elements.description.value,
      mv: form.elements.mv.value,
      make_instrumental: form.elements.instrumental.checked,
    }),
  },
  lyrics: {
    action: "lyrics",
    body: (form) => ({ prompt: form.elements["lyrics-prompt"].value }),
  },
};

export class SubmitForm {
  constructor({ form, error, status, button, token, onSubmitted, onUnauthorized }) {
    this.form = form;
    this.error = error;
    this.statusLine = status;
    this.button = button;
    this.token = token;
    this.onSubmitted = onSubmitted;
    this.onUnauthorized = onUnauthorized;
    for (const radio of form.querySelectorAll('input[name="mode"]')) {
      radio.addEventListener("change", () => this.showMode());
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.showMode();
  }

  // Back to an empty form: what one person typed is not left for the next.
  reset() {
    this.form.reset();
    this.statusLine.textContent = "";
    this.showMode();
  }

  get mode() {
    return this.form.querySelector('input[name="mode"]:checked').value;
  }

  showMode() {
    const mode = this.mode;
    for (const field of this.form.querySelectorAll("[data-modes]")) {
      field.hidden = !field.dataset.modes.split(" ").includes(mode);
    }
    this.clearError();
  }

  visibleFields() {
    return [...this.form.querySelectorAll("[data-field]")].filter(
      (input) => !input.closest("[data-modes]").hidden);
  }

  clearError() {
    this.error.hidden = true;
    this.error.textContent = "";
    for (const input of this.form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-errormessage");
    }
  }

  showError(message, field) {
    this.error.textContent = message;
    this.error.hidden = false;
    const input = field && this.visibleFields().find((candidate) => candidate.dataset.field === field);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-errormessage", this.error.id);
      input.focus();
    }
  }

  async send() {
    const { action, body } = MODES[this.mode];
    this.clearError();
    this.statusLine.textContent = "Sending…";
    this.button.disabled = true;
    try {
      const taskId = await submit(this.token(), action, body(this.form));
      this.statusLine.textContent = `Submitted. Task ${taskId} is waiting for a worker.`;
      await this.onSubmitted(taskId);
    } catch (error) {
      this.statusLine.textContent = "";
      if (error.status === 401) {
        this.onUnauthorized(error);
        return;
      }
      // messages name the field first: "tags is 300 characters long; the limit is 200"
      const named = this.visibleFields().map((input) => input.dataset.field)
        .find((name) => error.message.startsWith(`${name} `));
      const field = named || (error.code === "prompt_empty" ? promptField(this.mode) : "");
      this.showError(`${error.message}${error.code ? ` (${error.code})` : ""}`, field);
    } finally {
      this.button.disabled = false;
    }
  }
}

function promptField(mode) {
  return mode === "description" ? "gpt_description_prompt" : "prompt";
}
