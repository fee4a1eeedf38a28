// The dashboard: sign in with a token, submit tasks, watch them. Wires the pieces
// (session, form, task list) to the page; every DOM node comes from index.html or
// render.js, and task data is only ever set as text.

import { ClipTools } from "./clip_tools.js";
import { ExtendTool } from "./extend_tool.js";
import { SubmitForm } from "./form.js";
import { forgetToken, savedToken, saveToken, tokenHint } from "./session.js";
import { TaskList } from "./tasks.js";
import { UploadForm } from "./upload.js";

const $ = (id) => document.getElementById(id);

const page = {
  signIn: $("sign-in"),
  signInForm: $("sign-in-form"),
  signInError: $("sign-in-error"),
  signInButton: $("sign-in-button"),
  tokenInput: $("token"),
  remember: $("remember"),
  session: $("session"),
  sessionHint: $("session-hint"),
  workspace: $("workspace"),
  filterStatus: $("filter-status"),
  filterAction: $("filter-action"),
};

let token = "";

const tasks = new TaskList({
  list: $("task-list"),
  status: $("list-status"),
  announcer: $("announcer"),
  more: $("load-more"),
  filters: () => ({ status: page.filterStatus.value, action: page.filterAction.value }),
  token: () => token,
  onUnauthorized: (error) => signOut(`Signed out: ${error.message}. Sign in again.`),
});

new ClipTools({ list: $("task-list"), token: () => token,
  onSubmitted: (taskId) => tasks.addNew(taskId).catch(() => false) });
new ExtendTool({ list: $("task-list"), token: () => token,
  onSubmitted: (taskId) => tasks.addNew(taskId).catch(() => false) });

const submitForm = new SubmitForm({
  form: $("submit-form"),
  error: $("submit-error"),
  status: $("submit-status"),
  button: $("submit-button"),
  token: () => token,
  onSubmitted: async (taskId) => {
    const shown = await tasks.addNew(taskId).catch(() => false);
    if (!shown) $("submit-status").textContent += " It is hidden by the filters.";
  },
  onUnauthorized: (error) => signOut(`Signed out: ${error.message}. Sign in again.`),
});

const uploadForm = new UploadForm({
  form: $("upload-form"),
  input: $("upload-file"),
  error: $("upload-error"),
  status: $("upload-status"),
  button: $("upload-button"),
  token: () => token,
  onUploaded: async (taskId) => {
    const shown = await tasks.addNew(taskId).catch(() => false);
    if (!shown) $("upload-status").textContent += " It is hidden by the filters.";
  },
  onUnauthorized: (error) => signOut(`Signed out: ${error.message}. Sign in again.`),
});

function showSignIn(message = "") {
  page.workspace.hidden = true;
  page.session.hidden = true;
  page.signIn.hidden = false;
  page.signInError.textContent = message;
  page.signInError.hidden = !message;
  page.tokenInput.focus();
}

function showWorkspace() {
  page.signIn.hidden = true;
  page.signInError.hidden = true;
  page.workspace.hidden = false;
  page.session.hidden = false;
  page.sessionHint.textContent = `Signed in with ${tokenHint(token)}`;
}

function signOut(message = "") {
  token = "";
  forgetToken();
  tasks.clear();
  page.tokenInput.value = "";
  showSignIn(message);
}

async function signIn(event) {
  event.preventDefault();
  const candidate = page.tokenInput.value.trim();
  if (!candidate) {
    showSignIn("Enter your API token (it starts with sk-).");
    return;
  }
  page.signInButton.disabled = true;
  page.signInError.hidden = true;
  token = candidate;
  try {
    await tasks.reload(); // the first page proves the token works
    saveToken(candidate, page.remember.checked);
    page.tokenInput.value = "";
    showWorkspace();
    $("create-title").focus();
  } catch (error) {
    token = "";
    tasks.clear();
    showSignIn(error.unauthorized
      ? `That token was not accepted: ${error.message}.`
      : error.message);
  } finally {
    page.signInButton.disabled = false;
  }
}

async function reloadList() {
  try {
    await tasks.reload();
  } catch (error) {
    tasks.failed(error);
  }
}

async function start() {
  page.signInForm.addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => {
    submitForm.reset();
    uploadForm.reset();
    signOut("You are signed out.");
  });
  $("refresh").addEventListener("click", reloadList);
  page.filterStatus.addEventListener("change", reloadList);
  page.filterAction.addEventListener("change", reloadList);
  token = savedToken();
  if (!token) {
    showSignIn();
    return;
  }
  showWorkspace();
  await reloadList();
}

start();
