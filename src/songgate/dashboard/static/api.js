// Calls to songgate's own API with a Bearer token. Every answer is the envelope
// {code, message, data}; anything else becomes an ApiError with a message for people.

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = 0) {
    super(message);
    this.status = status; // 0: the server could not be reached
    this.code = code;
    this.retryAfter = retryAfter;
  }

  get unreachable() { return this.status === 0; }
  get unauthorized() { return this.status === 401 || this.status === 403; }
}

function unreachable() {
  return new ApiError(0, "unreachable",
    `Could not reach songgate at ${location.origin}. Check that the server is running ` +
    "and your connection works, then try again.");
}

export async function call(token, method, path, body = undefined) {
  const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  const init = { method, headers, cache: "no-store", credentials: "omit", redirect: "error" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return answer(path, init);
}

// The envelope's data of a request made with ``init``; ApiError otherwise.
async function answer(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw unreachable();
  }
  let envelope = null;
  try {
    envelope = await response.json();
  } catch {
    envelope = null;
  }
  if (envelope === null || typeof envelope !== "object" || !("code" in envelope)) {
    if (response.status >= 500 || response.status === 0) throw unreachable();
    throw new ApiError(response.status, "bad_response",
      `songgate answered HTTP ${response.status} without the usual envelope.`);
  }
  if (!response.ok || envelope.code !== "success") {
    const retryAfter = Number(response.headers.get("Retry-After")) || 0;
    throw new ApiError(response.status, String(envelope.code),
      String(envelope.message || envelope.code), retryAfter);
  }
  return envelope.data;
}

export function listTasks(token, { status = "", action = "", before = "", limit = 20 } = {}) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (status) query.set("status", status);
  if (action) query.set("action", action);
  if (before) query.set("before", before);
  return call(token, "GET", `/songgate/tasks?${query}`);
}

export function fetchTasks(token, ids) {
  return call(token, "POST", "/suno/fetch", { ids });
}

export function submit(token, action, body) {
  return call(token, "POST", `/suno/submit/${action}`, body);
}

// A file upload: begun with the account's token, the file sent to the target it names
// (on this server: its id is the key, no token), then finished into its clip.
export async function uploadFile(token, file, extension) {
  const target = await call(token, "POST", "/suno/uploads/audio", { extension });
  const path = new URL(target.url, location.href).pathname;
  await answer(path, {
    method: "PUT", body: file, cache: "no-store", credentials: "omit", redirect: "error",
    headers: { Accept: "application/json", "Content-Type": "application/octet-stream" },
  });
  return call(token, "POST", `/suno/uploads/audio/${encodeURIComponent(target.id)}/upload-finish`);
}
