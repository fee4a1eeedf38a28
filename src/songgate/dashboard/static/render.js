// TaskDto → DOM. Titles, tags and lyrics are people's input: they only ever become
// text nodes (textContent), and URLs are used only when they are http(s).

import { clipTools } from "./clip_tools.js";
import { followStream, handOver, sameFile } from "./stream_player.js";

export const FINISHED = new Set(["SUCCESS", "FAILURE"]);

const STATUS_TEXT = {
  NOT_START: "Not started",
  SUBMITTED: "Waiting",
  QUEUED: "Queued",
  IN_PROGRESS: "In progress",
  SUCCESS: "Succeeded",
  FAILURE: "Failed",
  UNKNOWN: "Unknown",
};

export function statusText(status) {
  return STATUS_TEXT[status] || String(status);
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

export function safeUrl(value) {
  if (typeof value !== "string" || !value) return "";
  try {
    const url = new URL(value, location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
  } catch {
    return "";
  }
}

function percent(task) {
  const value = Number.parseInt(String(task.progress || "0"), 10);
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

const CLIP_ACTIONS = new Set(["MUSIC", "UPLOAD"]);
const BADGES = { LYRICS: "Lyrics", UPLOAD: "Upload" };

function clipsOf(task) {
  return CLIP_ACTIONS.has(task.action) && Array.isArray(task.data) ? task.data : [];
}

function lyricsOf(task) {
  return task.action === "LYRICS" && task.data && typeof task.data === "object" ? task.data : null;
}

export function taskTitle(task) {
  const [first] = clipsOf(task);
  if (first) {
    const description = first.metadata && first.metadata.gpt_description_prompt;
    return String(first.title || description || "Untitled song");
  }
  const lyrics = lyricsOf(task);
  return String((lyrics && lyrics.title) || "Lyrics");
}

function when(seconds) {
  const moment = new Date(Number(seconds) * 1000);
  return element("time", { datetime: moment.toISOString(), text: moment.toLocaleString() });
}

function downloadLink(url, label, title) {
  const href = safeUrl(url);
  if (!href) return null;
  return element("a", { href, download: "", rel: "noopener noreferrer" },
    label, element("span", { className: "visually-hidden", text: ` of ${title}` }));
}

function lyricsBlock(text, open) {
  if (!text) return null;
  const details = element("details", { className: "lyrics", open },
    element("summary", { text: "Lyrics" }), element("pre", { text }));
  return details;
}

function streaming(clip) {
  return clip.status === "streaming";
}

function player(clip, src, title) {
  const live = streaming(clip);
  const node = element("audio", { controls: true, preload: "metadata", src,
    "data-clip-id": clip.id, "aria-label": live ? `Play ${title} as it renders` : `Play ${title}` });
  if (live) followStream(node);
  return node;
}

function renderClip(clip, index, task) {
  const title = String(clip.title || taskTitle(task));
  const metadata = clip.metadata && typeof clip.metadata === "object" ? clip.metadata : {};
  const image = safeUrl(clip.image_url);
  const audio = safeUrl(clip.audio_url);
  const headingId = `clip-${clip.id}`;
  const links = element("p", { className: "downloads" },
    downloadLink(clip.audio_url, "Audio", title),
    downloadLink(clip.video_url, "Video", title),
    downloadLink(clip.image_large_url || clip.image_url, "Cover", title));
  return element("section", { className: "clip", "aria-labelledby": headingId },
    image
      ? element("img", { className: "cover", src: image, alt: `Cover of ${title}`,
        loading: "lazy", width: 160, height: 160 })
      : element("div", { className: "cover placeholder", "aria-hidden": "true" }),
    element("div", { className: "clip-body" },
      element("h4", { id: headingId, text: `${index + 1}. ${title}` }),
      metadata.tags ? element("p", { className: "tags", text: String(metadata.tags) }) : null,
      audio ? player(clip, audio, title) : null,
      streaming(clip) && audio
        ? element("p", { className: "streaming-note",
          text: "Streaming: plays the part made so far; the finished song follows." })
        : null,
      links.childElementCount ? links : null,
      lyricsBlock(metadata.prompt ? String(metadata.prompt) : "", false),
      clipTools(clip, title)));
}

function progressBlock(task, title) {
  const value = percent(task);
  return element("div", { className: "progress" },
    element("progress", { max: 100, value, "aria-label": `Progress of ${title}` }),
    element("span", { className: "percent", text: `${value}%` }));
}

export function renderTask(task) {
  const title = taskTitle(task);
  const headingId = `task-${task.task_id}`;
  const status = String(task.status);
  const article = element("article", { className: "task", "aria-labelledby": headingId },
    element("header", { className: "task-head" },
      element("h3", { id: headingId, text: title }),
      element("p", { className: "meta" },
        element("span", { className: "badge", text: BADGES[task.action] || "Song" }),
        " ",
        element("span", { className: `badge status status-${status.toLowerCase()}`,
          text: statusText(status) }),
        " ",
        when(task.submit_time))));
  if (!FINISHED.has(status)) article.append(progressBlock(task, title));
  if (status === "FAILURE") {
    article.append(element("p", { className: "message error fail-reason" },
      element("strong", { text: "Failed: " }), String(task.fail_reason || "no reason given")));
  }
  const lyrics = lyricsOf(task);
  if (lyrics && lyrics.text) article.append(lyricsBlock(String(lyrics.text), true));
  const clips = clipsOf(task);
  if (clips.length && status !== "FAILURE") {
    article.append(element("div", { className: "clips" },
      ...clips.map((clip, index) => renderClip(clip, index, task))));
  }
  return element("li", { "data-task-id": task.task_id, "data-status": status }, article);
}

// A new card for a changed task, keeping any audio player that still plays the same file
// (a stream that grows keeps its URL); a finished clip's player takes over from its stream.
export function replaceTask(item, task) {
  const fresh = renderTask(task);
  const players = [...item.querySelectorAll("audio")];
  for (const player of fresh.querySelectorAll("audio")) {
    const old = players.find((a) => a.src === player.src
      || (a.dataset.streaming === "true" && sameFile(a, player)));
    if (old) {
      player.replaceWith(old);
      continue;
    }
    const stream = player.dataset.clipId
      && players.find((a) => a.dataset.clipId === player.dataset.clipId
        && a.dataset.streaming === "true");
    if (stream) handOver(stream, player);
  }
  for (const tools of fresh.querySelectorAll(".clip-tools")) { // answers shown stay
    const old = [...item.querySelectorAll(".clip-tools")]
      .find((t) => t.dataset.clipId === tools.dataset.clipId);
    if (old) tools.replaceWith(old);
  }
  item.replaceWith(fresh);
  return fresh;
}
