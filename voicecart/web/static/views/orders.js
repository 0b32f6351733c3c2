// Orders: every order with its status timeline, and cancel while the cancel window is open.

import * as api from "../api.js";
import { act, confirmDialog, day, empty, h, money, replace, section, showOk, when, words } from "../ui.js";

const STEPS = ["placed", "shipped", "out_for_delivery", "delivered"];

function timeline(order) {
  const reached = new Map(order.history.map((change) => [change.status, change]));
  if (order.status === "cancelled") {
    return h("ol", { class: "timeline" }, order.history.map((change) =>
      h("li", { class: `done ${change.status}` }, h("span", {}, words(change.status)),
        h("time", { datetime: change.at }, when(change.at)), change.note ? h("small", {}, change.note) : null)));
  }
  const steps = STEPS.includes(order.status) || !order.history.length ? STEPS : order.history.map((c) => c.status);
  return h("ol", { class: "timeline", "aria-label": "Status timeline" }, steps.map((status) => {
    const change = reached.get(status);
    return h("li", { class: change ? "done" : "todo", "aria-current": status === order.status ? "step" : null },
      h("span", {}, words(status)),
      change ? h("time", { datetime: change.at }, when(change.at)) : h("small", {}, "not yet"));
  }));
}

export function cancelOrder(orderId, button, after) {
  return act(button, async () => {
    const sure = await confirmDialog("Cancel this order?", h("p", {}, "Nothing will be charged or delivered."),
      "Cancel order");
    if (!sure) return;
    await api.post(`/api/orders/${encodeURIComponent(orderId)}/cancel`, { reason: "cancelled on the web page" });
    showOk("The order is cancelled.");
    await after();
  });
}

function orderView(order, reload) {
  const cancel = order.cancellable
    ? h("button", { type: "button", class: "danger" }, "Cancel order") : null;
  if (cancel) cancel.addEventListener("click", () => cancelOrder(order.id, cancel, reload));
  return h("li", { class: `order status-${order.status}`, dataset: { orderId: order.id } },
    h("div", { class: "row spread" },
      h("h3", {}, order.lines.map((l) => `${l.quantity} × ${l.name}`).join(", ")),
      h("span", { class: `pill ${order.status}` }, words(order.status))),
    h("p", { class: "muted" },
      `${money(order.total_cents)} · ordered ${when(order.placed_at)} by ${order.channel}`,
      order.status === "cancelled" ? "" : ` · arrives ${day(order.estimated_delivery)}`),
    timeline(order),
    cancel ? h("div", { class: "row end" }, cancel) : null);
}

export default {
  title: "Orders",
  async show(container) {
    const reload = () => this.show(container);
    const data = await api.get("/api/orders?limit=30");
    replace(container, section("Orders",
      data.orders.length ? h("ul", { class: "plain orders", id: "order-list" },
        data.orders.map((o) => orderView(o, reload))) : empty("No orders yet.")));
  },
};
