// Shared settings of the k6 scenarios. Everything comes from environment variables
// (k6 run -e NAME=value …) so the same scripts run against a laptop or a staging stack.

export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8000').replace(/\/$/, '');

// "mock": the service runs LLM_PROVIDER=mock, so chat latency is the server's own work and
// the earlier service's SLO applies (p95 < 1.2 s). "live": a real model answers, and chat
// latency is dominated by the provider (p95 up to ~45 s under ramp is acceptable).
export const PROFILE = (__ENV.K6_LATENCY_PROFILE || 'mock').toLowerCase();
if (PROFILE !== 'mock' && PROFILE !== 'live') {
  throw new Error(`K6_LATENCY_PROFILE must be "mock" or "live", not "${PROFILE}"`);
}

// Users to sign in as: a JSON array of {username, email, password} (see users.json and
// seed_users.js). Each virtual user takes one by its number, round robin. The default is
// resolved against this module, so the scripts work from any working directory.
export const USERS_FILE = __ENV.USERS_FILE || import.meta.resolve('../users.json');

// Per-phase thresholds. Auth and session routes never touch a model, so both profiles hold
// them to the SLO of the operations guide; chat depends on the profile.
const CHAT_P95_MS = PROFILE === 'live' ? 45000 : 1200;
const CHAT_P99_MS = PROFILE === 'live' ? 60000 : 2500;
const FIRST_TOKEN_P95_MS = PROFILE === 'live' ? 30000 : 1200;

export function thresholds() {
  return {
    'http_req_failed': ['rate<0.02'],
    'checks': ['rate>0.98'],
    'http_req_duration{phase:login}': ['p(95)<1200', 'p(99)<2500'],
    'http_req_duration{phase:create_session}': ['p(95)<1200', 'p(99)<2500'],
    'http_req_duration{phase:chat}': [`p(95)<${CHAT_P95_MS}`, `p(99)<${CHAT_P99_MS}`],
  };
}

export function streamThresholds() {
  return {
    'http_req_failed': ['rate<0.02'],
    'checks': ['rate>0.98'],
    'http_req_duration{phase:login}': ['p(95)<1200', 'p(99)<2500'],
    // Time to the first byte of the stream: the first event leaves once the question is
    // stored and retrieval has started, so it bounds what the user waits before feedback.
    'stream_first_event_ms': [`p(95)<${FIRST_TOKEN_P95_MS}`],
    'stream_complete_ms': [`p(95)<${CHAT_P95_MS}`],
    'stream_done_rate': ['rate>0.98'],
  };
}
