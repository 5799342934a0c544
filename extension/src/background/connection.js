// The one socket to the companion: handshake, keepalive, requests, reconnect with backoff.
// Handshake (companion/protocol.md, security.md P3): the companion speaks first (`hello`),
// we send a nonce, it answers with its own nonce and a proof that it holds the pairing
// secret; we check that proof *before* proving ourselves, so a program squatting the port
// learns nothing and is refused ("impersonation"). The secret never leaves this worker.

import { CLOSE, PROTOCOL_VERSION, TERMINAL_CLOSE } from "../protocol.js";
import { wsUrl } from "../storage.js";

const KEEPALIVE_MS = 20_000; // inside the MV3 30-second idle window
const REQUEST_TIMEOUT_MS = 10_000;
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000];
const IMPERSONATION_RETRY_MS = 60_000;
const CLIENT_VERSION = chrome.runtime.getManifest().version;
// States a wake-up must not override: the seller (or the slow retry timer) decides.
const WAIT_FOR_SELLER = ["unpaired", "update_needed", "revoked", "bad_address", "impersonation", "not_companion", "replaced"];

export function b64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

export function unb64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function secretKey(secret) {
  const standard = secret.replace(/-/g, "+").replace(/_/g, "/");
  return unb64(standard + "=".repeat((4 - (standard.length % 4)) % 4));
}

async function proof(secret, label, first, second) {
  const key = await crypto.subtle.importKey(
    "raw", secretKey(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"],
  );
  const message = new Uint8Array([...new TextEncoder().encode(label), ...first, ...second]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i] ^ b[i];
  return diff === 0;
}

export class Connection {
  constructor({ onReady, onEvent, onStatus, resumeFrom }) {
    this.onReady = onReady;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.resumeFrom = resumeFrom;
    this.ws = null;
    this.phase = "closed";
    this.status = "idle";
    this.pending = new Map();
    this.nextId = 0;
    this.attempt = 0;
    this.timer = null;
    this.keepalive = null;
    this.chain = Promise.resolve();
    this.settings = null;
  }

  configure(settings) {
    this.settings = settings;
  }

  setStatus(status, detail = "") {
    this.status = status;
    this.onStatus(status, detail);
  }

  // Open now unless already open, a backoff timer is pending, or the seller must act first.
  // Waking the worker (any message) calls this without `force`, so it must not skip backoff.
  connect({ force = false } = {}) {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    if (!force && (this.timer || WAIT_FOR_SELLER.includes(this.status))) return;
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.settings || !this.settings.secret) {
      this.setStatus("unpaired");
      return;
    }
    let url;
    try {
      url = wsUrl(this.settings.address);
    } catch (error) {
      this.setStatus("bad_address", String(error.message || error));
      return;
    }
    this.setStatus("connecting");
    const ws = new WebSocket(url);
    this.ws = ws;
    this.phase = "hello";
    this.nextId = 0;
    ws.onmessage = (event) => {
      this.chain = this.chain.then(() => this.handle(ws, event.data)).catch((error) => {
        console.warn("yiwaiwai: frame handling failed", error);
      });
    };
    ws.onclose = (event) => this.closed(ws, event);
    ws.onerror = () => {};
  }

  disconnect(status = "idle") {
    clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close(CLOSE.NORMAL, "client");
    }
    this.stopKeepalive();
    this.failPending("disconnected");
    this.phase = "closed";
    this.setStatus(status);
  }

  async handle(ws, raw) {
    if (ws !== this.ws) return;
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (this.phase === "hello") return this.onHello(ws, frame);
    if (this.phase === "challenge") return this.onChallenge(ws, frame);
    if (this.phase === "ready") return this.onReadyFrame(frame);
    if (frame.type === "result") return this.settle(frame);
    if (frame.type === "error") return console.warn("yiwaiwai: companion error", frame.code);
    if (typeof frame.type === "string" && typeof frame.seq === "number") this.onEvent(frame);
    // Unknown frame types are ignored: a newer companion must not break an older overlay.
  }

  onHello(ws, frame) {
    if (frame.type !== "hello" || frame.product !== "yiwaiwai" || !Array.isArray(frame.protocol)) {
      return this.refuse(ws, "not_companion");
    }
    const [min, max] = frame.protocol;
    if (PROTOCOL_VERSION < min || PROTOCOL_VERSION > max) return this.refuse(ws, "update_needed");
    this.nc = crypto.getRandomValues(new Uint8Array(16));
    this.phase = "challenge";
    this.send({
      v: 1, type: "auth.start", nc: b64(this.nc), protocol: PROTOCOL_VERSION,
      client_version: CLIENT_VERSION,
    });
  }

  async onChallenge(ws, frame) {
    if (frame.type === "error") return this.refuse(ws, frame.code === "protocol_unsupported" ? "update_needed" : "not_companion");
    if (frame.type !== "auth.challenge") return this.refuse(ws, "not_companion");
    const secret = this.settings.secret;
    let ns;
    let sp;
    try {
      ns = unb64(frame.ns);
      sp = unb64(frame.sp);
    } catch {
      return this.refuse(ws, "impersonation");
    }
    const expected = await proof(secret, "srv", this.nc, ns);
    if (!sameBytes(expected, sp)) return this.refuse(ws, "impersonation");
    const cp = await proof(secret, "cli", ns, this.nc);
    this.phase = "ready";
    this.send({ v: 1, type: "auth", cp: b64(cp), resume_from: await this.resumeFrom() });
  }

  onReadyFrame(frame) {
    if (frame.type === "error") return; // the close code that follows says what to do
    if (frame.type !== "ready") return;
    this.phase = "open";
    this.attempt = 0;
    this.startKeepalive();
    this.setStatus("ready");
    this.onReady(frame);
  }

  refuse(ws, status) {
    // Refuse a peer that is not our companion: close, say why, and only retry slowly.
    this.phase = "closed";
    this.refused = status;
    ws.close(CLOSE.NORMAL, status);
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  request(type, fields = {}) {
    if (this.phase !== "open") return Promise.reject({ code: "disconnected" });
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject({ code: "timeout" });
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ v: 1, type, id, ...fields });
    });
  }

  settle(frame) {
    const entry = this.pending.get(frame.id);
    if (!entry) return;
    this.pending.delete(frame.id);
    clearTimeout(entry.timer);
    if (frame.ok) entry.resolve(frame.data || {});
    else entry.reject(frame.error || { code: "internal" });
  }

  failPending(code) {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject({ code });
    }
    this.pending.clear();
  }

  startKeepalive() {
    this.stopKeepalive();
    this.keepalive = setInterval(() => {
      this.request("ping").catch(() => {});
    }, KEEPALIVE_MS);
  }

  stopKeepalive() {
    clearInterval(this.keepalive);
    this.keepalive = null;
  }

  closed(ws, event) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.phase = "closed";
    this.stopKeepalive();
    this.failPending("disconnected");
    const refused = this.refused;
    this.refused = null;
    if (TERMINAL_CLOSE[event.code]) return this.setStatus(TERMINAL_CLOSE[event.code]);
    if (event.code === CLOSE.NORMAL && event.reason === "replaced") return this.setStatus("replaced");
    if (refused === "update_needed") return this.setStatus("update_needed");
    if (refused) {
      this.setStatus(refused);
      this.timer = setTimeout(() => this.connect({ force: true }), IMPERSONATION_RETRY_MS);
      return;
    }
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    this.setStatus(event.code === CLOSE.GOING_AWAY ? "companion_stopped" : "disconnected");
    this.timer = setTimeout(() => this.connect({ force: true }), delay * (0.8 + Math.random() * 0.4));
  }
}
