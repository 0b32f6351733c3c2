// The one door to the server: the public REST API with the household's bearer token.

const TOKEN_KEY = "voicecart.token";

export class ApiError extends Error {
  constructor(status, code, message, details, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.body = body; // the whole JSON answer: some refusals (a blocked button press) carry more than a message
  }
}

export function token() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export async function call(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (token()) init.headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, "offline", "The server cannot be reached. Check that `voicecart serve` is running.");
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const message = (data && data.message) || `The server answered ${response.status}.`;
    const error = new ApiError(response.status, (data && data.error) || "http_error", message, data && data.details,
                               data);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  return data;
}

export const get = (path) => call("GET", path);
export const post = (path, body, headers) => call("POST", path, body ?? {}, headers);
export const patch = (path, body) => call("PATCH", path, body);
export const put = (path, body) => call("PUT", path, body);
export const del = (path) => call("DELETE", path);

// A route another part of the product may not have shipped on this server yet: null instead of an error.
export async function optional(path) {
  try {
    return await get(path);
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

export function isMissingRoute(err) {
  // Flask's own 404 for a URL it has no route for, as opposed to the backend's "no such order".
  if (!(err instanceof ApiError)) return false;
  if (err.status === 405) return true; // the URL exists, this method on it does not
  return err.status === 404 && /requested URL was not found/i.test(err.message);
}
