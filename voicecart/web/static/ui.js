// Small DOM helpers. Text always goes in as text (never as HTML), so nothing a user or the server
// says can become markup.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export function money(cents) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format((cents || 0) / 100);
}

// Times are shown in the household's time zone (where the baby sleeps), not the browser's.
let timeZone;
export function setTimeZone(zone) {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    timeZone = zone;
  } catch {
    timeZone = undefined;
  }
}

export function when(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(undefined, { weekday: "short", month: "short", day: "numeric",
                                                   hour: "numeric", minute: "2-digit", timeZone });
}

export function day(iso) {
  if (!iso) return "";
  // A bare date (2026-11-25) is a calendar day, not midnight UTC.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  const zone = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? "UTC" : timeZone;
  return date.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric", timeZone: zone });
}

export function ago(iso, now = Date.now()) {
  if (!iso) return "never";
  const minutes = Math.round((now - new Date(iso).getTime()) / 60000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

export function words(text) {
  return String(text || "").replaceAll("_", " ");
}

let alertTimer = null;

export function showError(err) {
  const box = document.getElementById("alert");
  box.textContent = err && err.message ? err.message : String(err);
  box.hidden = false;
  box.classList.remove("ok");
  clearTimeout(alertTimer);
}

export function showOk(message) {
  const box = document.getElementById("alert");
  box.textContent = message;
  box.hidden = false;
  box.classList.add("ok");
  clearTimeout(alertTimer);
  alertTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

export function clearAlert() {
  const box = document.getElementById("alert");
  box.hidden = true;
  box.textContent = "";
}

export function announce(message) {
  document.getElementById("status").textContent = message;
}

// Runs an action from a button: disables it meanwhile and shows any error instead of throwing.
export async function act(button, action) {
  if (button) button.disabled = true;
  try {
    clearAlert();
    return await action();
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

// A modal question with a clear answer; resolves true when confirmed. Built on <dialog> for focus and Esc.
export function confirmDialog(title, body, confirmLabel = "Confirm") {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, title),
      h("div", { class: "confirm-body" }, body),
      h("div", { class: "row end" },
        h("button", { type: "button", class: "ghost", value: "cancel", onclick: () => dialog.close("cancel") },
          "Go back"),
        h("button", { type: "button", class: "primary", value: "confirm", onclick: () => dialog.close("confirm") },
          confirmLabel)));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "confirm");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export function empty(text) {
  return h("p", { class: "empty" }, text);
}

export function section(title, ...children) {
  return h("section", { class: "panel", "aria-label": title }, h("h2", {}, title), ...children);
}
