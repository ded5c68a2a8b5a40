// One iteration of the buffered chat journey, shared by the smoke and ramp scenarios:
// sign in → create a session → ask two questions in it (the second one has history).
import { sleep } from 'k6';
import { chat, createSession, login } from './lib/api.js';
import { userForThisVu } from './lib/users.js';

const QUESTIONS = [
  'How do I reset my password?',
  'How do I connect to the campus Wi-Fi?',
  'Where can I print from my laptop?',
  'How do I set up the VPN at home?',
];

export function chatJourney() {
  const user = userForThisVu();
  const auth = login(user);
  if (!auth) {
    sleep(1);
    return;
  }
  const sessionId = createSession(auth, `k6 ${__VU}-${__ITER}`);
  if (sessionId === null) {
    sleep(1);
    return;
  }
  const first = QUESTIONS[(__VU + __ITER) % QUESTIONS.length];
  chat(auth, sessionId, first);
  sleep(1);
  chat(auth, sessionId, 'And what if that does not work?');
  sleep(1);
}
