// Ramp: 0 → 30 → 100 virtual users, hold at 100, ramp down, through the buffered chat journey.
//   k6 run -e BASE_URL=http://127.0.0.1:8000 -e K6_LATENCY_PROFILE=mock k6/ramp.js
import { requireTestEnvironment } from './lib/api.js';
import { thresholds } from './lib/config.js';
import { chatJourney } from './chat_flow.js';

export const options = {
  scenarios: {
    ramp: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '1m', target: 30 },
        { duration: '1m', target: 30 },
        { duration: '1m', target: 100 },
        { duration: '3m', target: 100 },
        { duration: '1m', target: 0 },
      ],
      gracefulRampDown: '30s',
    },
  },
  thresholds: thresholds(),
};

export function setup() {
  requireTestEnvironment();
}

export default function () {
  chatJourney();
}
