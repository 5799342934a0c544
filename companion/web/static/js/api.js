// REST client for the page: bearer from the session, JSON in and out, errors carry
// the server's stable `error` code (localised by code in the UI). A 401 means the
// session is gone: the page locks itself.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** An API bound to one bearer; `onUnauthorized` is called once per 401. */
export function makeApi(token, onUnauthorized) {
  async function request(method, path, body, { raw = false } = {}) {
    const headers = { Authorization: `Bearer ${token}` };
    const init = { method, headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 401) onUnauthorized();
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      throw new ApiError(response.status, data.error || `http_${response.status}`, data.message, data.details);
    }
    if (raw) return response;
    if (response.status === 204) return null;
    return response.json();
  }
  return {
    get: (path) => request("GET", path),
    post: (path, body = {}) => request("POST", path, body),
    put: (path, body = {}) => request("PUT", path, body),
    patch: (path, body = {}) => request("PATCH", path, body),
    del: (path) => request("DELETE", path),
    raw: (path) => request("GET", path, undefined, { raw: true }),
  };
}

/** Query string from an object, skipping empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
