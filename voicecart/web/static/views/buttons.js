// Buttons: the household's virtual buttons, big enough to press with a thumb. One press is one order at
// most: while a button's order is on its way, pressing again says so instead of ordering twice.

import * as api from "../api.js";
import { act, empty, h, money, replace, section, showError, showOk, words } from "../ui.js";
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

// A new button: a name people will say, one product found by search, a quantity, and whether it may order
// again while an order is still on its way (off by default: the grandmother rule).
function newButtonForm(reload) {
  const name = h("input", { id: "button-name", type: "text", maxlength: "60", required: true, placeholder: "wipes" });
  const query = h("input", { id: "button-product-search", type: "search", maxlength: "200", placeholder: "pampers wipes" });
  const find = h("button", { type: "button" }, "Find");
  const product = h("select", { id: "button-product" }, h("option", { value: "" }, "Search first"));
  const quantity = h("input", { id: "button-quantity", type: "number", min: "1", max: "99", value: "1",
                                inputmode: "numeric", class: "qty" });
  const multiple = h("input", { id: "button-multiple", type: "checkbox" });
  const create = h("button", { type: "submit", class: "primary" }, "Create button");
  find.addEventListener("click", () => act(find, async () => {
    const data = await api.get(`/api/catalog/search?q=${encodeURIComponent(query.value)}&limit=10`);
    replace(product, data.results.length
      ? data.results.map((p) => h("option", { value: p.id }, `${p.name} · ${money(p.price_cents)}`))
      : h("option", { value: "" }, "No product matches that"));
    if (!name.value && data.results.length) name.value = query.value.trim();
  }));
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      find.click();
    }
  });
  const form = h("form", { class: "new-button" },
    h("label", { for: "button-product-search" }, "Product"), h("div", { class: "row" }, query, find),
    h("label", { for: "button-product" }, "Choose"), product,
    h("label", { for: "button-name" }, "Button name (what you will say)"), name,
    h("label", { for: "button-quantity" }, "Quantity per press"), quantity,
    h("label", { class: "check" }, multiple, " Allow a new order while one is still on its way"),
    h("div", { class: "row end" }, create));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(create, async () => {
      if (!product.value) throw new Error("Find and choose the product this button orders.");
      const made = await api.post("/api/buttons", { name: name.value.trim(), product_id: product.value,
                                                    quantity: Number(quantity.value), allow_multiple: multiple.checked });
      showOk(`The ${made.name} button is ready. Press it here, or say “press the ${made.name} button”.`);
      await reload();
    });
  });
  return h("details", { class: "panel" }, h("summary", {}, "New button"), form);
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
        : empty("No buttons yet: make one below.")),
    newButtonForm(reload));
  },
};
