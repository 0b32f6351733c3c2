// Buttons: the household's virtual buttons, big enough to press with a thumb. One press is one order at
// most: while a button's order is on its way, pressing again says so instead of ordering twice.

import * as api from "../api.js";
import { act, ago, empty, h, replace, section, showError, words } from "../ui.js";
import { cancelOrder } from "./orders.js";

function outcomeView(result, reload) {
  const orderId = result.order_id || (result.order && result.order.id) || null;
  const order = result.order || null;
  const cancellable = orderId && (!order || order.cancellable) && result.outcome === "ordered";
  const cancel = cancellable ? h("button", { type: "button", class: "danger" }, "Cancel this order") : null;
  if (cancel) cancel.addEventListener("click", () => cancelOrder(orderId, cancel, reload));
  return h("div", { class: `outcome ${result.outcome}`, role: "status" },
    h("strong", {}, words(result.outcome)), " ", result.message || "", cancel);
}

function buttonCard(button, reload) {
  const label = `${button.name}`;
  const detail = [button.quantity ? `${button.quantity} ×` : "", button.product_name || button.product_id]
    .filter(Boolean).join(" ");
  const outcome = h("div", { class: "outcome-slot", "aria-live": "polite" });
  const press = h("button", { type: "button", class: "big-button", dataset: { buttonId: button.id } },
    h("span", { class: "big-name" }, label), h("span", { class: "big-detail" }, detail));
  press.addEventListener("click", () => act(press, async () => {
    const result = await api.post(`/api/buttons/${encodeURIComponent(button.id)}/press`, {});
    replace(outcome, outcomeView(result, reload));
  }));
  const last = button.last_press;
  return h("li", { class: "button-card" }, press,
    last ? h("p", { class: "muted" }, `Last pressed ${ago(last.at)}: ${words(last.outcome)}`) : null,
    outcome);
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
    const buttons = data.buttons || [];
    replace(container, section("Buttons",
      h("p", { class: "hint" }, "One press, one order. Pressing again while it is on its way orders nothing."),
      buttons.length ? h("ul", { class: "plain button-grid", id: "button-grid" },
        buttons.map((b) => buttonCard(b, reload)))
        : empty("No buttons yet. Say “create a button for wipes” to your speaker.")));
  },
};
