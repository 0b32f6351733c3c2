// Talk: a console for the household's simulated speaker. Type (or speak, where the browser can listen),
// read the answer (or hear it), and see what the skill understood.

import * as api from "../api.js";
import { act, h, replace, showError } from "../ui.js";

const SESSION_KEY = "voicecart.console.session";
const PREFS_KEY = "voicecart.console.prefs";

const history = [];
let built = null;

function prefs() {
  try {
    return { speak: false, details: true, ...JSON.parse(localStorage.getItem(PREFS_KEY) || "{}") };
  } catch {
    return { speak: false, details: true };
  }
}

function savePrefs(value) {
  localStorage.setItem(PREFS_KEY, JSON.stringify(value));
}

function slotText(slots) {
  return Object.entries(slots || {}).map(([name, slot]) => {
    const resolved = slot.id ? ` → ${slot.id}` : "";
    return `${name}=${slot.value}${resolved}`;
  }).join(", ");
}

function turnView(turn, showDetails) {
  const details = h("dl", { class: "turn-details", hidden: !showDetails },
    h("dt", {}, "intent"), h("dd", { class: "intent" }, turn.intent || turn.request || "(the device answered)"),
    turn.slots && Object.keys(turn.slots).length ? [h("dt", {}, "slots"), h("dd", {}, slotText(turn.slots))] : null,
    turn.dialog_state ? [h("dt", {}, "dialog"), h("dd", {}, turn.dialog_state)] : null,
    turn.reprompt ? [h("dt", {}, "reprompt"), h("dd", {}, turn.reprompt)] : null,
    [h("dt", {}, "session"), h("dd", {}, turn.session_ended ? "ended" : "open, listening")],
    turn.error ? [h("dt", {}, "error"), h("dd", { class: "error-text" }, turn.error)] : null);
  const card = turn.card ? h("div", { class: "card-shown" },
    h("strong", {}, turn.card.title || "Card"), h("p", {}, turn.card.content || turn.card.text || "")) : null;
  return h("li", { class: "turn" },
    turn.you ? h("p", { class: "bubble you" }, h("span", { class: "visually-hidden" }, "You said: "), turn.you)
      : h("p", { class: "bubble you silent" }, "(silence)"),
    h("p", { class: "bubble speaker" }, h("span", { class: "visually-hidden" }, "Speaker: "),
      turn.speech || "(no answer)"),
    card, (turn.events || []).map((e) => h("p", { class: "event" }, e)), details);
}

function speak(text) {
  if (!("speechSynthesis" in window) || !text) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

function build(container) {
  const settings = prefs();
  const list = h("ol", { class: "conversation plain", "aria-live": "polite", "aria-label": "Conversation" });
  const input = h("input", { id: "talk-input", type: "text", autocomplete: "off", maxlength: "500",
                             placeholder: "add wipes to my cart" });
  const sayButton = h("button", { type: "submit", class: "primary" }, "Say");
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  const mic = Recognition ? h("button", { type: "button", class: "ghost", "aria-pressed": "false" }, "Speak") : null;
  const speakBox = h("input", { id: "talk-speak", type: "checkbox", checked: settings.speak && "speechSynthesis" in window,
                                disabled: !("speechSynthesis" in window) });
  const detailsBox = h("input", { id: "talk-details", type: "checkbox", checked: settings.details });
  const form = h("form", { class: "talk-form", "aria-label": "Say something" },
    h("label", { for: "talk-input" }, "Say to your speaker"),
    h("div", { class: "row" }, input, sayButton, mic));

  async function send(text) {
    const body = { text, session: sessionStorage.getItem(SESSION_KEY) || undefined };
    const turn = await api.post("/api/console/say", body);
    sessionStorage.setItem(SESSION_KEY, turn.session);
    history.push(turn);
    list.append(turnView(turn, detailsBox.checked));
    list.lastElementChild.scrollIntoView({ block: "nearest" });
    if (speakBox.checked) speak(turn.speech);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    act(sayButton, () => send(text)).then(() => input.focus());
  });

  if (mic) {
    mic.addEventListener("click", () => {
      const recognition = new Recognition();
      recognition.lang = "en-US";
      recognition.interimResults = false;
      mic.setAttribute("aria-pressed", "true");
      recognition.onresult = (event) => {
        const text = event.results[0][0].transcript;
        input.value = text;
        act(sayButton, () => send(text));
      };
      recognition.onerror = (event) => showError(new Error(`The microphone did not hear you (${event.error}).`));
      recognition.onend = () => mic.setAttribute("aria-pressed", "false");
      try {
        recognition.start();
      } catch (err) {
        mic.setAttribute("aria-pressed", "false");
        showError(new Error(`The microphone cannot listen here (${err.message}); type instead.`));
      }
    });
  }
  speakBox.addEventListener("change", () => savePrefs({ ...prefs(), speak: speakBox.checked }));
  detailsBox.addEventListener("change", () => {
    savePrefs({ ...prefs(), details: detailsBox.checked });
    for (const node of list.querySelectorAll(".turn-details")) node.hidden = !detailsBox.checked;
  });

  const restart = h("button", { type: "button", class: "ghost" }, "New conversation");
  restart.addEventListener("click", () => act(restart, async () => {
    const session = sessionStorage.getItem(SESSION_KEY);
    sessionStorage.removeItem(SESSION_KEY);
    history.length = 0;
    replace(list);
    if (session) await api.del(`/api/console/sessions/${encodeURIComponent(session)}`);
    input.focus();
  }));

  const examples = ["add wipes to my cart", "what's in my cart", "reorder diapers", "where's my order",
                    "log a wet diaper", "when did Maya last eat"];
  const chips = h("div", { class: "chips", "aria-label": "Things to try" },
    examples.map((text) => h("button", { type: "button", class: "chip", onclick: (event) => {
      act(event.currentTarget, () => send(text));
    } }, text)));

  replace(container,
    h("section", { class: "panel", "aria-labelledby": "talk-title" },
      h("h2", { id: "talk-title" }, "Talk to your speaker"),
      list, form, chips,
      h("div", { class: "row wrap options" },
        h("label", { class: "check" }, speakBox, " Speak answers aloud"),
        h("label", { class: "check" }, detailsBox, " Show intents and slots (for developers)"),
        restart)));
  history.length = 0; // a fresh page section (a new sign-in) starts a fresh transcript
  return { input };
}

export default {
  title: "Talk",
  async show(container) {
    if (!built || !container.contains(built.input)) built = build(container);
    // Ready to type, unless the person has already put the focus elsewhere (on another section's tab while
    // the page was still loading, say): their next key press goes where they meant it to.
    const active = document.activeElement;
    const elsewhere = active && active !== document.body && active.offsetParent !== null
      && !container.contains(active) && active.dataset?.view !== "talk";
    if (!elsewhere) built.input.focus();
  },
};
