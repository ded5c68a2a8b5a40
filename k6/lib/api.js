// The few API calls the scenarios make, written against API.md (the same contract the web
// client uses): JSON bodies, the access_token cookie set by login-json, and the CSRF token
// from its body sent back in X-CSRF-Token on every unsafe request.
import http from 'k6/http';
import { check, fail } from 'k6';
import { BASE_URL } from './config.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

// Refuses to load a system that is not a test deployment: the scenarios create accounts,
// sessions and messages, and a ramp of 100 users is not something to aim at production.
export function requireTestEnvironment() {
  const res = http.get(`${BASE_URL}/api/health`, { tags: { phase: 'setup' } });
  if (res.status !== 200) {
    fail(`GET /api/health answered ${res.status}; is the service running at ${BASE_URL}?`);
  }
  const appEnv = res.json('app_env');
  if (appEnv !== 'test') {
    fail(`refusing to run: /api/health reports app_env "${appEnv}", expected "test" (start the service with APP_ENV=test)`);
  }
}

// Signs in; returns {csrf, userId}. The cookie jar of the VU keeps access_token for later calls.
export function login(user) {
  const res = http.post(
    `${BASE_URL}/api/auth/login-json`,
    JSON.stringify({ username: user.username, password: user.password }),
    { headers: JSON_HEADERS, tags: { phase: 'login', name: 'POST /api/auth/login-json' } },
  );
  const ok = check(res, {
    'login: status 200': (r) => r.status === 200,
    'login: status success': (r) => r.status === 200 && r.json('status') === 'success',
    'login: csrf token': (r) => r.status === 200 && typeof r.json('csrf_token') === 'string',
    'login: access_token cookie': (r) => r.cookies.access_token !== undefined && r.cookies.access_token.length > 0,
  });
  if (!ok) {
    return null;
  }
  return { csrf: res.json('csrf_token'), userId: res.json('user_id') };
}

function unsafeHeaders(auth) {
  return { 'Content-Type': 'application/json', 'X-CSRF-Token': auth.csrf };
}

export function createSession(auth, title) {
  const res = http.post(`${BASE_URL}/api/chat/sessions`, JSON.stringify({ title }), {
    headers: unsafeHeaders(auth),
    tags: { phase: 'create_session', name: 'POST /api/chat/sessions' },
  });
  const ok = check(res, {
    'session: status 200': (r) => r.status === 200,
    'session: has id': (r) => r.status === 200 && Number.isInteger(r.json('id')),
  });
  return ok ? res.json('id') : null;
}

export function listSessions(auth) {
  const res = http.get(`${BASE_URL}/api/chat/sessions`, {
    tags: { phase: 'list_sessions', name: 'GET /api/chat/sessions' },
  });
  check(res, { 'list: status 200': (r) => r.status === 200 && Array.isArray(r.json()) });
  return res;
}

export function chat(auth, sessionId, content) {
  const res = http.post(
    `${BASE_URL}/api/chat/chat`,
    JSON.stringify({ content, session_id: sessionId, research_mode: 'kb' }),
    { headers: unsafeHeaders(auth), tags: { phase: 'chat', name: 'POST /api/chat/chat' }, timeout: '120s' },
  );
  check(res, {
    'chat: status 200': (r) => r.status === 200,
    'chat: same session': (r) => r.status === 200 && r.json('session_id') === sessionId,
    'chat: assistant answer': (r) => r.status === 200 && r.json('assistant_message.role') === 'assistant'
      && r.json('assistant_message.content').length > 0,
  });
  return res;
}

// Posts to the stream endpoint. k6 reads the whole body before returning, so the first
// event's time is the time to first byte (timings.waiting) and completion is the duration.
export function stream(auth, sessionId, content) {
  return http.post(
    `${BASE_URL}/api/chat/stream`,
    JSON.stringify({ content, session_id: sessionId }),
    {
      headers: unsafeHeaders(auth),
      tags: { phase: 'stream', name: 'POST /api/chat/stream' },
      timeout: '180s',
      responseType: 'text',
    },
  );
}

// Parses a stream body as the web client does: blocks separated by a blank line, each
// starting with "data: " and one line of JSON; anything else (": keep-alive") is skipped.
export function parseEvents(body) {
  const events = [];
  for (const block of (body || '').split('\n\n')) {
    if (block.startsWith('data: ')) {
      try {
        events.push(JSON.parse(block.substring(6)));
      } catch (e) {
        events.push({ type: 'unparseable', raw: block });
      }
    }
  }
  return events;
}

export function logout(auth) {
  http.post(`${BASE_URL}/api/auth/logout`, null, { tags: { phase: 'logout', name: 'POST /api/auth/logout' } });
}
