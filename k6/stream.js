// Streaming: virtual users sign in, open a session and stream answers, measuring the time to
// the first event and to the terminal event, and checking the framing the web client needs.
//   k6 run -e BASE_URL=http://127.0.0.1:8000 -e K6_LATENCY_PROFILE=mock -e VUS=50 k6/stream.js
// k6 reads a response body whole, so "first event" is the time to first byte; the server's
// own first-token histogram (chatbot_chat_first_token_latency_seconds) has the exact figure.
import { check, sleep } from 'k6';
import { Rate, Trend } from 'k6/metrics';
import { createSession, login, parseEvents, requireTestEnvironment, stream } from './lib/api.js';
import { streamThresholds } from './lib/config.js';
import { userForThisVu } from './lib/users.js';

const firstEvent = new Trend('stream_first_event_ms', true);
const complete = new Trend('stream_complete_ms', true);
const doneRate = new Rate('stream_done_rate');

export const options = {
  scenarios: {
    stream: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 20),
      duration: __ENV.DURATION || '1m',
      gracefulStop: '60s',
    },
  },
  thresholds: streamThresholds(),
};

export function setup() {
  requireTestEnvironment();
}

export default function () {
  const auth = login(userForThisVu());
  if (!auth) {
    sleep(1);
    return;
  }
  const sessionId = createSession(auth, `k6 stream ${__VU}-${__ITER}`);
  if (sessionId === null) {
    sleep(1);
    return;
  }
  for (let i = 0; i < 3; i++) {
    const res = stream(auth, sessionId, i === 0 ? 'How do I reset my password?' : 'Tell me more.');
    const events = parseEvents(res.body);
    const last = events[events.length - 1] || {};
    const done = res.status === 200 && last.type === 'done';
    check(res, {
      'stream: status 200': (r) => r.status === 200,
      'stream: event-stream': (r) => (r.headers['Content-Type'] || '').startsWith('text/event-stream'),
      'stream: every block is data: + JSON': () => events.every((e) => e.type !== 'unparseable'),
      'stream: has tokens': () => events.some((e) => e.type === 'token'),
      'stream: ends with done': () => done,
      'stream: done has message ids': () => done && Number.isInteger(last.user_message_id)
        && Number.isInteger(last.assistant_message_id),
    });
    doneRate.add(done);
    firstEvent.add(res.timings.waiting, { phase: 'stream' });
    complete.add(res.timings.duration, { phase: 'stream' });
    sleep(1);
  }
}
