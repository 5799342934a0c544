// Service worker entry. Every listener is registered synchronously at top level (MV3 wakes
// the worker for an event only if its listener exists on the first turn). State lives in
// chrome.storage (storage.js); the in-memory copy is a cache rebuilt after every restart.

import { Connection } from "./connection.js";
import { applyEvent, applyReady, emptyState, mergeConversations, replaceFollowups } from "./state.js";
import * as storage from "../storage.js";

const PERSIST_DELAY_MS = 50;
const ALARM = "yiwaiwai-keepalive";

// `boot` changes every time Chrome starts this worker: the popup and tests can see restarts.
const runtime = { boot: crypto.randomUUID(), booted: null, connection: null, state: emptyState(), ports: new Set(), saveTimer: null, status: "idle", detail: "" };

function snapshot() {
  return { status: runtime.status, detail: runtime.detail, boot: runtime.boot, ...runtime.state };
}

function broadcast() {
  const message = { kind: "state", state: snapshot() };
  for (const port of runtime.ports) {
    try {
      port.postMessage(message);
    } catch {
      runtime.ports.delete(port);
    }
  }
}

function persistSoon() {
  clearTimeout(runtime.saveTimer);
  runtime.saveTimer = setTimeout(() => {
    storage.saveSession(runtime.state.lastSeq, runtime.state);
  }, PERSIST_DELAY_MS);
}

async function refreshConversations() {
  try {
    const data = await runtime.connection.request("conversations.list", { limit: 50 });
    mergeConversations(runtime.state, data.conversations);
    persistSoon();
    broadcast();
  } catch {
    // The pipeline may not offer the list; events alone still build the overlay.
  }
}

// The follow-up queue after every (re)connect: older queued items may be past the replay.
async function refreshFollowups() {
  try {
    const data = await runtime.connection.request("followups.list", { limit: 100 });
    replaceFollowups(runtime.state, data.followups);
    persistSoon();
    broadcast();
  } catch {
    // A companion without follow-ups: the queue stays as the events built it.
  }
}

async function init() {
  const [settings, session] = await Promise.all([storage.getSettings(), storage.loadSession()]);
  runtime.state = session.overlay ? { ...emptyState(), ...session.overlay } : emptyState();
  runtime.state.lastSeq = session.lastSeq || 0;
  runtime.connection = new Connection({
    resumeFrom: async () => runtime.state.lastSeq,
    onReady(ready) {
      const fresh = runtime.state.lastSeq === 0 || ready.truncated;
      applyReady(runtime.state, ready);
      persistSoon();
      broadcast();
      if (fresh) refreshConversations();
      refreshFollowups();
    },
    onEvent(frame) {
      if (applyEvent(runtime.state, frame)) {
        persistSoon();
        broadcast();
      }
    },
    onStatus(status, detail) {
      runtime.status = status;
      runtime.detail = detail;
      broadcast();
    },
  });
  runtime.connection.configure(settings);
  runtime.connection.connect({ force: true });
}

function boot() {
  if (!runtime.booted) runtime.booted = init();
  return runtime.booted.then(() => runtime.connection.connect());
}

function fromExtensionPage(sender) {
  return sender.id === chrome.runtime.id && typeof sender.url === "string"
    && sender.url.startsWith(chrome.runtime.getURL(""));
}

async function companion(type, fields) {
  return runtime.connection.request(type, fields);
}

// One dispatch table for the overlay, popup and options page (KeePassXC's messageHandlers).
const HANDLERS = {
  "state.get": async () => snapshot(),
  "mode.set": async ({ auto, shop_id }) => companion("mode.set", shop_id ? { auto, shop_id } : { auto }),
  "reply.send": async (m) => companion("reply.send", pick(m, ["conversation_id", "text", "suggestion_id", "shop_id"])),
  "reply.dismiss": async (m) => companion("reply.dismiss", pick(m, ["conversation_id", "suggestion_id", "shop_id"])),
  "conversation.release": async (m) => companion("conversation.release", pick(m, ["conversation_id", "shop_id"])),
  "followup.send": async (m) => companion("followup.send", pick(m, ["followup_id", "text"])),
  "followup.dismiss": async (m) => companion("followup.dismiss", pick(m, ["followup_id"])),
  "page.message": async (m) => companion("page.message", pick(m, ["host", "conversation_key", "buyer_name", "text", "fingerprint", "shop_id", "time_label"])),
  "settings.get": async () => {
    const { secret, ...rest } = await storage.getSettings();
    return { ...rest, paired: Boolean(secret) };
  },
  "pairing.save": async ({ address, secret }, sender) => {
    if (!fromExtensionPage(sender)) throw { code: "forbidden" };
    storage.wsUrl(address);
    await storage.setSettings({ address, secret });
    await restart();
    return { ok: true };
  },
  "pairing.forget": async (_m, sender) => {
    if (!fromExtensionPage(sender)) throw { code: "forbidden" };
    await storage.setSettings({ secret: "" });
    await storage.clearSession();
    runtime.state = emptyState();
    await restart();
    return { ok: true };
  },
  "options.save": async (m, sender) => {
    if (!fromExtensionPage(sender)) throw { code: "forbidden" };
    await storage.setSettings(pick(m, ["pageAssist", "pageAutoSend", "sound"]));
    return { ok: true };
  },
  "reconnect": async () => {
    runtime.connection.connect({ force: true });
    return { ok: true };
  },
};

function pick(source, keys) {
  const out = {};
  for (const key of keys) {
    if (source[key] !== undefined && source[key] !== null) out[key] = source[key];
  }
  return out;
}

async function restart() {
  const settings = await storage.getSettings();
  runtime.connection.disconnect("idle");
  runtime.connection.configure(settings);
  runtime.connection.connect({ force: true });
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !message || !HANDLERS[message.type]) return false;
  boot()
    .then(() => HANDLERS[message.type](message, sender))
    .then((data) => sendResponse({ ok: true, data }))
    .catch((error) => sendResponse({ ok: false, error: { code: (error && error.code) || "internal", message: String((error && error.message) || "") } }));
  return true;
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== "overlay" || port.sender?.id !== chrome.runtime.id) return;
  runtime.ports.add(port);
  port.onDisconnect.addListener(() => runtime.ports.delete(port));
  boot().then(() => port.postMessage({ kind: "state", state: snapshot() }));
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.alarms.create(ALARM, { periodInMinutes: 1 });
  boot();
});

chrome.runtime.onStartup.addListener(() => boot());

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) boot();
});

storage.watchSettings(async () => {
  const { secret, ...settings } = await storage.getSettings();
  for (const port of runtime.ports) port.postMessage({ kind: "settings", settings });
});

boot();
