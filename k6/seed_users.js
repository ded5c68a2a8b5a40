// Seeding step: registers every account of the users file. Accounts that already exist are
// fine (400 "… already registered"). Run it once per fresh database, with rate limits off or
// raised (registration is limited to RATE_LIMIT_REGISTER_PER_MINUTE per client IP):
//   k6 run -e BASE_URL=http://127.0.0.1:8000 k6/seed_users.js
import http from 'k6/http';
import { check } from 'k6';
import { BASE_URL } from './lib/config.js';
import { requireTestEnvironment } from './lib/api.js';
import { users } from './lib/users.js';

export const options = {
  vus: 1,
  iterations: 1,
  thresholds: { checks: ['rate==1.0'] },
};

export function setup() {
  requireTestEnvironment();
}

export default function () {
  for (const user of users) {
    const res = http.post(`${BASE_URL}/api/auth/register`, JSON.stringify(user), {
      headers: { 'Content-Type': 'application/json' },
      tags: { phase: 'seed' },
    });
    check(res, {
      'registered or already there': (r) => r.status === 200
        || (r.status === 400 && /already registered/.test(r.json('detail'))),
    });
  }
}
