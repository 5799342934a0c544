// The page session (security.md 3.3 P4): the tray opens http://127.0.0.1:PORT/#lt=<token>;
// the launch token never reaches the server's logs (it is in the fragment). We post it
// once to /api/session, keep the returned bearer in sessionStorage only (origin and port
// scoped, gone with the tab) and wipe the fragment. Without either, the page stays locked.

const STORAGE_KEY = "yiwaiwai.session";

/** Parse the fragment as `k=v&k=v` (lt, view). */
export function fragmentParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ""));
}

export function storedToken() {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function forgetSession() {
  sessionStorage.removeItem(STORAGE_KEY);
}

function wipeLaunchToken(params) {
  params.delete("lt");
  const rest = params.toString();
  history.replaceState(null, "", location.pathname + (rest ? `#${rest}` : ""));
}

/**
 * Start or resume the session; resolves to the bearer or null (locked).
 * Throws an Error whose `code` is the server's error code when the exchange is refused.
 */
export async function openSession() {
  const params = fragmentParams();
  const launch = params.get("lt");
  if (!launch) return storedToken();
  wipeLaunchToken(params);
  const response = await fetch("/api/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ lt: launch }),
    cache: "no-store",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== "string") {
    forgetSession();
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.code = body.error || "session_refused";
    throw error;
  }
  sessionStorage.setItem(STORAGE_KEY, body.token);
  return body.token;
}
