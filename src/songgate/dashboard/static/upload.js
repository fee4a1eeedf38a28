// The upload form: a file of the person's becomes a clip (POST /suno/uploads/audio, the
// file sent to the target it names, then upload-finish), shown first in the task list.
// The server checks the file; its refusal ("the audio is silent", …) is shown as given.

import { uploadFile } from "./api.js";

export class UploadForm {
  constructor({ form, input, error, status, button, token, onUploaded, onUnauthorized }) {
    this.form = form;
    this.input = input;
    this.error = error;
    this.statusLine = status;
    this.button = button;
    this.token = token;
    this.onUploaded = onUploaded;
    this.onUnauthorized = onUnauthorized;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    input.addEventListener("change", () => this.clearError());
  }

  reset() {
    this.form.reset();
    this.statusLine.textContent = "";
    this.clearError();
  }

  clearError() {
    this.error.hidden = true;
    this.error.textContent = "";
    this.input.removeAttribute("aria-invalid");
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
    this.input.setAttribute("aria-invalid", "true");
    this.input.setAttribute("aria-errormessage", this.error.id);
    this.input.focus();
  }

  async send() {
    this.clearError();
    const [file] = this.input.files;
    if (!file) {
      this.showError("Choose an audio file to upload.");
      return;
    }
    const dot = file.name.lastIndexOf(".");
    const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    this.statusLine.textContent = `Uploading ${file.name}…`;
    this.button.disabled = true;
    try {
      const made = await uploadFile(this.token(), file, extension);
      this.statusLine.textContent = `Uploaded. Task ${made.task_id} holds the clip.`;
      this.input.value = "";
      await this.onUploaded(made.task_id);
    } catch (error) {
      this.statusLine.textContent = "";
      if (error.status === 401) {
        this.onUnauthorized(error);
        return;
      }
      const named = error.message.startsWith("extension ")
        ? `${file.name} has no audio file extension we know: ${error.message}`
        : error.message;
      this.showError(`${named}${error.code ? ` (${error.code})` : ""}`);
    } finally {
      this.button.disabled = false;
    }
  }
}
