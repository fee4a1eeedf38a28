// The task list: pages from GET /songgate/tasks, newest first, and live updates of the
// unfinished tasks with the batch POST /suno/fetch. Polling backs off while nothing
// changes and stops when every task shown is finished or the tab is hidden.

import { fetchTasks, listTasks } from "./api.js";
import { FINISHED, renderTask, replaceTask, statusText, taskTitle } from "./render.js";

const PAGE_SIZE = 20;
const FIRST_DELAY = 1000;
const MAX_DELAY = 10000;
const ERROR_DELAY = 15000;
const FETCH_CHUNK = 200;

export class TaskList {
  constructor({ list, status, announcer, more, filters, token, onUnauthorized }) {
    this.list = list;
    this.status = status;
    this.announcer = announcer;
    this.more = more;
    this.filters = filters; // () => {status, action}
    this.token = token; // () => the current token
    this.onUnauthorized = onUnauthorized;
    this.shown = new Map(); // task id → {task, item}
    this.next = null;
    this.timer = 0;
    this.delay = FIRST_DELAY;
    this.generation = 0; // bumps when the list is reloaded, so stale answers are dropped
    more.addEventListener("click", () => this.loadMore());
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) this.stopPolling();
      else this.schedule(0);
    });
  }

  // Reload the first page; resolves to true when it loaded, throws ApiError otherwise.
  async reload() {
    const generation = ++this.generation;
    this.stopPolling();
    this.status.textContent = "Loading tasks…";
    const page = await listTasks(this.token(), { ...this.filters(), limit: PAGE_SIZE });
    if (generation !== this.generation) return false;
    this.shown.clear();
    this.list.replaceChildren();
    this.append(page);
    this.delay = FIRST_DELAY;
    this.schedule(FIRST_DELAY);
    return true;
  }

  async loadMore() {
    if (!this.next) return;
    const generation = this.generation;
    this.more.disabled = true;
    try {
      const page = await listTasks(this.token(), {
        ...this.filters(), before: this.next, limit: PAGE_SIZE,
      });
      if (generation === this.generation) this.append(page);
    } catch (error) {
      this.failed(error);
    } finally {
      this.more.disabled = false;
    }
  }

  append(page) {
    for (const task of page.tasks) {
      if (this.shown.has(task.task_id)) continue;
      const item = renderTask(task);
      this.list.append(item);
      this.shown.set(task.task_id, { task, item });
    }
    this.next = page.next;
    this.more.hidden = !this.next;
    this.summarise();
  }

  // A task just submitted: shown first when the filters let it through.
  async addNew(taskId) {
    const [task] = await fetchTasks(this.token(), [taskId]);
    if (!task) return;
    const { status, action } = this.filters();
    const passes = (!status || status.split(",").includes(task.status)) &&
      (!action || action === task.action);
    if (passes && !this.shown.has(task.task_id)) {
      const item = renderTask(task);
      this.list.prepend(item);
      this.shown.set(task.task_id, { task, item });
    }
    this.summarise();
    this.delay = FIRST_DELAY;
    this.schedule(FIRST_DELAY);
    return passes;
  }

  unfinished() {
    return [...this.shown.values()].filter(({ task }) => !FINISHED.has(task.status))
      .map(({ task }) => task.task_id);
  }

  summarise() {
    const total = this.shown.size;
    const running = this.unfinished().length;
    if (!total) {
      this.status.textContent = "No tasks match these filters yet.";
      return;
    }
    const shownText = `${total} task${total === 1 ? "" : "s"} shown`;
    this.status.textContent = running ? `${shownText}, ${running} unfinished.` : `${shownText}.`;
  }

  schedule(delay) {
    this.stopPolling();
    if (document.hidden || !this.unfinished().length) return;
    this.timer = window.setTimeout(() => this.poll(), delay);
  }

  stopPolling() {
    window.clearTimeout(this.timer);
    this.timer = 0;
  }

  async poll() {
    this.timer = 0;
    const generation = this.generation;
    const ids = this.unfinished();
    if (!ids.length) return;
    let changed = false;
    try {
      for (let start = 0; start < ids.length; start += FETCH_CHUNK) {
        const tasks = await fetchTasks(this.token(), ids.slice(start, start + FETCH_CHUNK));
        if (generation !== this.generation) return;
        for (const task of tasks) changed = this.update(task) || changed;
      }
    } catch (error) {
      this.failed(error);
      return;
    }
    this.summarise();
    this.delay = changed ? FIRST_DELAY : Math.min(MAX_DELAY, Math.round(this.delay * 1.5));
    this.schedule(this.delay);
  }

  update(task) {
    const entry = this.shown.get(task.task_id);
    if (!entry || JSON.stringify(entry.task) === JSON.stringify(task)) return false;
    if (entry.task.status !== task.status) {
      const reason = task.status === "FAILURE" && task.fail_reason ? `: ${task.fail_reason}` : "";
      this.announcer.textContent = `${taskTitle(task)}: ${statusText(task.status)}${reason}`;
    }
    entry.item = replaceTask(entry.item, task);
    entry.task = task;
    return true;
  }

  failed(error) {
    if (error.unauthorized) {
      this.stopPolling();
      this.onUnauthorized(error);
      return;
    }
    this.status.textContent = error.unreachable
      ? `${error.message} Updates resume on their own.`
      : `Could not update the tasks: ${error.message}`;
    const wait = error.retryAfter ? error.retryAfter * 1000 : ERROR_DELAY;
    this.delay = MAX_DELAY;
    this.schedule(wait);
  }

  clear() {
    this.generation += 1;
    this.stopPolling();
    this.shown.clear();
    this.next = null;
    this.list.replaceChildren();
    this.more.hidden = true;
    this.status.textContent = "";
    this.announcer.textContent = "";
  }
}
