// Buttons: the household's virtual buttons, big enough to press with a thumb. One press is one order at
// most: while a button's order is on its way, pressing again says so instead of ordering twice.

import * as api from "../api.js";
import { act, empty, h, replace, section, showError, words } from "../ui.js";
import { cancelOrder } from "./orders.js";

const OUTCOME_TITLES = { ordered: "Ordered", already_in_progress: "Already on its way", blocked: "Not ordered",
                         error: "Not ordered" };

function outcomeView(result, reload) {
  const order = result.order || null;
  // Within the cancel window the order can be stopped from here, whether this press placed it or an
  // earlier one did.
  const cancel = order && order.cancellable ? h("button", { type: "button", class: "danger" }, "Cancel this order")
    : null;
  if (cancel) cancel.addEventListener("click", () => cancelOrder(order.id, cancel, reload));
  return h("div", { class: `outcome ${result.outcome}` },
    h("strong", {}, OUTCOME_TITLES[result.outcome] || words(result.outcome)),
    h("span", {}, result.message || ""), cancel);
}

function buttonCard(button, reload) {
  const label = button.name;
  const detail = `one press orders ${button.quantity}${button.allow_multiple ? "" : ", once until it arrives"}`;
  const outcome = h("div", { class: "outcome-slot", "aria-live": "polite" });
  const press = h("button", { type: "button", class: "big-button", dataset: { buttonId: button.id } },
    h("span", { class: "big-name" }, label), h("span", { class: "big-detail" }, detail));
  press.addEventListener("click", () => act(press, async () => {
    let result;
    try {
      result = await api.post(`/api/buttons/${encodeURIComponent(button.id)}/press`, {});
    } catch (err) {
      if (!(err.body && err.body.outcome)) throw err;
      result = err.body; // blocked or refused: the answer says why, next to the button
    }
    replace(outcome, outcomeView(result, reload));
  }));
  return h("li", { class: "button-card" }, press, outcome);
}

export default {
  title: "Buttons",
  async show(container) {
    const reload = () => this.show(container);
    let data;
    try {
      data = await api.optional("/api/buttons");
    } catch (err) {
      showError(err);
      return;
    }
    if (data === null) {
      replace(container, section("Buttons", empty("This server has no virtual buttons yet.")));
      return;
    }
    const buttons = (data.buttons || []).filter((b) => !b.deleted);
    replace(container, section("Buttons",
      h("p", { class: "hint" }, "One press, one order. Pressing again while it is on its way orders nothing."),
      buttons.length ? h("ul", { class: "plain button-grid", id: "button-grid" },
        buttons.map((b) => buttonCard(b, reload)))
        : empty("No buttons yet. Say “create a button for wipes” to your speaker.")));
  },
};
