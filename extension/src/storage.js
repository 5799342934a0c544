// The only file that touches chrome.storage (style.md section 4).
// local:   settings that outlive the browser (companion address, pairing secret, options).
// session: what a restarted service worker needs to resume (last seq + overlay state);
//          kept in memory by Chrome, gone when the browser quits, never visible to pages.

export const DEFAULTS = Object.freeze({
  address: "http://127.0.0.1:8731",
  secret: "",
  pageAssist: false,
  pageAutoSend: false,
  sound: true,
});

export async function getSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULTS));
  return { ...DEFAULTS, ...stored };
}

export async function setSettings(patch) {
  const allowed = Object.fromEntries(
    Object.entries(patch).filter(([key]) => key in DEFAULTS),
  );
  await chrome.storage.local.set(allowed);
}

export function watchSettings(listener) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local") return;
    const keys = Object.keys(changes).filter((key) => key in DEFAULTS);
    if (keys.length) listener(keys);
  });
}

export async function loadSession() {
  const { resume } = await chrome.storage.session.get("resume");
  return resume || { lastSeq: 0, overlay: null };
}

export async function saveSession(lastSeq, overlay) {
  // One write holds both, so a worker killed mid-way never has one without the other.
  await chrome.storage.session.set({ resume: { lastSeq, overlay } });
}

export async function clearSession() {
  await chrome.storage.session.remove("resume");
}

// A companion address must be loopback http with a port: the secret is only ever used there.
export function wsUrl(address) {
  const url = new URL(address);
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(url.hostname)) {
    throw new Error("address must be http://127.0.0.1:<port>");
  }
  return `ws://${url.host}/ws`;
}
