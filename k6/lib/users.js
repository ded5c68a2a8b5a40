// Loads the users file once per test run and hands each virtual user its account.
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { USERS_FILE } from './config.js';

export const users = new SharedArray('users', () => {
  const list = JSON.parse(open(USERS_FILE));
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`${USERS_FILE} must be a non-empty JSON array of {username, email, password}`);
  }
  return list;
});

// Virtual users are numbered from 1; with more VUs than accounts, accounts are shared.
export function userForThisVu() {
  return users[(exec.vu.idInTest - 1) % users.length];
}
