// Routines: named sequences of baby-care steps ("bedtime"), run by voice, on a schedule, or from here.

import * as api from "../api.js";
import { act, empty, h, replace, section, showError, showOk, when, words } from "../ui.js";

const STEP_HELP = "One step per line as JSON, e.g. {\"kind\": \"log\", \"event\": \"diaper\", \"data\": "
  + "{\"diaper_type\": \"wet\"}}, {\"kind\": \"sleep_start\"}, {\"kind\": \"sound\", \"sound\": \"white noise\"}, "
  + "{\"kind\": \"reminder\", \"text\": \"check on Maya\", \"minutes\": 30}, {\"kind\": \"say\", \"text\": "
  + "\"Good night\"}.";

function stepText(step) {
  const { kind, ...params } = step;
  if (kind === "log" && params.event) {
    const details = Object.values(params.data || {}).map(words).join(", ");
    return `log ${words(params.event)}${details ? ` (${details})` : ""}`;
  }
  const shown = Object.entries(params).map(([k, v]) => `${words(k)}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
  return shown.length ? `${words(kind)} (${shown.join(", ")})` : words(kind);
}

function readSteps(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (!lines.length) throw new Error("A routine needs at least one step.");
  return lines.map((line, index) => {
    let step;
    try {
      step = JSON.parse(line.replace(/,$/, ""));
    } catch {
      throw new Error(`Step ${index + 1} is not valid JSON: ${line.slice(0, 60)}`);
    }
    if (!step || typeof step !== "object" || Array.isArray(step) || typeof step.kind !== "string") {
      throw new Error(`Step ${index + 1} needs a "kind".`);
    }
    return step;
  });
}

function routineForm(prefix, routine, submitLabel, onSubmit) {
  const name = h("input", { id: `${prefix}-name`, type: "text", maxlength: "60", required: true,
                            value: routine ? routine.name : "" });
  const schedule = h("input", { id: `${prefix}-schedule`, type: "time", value: (routine && routine.schedule_time) || "" });
  const steps = h("textarea", { id: `${prefix}-steps`, rows: String(Math.max(3, routine ? routine.steps.length + 1 : 3)),
                                spellcheck: "false", "aria-describedby": `${prefix}-help` },
    routine ? routine.steps.map((s) => JSON.stringify(s)).join("\n") : "");
  const save = h("button", { type: "submit", class: "primary" }, submitLabel);
  const form = h("form", { class: "routine-editor" },
    h("label", { for: `${prefix}-name` }, "Name (as you would say it)"), name,
    h("label", { for: `${prefix}-schedule` }, "Runs every day at (leave empty to run by voice only)"), schedule,
    h("label", { for: `${prefix}-steps` }, "Steps"), steps,
    h("p", { id: `${prefix}-help`, class: "hint" }, STEP_HELP),
    h("div", { class: "row end" }, save));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, () => onSubmit({ name: name.value.trim(), schedule_time: schedule.value || null,
                               steps: readSteps(steps.value) }));
  });
  return form;
}

function routineView(routine, reload) {
  const run = h("button", { type: "button", class: "primary" }, `Run ${routine.name}`);
  const result = h("div", { "aria-live": "polite" });
  run.addEventListener("click", () => act(run, async () => {
    const outcome = await api.post(`/api/routines/${encodeURIComponent(routine.id)}/run`, {});
    replace(result, h("p", { class: "outcome ordered" }, outcome.speech || "Done."));
  }));
  const edit = routineForm(`routine-${routine.id}`, routine, "Save changes", async (changes) => {
    try {
      await api.patch(`/api/routines/${encodeURIComponent(routine.id)}`, changes);
    } catch (err) {
      if (api.isMissingRoute(err)) throw new Error("This server cannot change a saved routine yet.");
      throw err;
    }
    showOk(`${changes.name} is saved.`);
    await reload();
  });
  return h("li", { class: "routine", dataset: { routineId: routine.id } },
    h("div", { class: "row spread" }, h("h3", {}, routine.name),
      h("span", { class: "muted" }, routine.schedule_time ? `daily at ${routine.schedule_time}` : "by voice")),
    h("ol", { class: "steps" }, routine.steps.map((s) => h("li", {}, stepText(s)))),
    routine.last_run_at ? h("p", { class: "muted" }, `Last run ${when(routine.last_run_at)}`) : null,
    h("div", { class: "row" }, run), result,
    h("details", {}, h("summary", {}, `Edit ${routine.name}`), edit));
}

export default {
  title: "Routines",
  async show(container) {
    const reload = () => this.show(container);
    let data;
    try {
      data = await api.optional("/api/routines");
    } catch (err) {
      showError(err);
      return;
    }
    if (data === null) {
      replace(container, section("Routines", empty("This server has no routines yet.")));
      return;
    }
    const routines = data.routines || [];
    const create = routineForm("new-routine", null, "Create routine", async (routine) => {
      await api.post("/api/routines", routine);
      showOk(`${routine.name} is ready: say “start the ${routine.name} routine”.`);
      await reload();
    });
    replace(container,
      section("Routines", routines.length
        ? h("ul", { class: "plain routines", id: "routine-list" }, routines.map((r) => routineView(r, reload)))
        : empty("No routines yet. Create one below, or say “start the bedtime routine” to your speaker.")),
      section("New routine", create));
  },
};
