// The page's shell: sign-in with the household token, the section tabs, notifications as they arrive.

import * as api from "./api.js";
import { act, announce, clearAlert, h, replace, setTimeZone, showError, when } from "./ui.js";
import talk from "./views/talk.js";
import buttons from "./views/buttons.js";
import cart from "./views/cart.js";
import orders from "./views/orders.js";
import baby from "./views/baby.js";
import routines from "./views/routines.js";

const VIEWS = { talk, buttons, cart, orders, baby, routines };
const DEFAULT_VIEW = "talk";
const NOTIFICATION_POLL_MS = 10000;

const main = document.getElementById("main");
const containers = {};
let household = null;
let current = null;
let pollTimer = null;
let seenNotifications = new Set();
let polledOnce = false;

export function refreshCurrent() {
  if (current) VIEWS[current].show(containers[current], context());
}

function context() {
  return { household, refresh: refreshCurrent, go };
}

function go(name) {
  location.hash = `#${name}`;
}

async function route() {
  if (!household) return;
  const name = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : DEFAULT_VIEW;
  current = name;
  for (const link of document.querySelectorAll("#tabs a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const [key, node] of Object.entries(containers)) node.hidden = key !== name;
  clearAlert();
  document.title = `${VIEWS[name].title} — voicecart`;
  // Until the view has its fresh data it says so: what it shows from the last visit is about to be replaced
  // (a button pressed in that moment would show its outcome on a card that then disappears).
  const container = containers[name];
  container.setAttribute("aria-busy", "true");
  try {
    await VIEWS[name].show(container, context());
  } finally {
    container.removeAttribute("aria-busy");
  }
}

async function signIn(tokenValue) {
  api.setToken(tokenValue);
  try {
    household = await api.get("/api/household");
  } catch (err) {
    household = null;
    api.setToken("");
    showSignIn();
    showError(err.status === 401 ? new Error("That token was not accepted. Ask for a new one with "
      + "`voicecart token --household NAME`.") : err);
    return;
  }
  clearAlert();
  setTimeZone(household.timezone);
  document.getElementById("sign-in").hidden = true;
  for (const id of ["tabs", "sign-out", "notifications-toggle"]) document.getElementById(id).hidden = false;
  const demo = household.is_demo ? " (demo)" : "";
  document.getElementById("household-name").textContent = `${household.name}${demo}`;
  replace(main);
  for (const [name, view] of Object.entries(VIEWS)) {
    containers[name] = h("div", { id: `view-${name}`, class: "view", hidden: true });
    main.append(containers[name]);
  }
  seenNotifications = new Set();
  polledOnce = false;
  await pollNotifications();
  clearInterval(pollTimer);
  pollTimer = setInterval(pollNotifications, NOTIFICATION_POLL_MS);
  await route();
}

function showSignIn() {
  clearInterval(pollTimer);
  household = null;
  current = null;
  replace(main);
  document.getElementById("household-name").textContent = "";
  for (const id of ["tabs", "sign-out", "notifications-toggle", "notifications"]) {
    document.getElementById(id).hidden = true;
  }
  document.getElementById("sign-in").hidden = false;
  document.getElementById("token-input").focus();
}

async function pollNotifications() {
  if (!household) return;
  let data;
  try {
    data = await api.get("/api/notifications");
  } catch (err) {
    if (err.status !== 401) showError(err);
    return;
  }
  const items = data.notifications || [];
  const firstLook = seenNotifications.size === 0 && !polledOnce;
  polledOnce = true;
  // What was waiting at sign-in is listed, not read out; only news that arrives while the page is open is.
  const fresh = firstLook ? [] : items.filter((n) => !seenNotifications.has(n.id));
  items.forEach((n) => seenNotifications.add(n.id));
  const count = document.getElementById("notification-count");
  count.textContent = String(items.length);
  count.classList.toggle("zero", items.length === 0);
  replace(document.getElementById("notification-list"),
    items.length ? items.map((n) => h("li", { class: `notification ${n.kind}` },
      h("span", {}, n.message), h("time", { datetime: n.created_at }, when(n.created_at))))
      : h("li", { class: "empty" }, "Nothing new."));
  if (fresh.length) {
    announce(fresh.map((n) => n.message).join(" "));
    // Order news changes the statuses on the orders section; other sections keep what the person is
    // looking at (a button's answer, a half-typed quantity).
    if (current === "orders") refreshCurrent();
  }
}

function wire() {
  api.whenUnauthorized(() => {
    if (household) {
      api.setToken("");
      showSignIn();
      showError(new Error("Your token is no longer accepted; sign in again."));
    }
  });
  document.getElementById("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("token-input");
    const value = input.value.trim();
    input.value = "";
    signIn(value);
  });
  document.getElementById("sign-out").addEventListener("click", () => {
    api.setToken("");
    showSignIn();
  });
  const toggle = document.getElementById("notifications-toggle");
  toggle.addEventListener("click", () => {
    const panel = document.getElementById("notifications");
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
  });
  document.getElementById("notifications-ack").addEventListener("click", (event) => act(event.currentTarget,
    async () => {
      const ids = [...seenNotifications];
      if (!ids.length) return;
      const pending = (await api.get("/api/notifications")).notifications.map((n) => n.id);
      if (pending.length) await api.post("/api/notifications/ack", { ids: pending });
      await pollNotifications();
    }));
  window.addEventListener("hashchange", route);
}

wire();
if (api.token()) signIn(api.token());
else showSignIn();
