// A clip that is still rendering plays its stream: one URL whose file grows (the song's
// first bars, then section by section, then the whole song) and is served uncached.
// A player that reaches the end of what it has loads the URL again (with a query that
// only defeats caches) and plays on from there once it is longer; when the clip is finished its file takes over at the same spot.

const RETRY_MS = 1500;
const MORE_SECONDS = 0.25; // a reload must add at least this much to play on

export function followStream(player) {
  player.dataset.streaming = "true";
  player.addEventListener("ended", () => waitForMore(player));
}

function still(player) {
  return player.dataset.streaming === "true" && player.isConnected;
}

function waitForMore(player) {
  if (!still(player)) return;
  const position = player.currentTime;
  player.dataset.waitingAt = String(position);
  const retry = () => {
    if (!still(player)) return;
    player.addEventListener("loadedmetadata", () => {
      if (!still(player)) return;
      if (player.duration > position + MORE_SECONDS) {
        delete player.dataset.waitingAt;
        player.currentTime = position;
        player.play().catch(() => {});
      } else {
        window.setTimeout(retry, RETRY_MS);
      }
    }, { once: true });
    const url = new URL(player.src); // the same file again, past any media cache
    url.searchParams.set("grown", String(Date.now()));
    player.src = url.href;
  };
  window.setTimeout(retry, RETRY_MS);
}

// ``fresh`` plays the finished clip: it starts where ``old`` (its stream) was, and plays
// if the stream was playing or waiting for more.
export function handOver(old, fresh) {
  const waiting = old.dataset.waitingAt;
  const playing = !old.paused && !old.ended;
  const position = waiting !== undefined ? Number(waiting) : old.currentTime;
  old.dataset.streaming = "false";
  old.pause();
  if (!playing && waiting === undefined) return;
  fresh.addEventListener("loadedmetadata", () => {
    fresh.currentTime = Math.min(position, fresh.duration || position);
    fresh.play().catch(() => {});
  }, { once: true });
  fresh.preload = "auto";
  fresh.load();
}

// Whether two players play the same file (a reloaded stream has a query added).
export function sameFile(one, other) {
  const [a, b] = [new URL(one.src), new URL(other.src)];
  return a.origin === b.origin && a.pathname === b.pathname;
}
