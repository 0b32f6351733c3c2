// Cart: the household's one shared cart (the same one voice and buttons fill), with checkout behind a
// confirmation that shows exactly what will be charged and when it arrives.

import * as api from "../api.js";
import { act, confirmDialog, day, empty, h, money, replace, section, showOk } from "../ui.js";

function cartLine(item, reload) {
  const inputId = `qty-${item.id}`;
  const quantity = h("input", { id: inputId, type: "number", min: "1", max: "99", value: item.quantity,
                                inputmode: "numeric", class: "qty" });
  const update = h("button", { type: "button", class: "ghost" }, "Update");
  const remove = h("button", { type: "button", class: "danger ghost" }, "Remove");
  update.addEventListener("click", () => act(update, async () => {
    const value = Number(quantity.value);
    if (!Number.isInteger(value) || value < 1) throw new Error("A quantity is a whole number, 1 or more.");
    await api.patch(`/api/cart/items/${encodeURIComponent(item.id)}`, { quantity: value });
    showOk(`${item.name}: quantity is now ${value}.`);
    await reload();
  }));
  quantity.addEventListener("keydown", (event) => {
    if (event.key === "Enter") update.click();
  });
  remove.addEventListener("click", () => act(remove, async () => {
    await api.del(`/api/cart/items/${encodeURIComponent(item.id)}`);
    await reload();
  }));
  return h("li", { class: "line", dataset: { productId: item.product_id } },
    h("div", { class: "line-main" },
      h("span", { class: "name" }, item.name),
      h("span", { class: "muted" }, `${money(item.unit_price_cents)} each · added by ${item.channel}`)),
    h("div", { class: "row line-actions" },
      h("label", { for: inputId, class: "visually-hidden" }, `Quantity of ${item.name}`),
      quantity, update, remove,
      h("span", { class: "amount" }, money(item.line_total_cents))));
}

async function checkout(button, reload) {
  const quote = await api.post("/api/orders/quote", {});
  const body = h("div", {},
    h("ul", { class: "plain quote" }, quote.lines.map((line) =>
      h("li", {}, `${line.quantity} × ${line.name}`, h("span", { class: "amount" },
        money(line.unit_price_cents * line.quantity))))),
    quote.savings_cents ? h("p", {}, `Member savings: −${money(quote.savings_cents)}`) : null,
    h("p", { class: "total" }, `Total ${money(quote.total_cents)}`),
    h("p", {}, `Arrives by ${day(quote.estimated_delivery)}. You can cancel while it is being prepared.`));
  if (!(await confirmDialog("Place this order?", body, `Place order · ${money(quote.total_cents)}`))) return;
  const key = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  const placed = await api.post("/api/orders", {}, { "Idempotency-Key": key });
  showOk(`Order placed: ${money(placed.order.total_cents)}, arriving ${day(placed.order.estimated_delivery)}.`);
  await reload();
}

function searchPanel(reload) {
  const input = h("input", { id: "product-search", type: "search", autocomplete: "off", maxlength: "200",
                             placeholder: "paper towels" });
  const results = h("ul", { class: "plain results", "aria-label": "Search results" });
  const submit = h("button", { type: "submit" }, "Search");
  const form = h("form", { role: "search" },
    h("label", { for: "product-search" }, "Find a product"), h("div", { class: "row" }, input, submit));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(submit, async () => {
      const data = await api.get(`/api/catalog/search?q=${encodeURIComponent(input.value)}&limit=8`);
      replace(results, data.results.length ? data.results.map((p) => addRow(p, reload))
        : h("li", { class: "empty" }, "No product matches that."));
    });
  });
  return section("Add something", form, results);
}

function addRow(product, reload, note) {
  const add = h("button", { type: "button", "aria-label": `Add ${product.name} to the cart` }, "Add");
  add.addEventListener("click", () => act(add, async () => {
    await api.post("/api/cart/items", { product_id: product.id, quantity: 1 });
    showOk(`${product.name} is in the cart.`);
    await reload();
  }));
  return h("li", { class: "line" },
    h("div", { class: "line-main" }, h("span", { class: "name" }, product.name),
      h("span", { class: "muted" }, note || money(product.price_cents))), add);
}

export default {
  title: "Cart",
  async show(container) {
    const reload = () => this.show(container);
    const [cart, again] = await Promise.all([api.get("/api/cart"), api.get("/api/buy-again?limit=5")]);
    const checkoutButton = h("button", { type: "button", class: "primary", disabled: !cart.items.length },
      "Check out");
    checkoutButton.addEventListener("click", () => act(checkoutButton, () => checkout(checkoutButton, reload)));
    replace(container,
      section("Your cart",
        cart.items.length ? h("ul", { class: "plain lines", id: "cart-lines" },
          cart.items.map((item) => cartLine(item, reload)))
          : empty("The cart is empty. Say “add wipes to my cart”, or add something below."),
        h("dl", { class: "totals" },
          h("dt", {}, "Items"), h("dd", {}, String(cart.item_count)),
          cart.savings_cents ? [h("dt", {}, "Member savings"), h("dd", {}, `−${money(cart.savings_cents)}`)] : null,
          h("dt", {}, "Total"), h("dd", { id: "cart-total" }, money(cart.total_cents))),
        h("div", { class: "row end" }, checkoutButton)),
      again.items.length ? section("Buy it again", h("ul", { class: "plain" }, again.items.map((item) =>
        addRow(item.product, reload, `ordered ${item.times_ordered}× · ${money(item.product.price_cents)}`))))
        : null,
      searchPanel(reload));
  },
};
