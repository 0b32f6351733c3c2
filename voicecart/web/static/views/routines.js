// Routines: named sequences of baby-care steps ("bedtime"), run by voice, on a schedule, or from here.

import * as api from "../api.js";
import { act, empty, h, replace, section, showError, showOk, when, words } from "../ui.js";

function stepText(step) {
  const params = Object.entries(step.params || {}).map(([k, v]) => `${words(k)} ${v}`).join(", ");
  return params ? `${words(step.kind)} (${params})` : words(step.kind);
}

function editor(routine, reload) {
  const id = routine.id;
  const schedule = h("input", { id: `schedule-${id}`, type: "time", value: routine.schedule_time || "" });
  const steps = h("textarea", { id: `steps-${id}`, rows: String(Math.max(3, routine.steps.length + 1)),
                                spellcheck: "false" },
    JSON.stringify(routine.steps, null, 1));
  const save = h("button", { type: "submit", class: "primary" }, "Save");
  const form = h("form", { class: "routine-editor" },
    h("label", { for: `schedule-${id}` }, "Runs every day at (empty: by voice only)"), schedule,
    h("label", { for: `steps-${id}` }, "Steps (JSON list of {kind, params})"), steps,
    h("div", { class: "row end" }, save));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      let parsed;
      try {
        parsed = JSON.parse(steps.value);
      } catch {
        throw new Error("The steps are not valid JSON: a list like [{\"kind\": \"log_diaper\", \"params\": {}}].");
      }
      await api.patch(`/api/routines/${encodeURIComponent(id)}`,
        { steps: parsed, schedule_time: schedule.value || null });
      showOk(`${routine.name} is saved.`);
      await reload();
    });
  });
  return h("details", {}, h("summary", {}, "Edit"), form);
}

function routineView(routine, reload) {
  const run = h("button", { type: "button", class: "primary" }, `Run ${routine.name}`);
  const result = h("div", { "aria-live": "polite" });
  run.addEventListener("click", () => act(run, async () => {
    const outcome = await api.post(`/api/routines/${encodeURIComponent(routine.id)}/run`, {});
    replace(result, h("p", { class: "outcome ordered" }, outcome.speech || outcome.message || "Done."));
  }));
  return h("li", { class: "routine", dataset: { routineId: routine.id } },
    h("div", { class: "row spread" }, h("h3", {}, routine.name),
      h("span", { class: "muted" }, routine.schedule_time ? `daily at ${routine.schedule_time}` : "by voice")),
    h("ol", { class: "steps" }, routine.steps.map((s) => h("li", {}, stepText(s)))),
    routine.last_run_at ? h("p", { class: "muted" }, `Last run ${when(routine.last_run_at)}`) : null,
    h("div", { class: "row" }, run), result, editor(routine, reload));
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
    replace(container, section("Routines", routines.length
      ? h("ul", { class: "plain routines" }, routines.map((r) => routineView(r, reload)))
      : empty("No routines yet. Say “create a bedtime routine” to your speaker.")));
  },
};
