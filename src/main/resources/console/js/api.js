// The console's only way to the server: the same /api endpoints, with the session cookie.
function cookie(name) {
  const found = document.cookie.split('; ').find(c => c.startsWith(name + '='));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : { message: `the server answered ${status}` };
    super(error.message);
    this.status = status;
    this.code = error.code;
    this.details = error.details || [];
  }
}

let onSignedOut = () => {};
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

export async function api(method, path, body, headers = {}) {
  // no-store: an agent's ETag is its content version, so a status change (Draft -> Active) keeps the ETag and
  // a revalidated cached copy would show the old status
  const init = { method, credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = cookie('af_csrf') || '';
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { error: { message: 'the server cannot be reached; check that it runs and try again' } });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (response.status === 401 && path !== '/api/session') onSignedOut(json && json.error ? json.error.message : null);
  if (!response.ok) throw new ApiError(response.status, json);
  return { status: response.status, body: json, etag: response.headers.get('ETag') };
}

export const get = async path => (await api('GET', path)).body;
export const post = async (path, body) => (await api('POST', path, body)).body;
