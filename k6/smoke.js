// Smoke run: 5 virtual users for 45 s through the buffered chat journey.
//   k6 run -e BASE_URL=http://127.0.0.1:8000 -e K6_LATENCY_PROFILE=mock k6/smoke.js
import { requireTestEnvironment } from './lib/api.js';
import { thresholds } from './lib/config.js';
import { chatJourney } from './chat_flow.js';

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: 5, duration: '45s', gracefulStop: '30s' },
  },
  thresholds: thresholds(),
};

export function setup() {
  requireTestEnvironment();
}

export default function () {
  chatJourney();
}
