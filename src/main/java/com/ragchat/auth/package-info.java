/**
 * Accounts and sign-in: local passwords and OAuth providers, access tokens in cookies or
 * bearer headers, CSRF, revocation.
 */
@NullMarked
package com.ragchat.auth;

import org.jspecify.annotations.NullMarked;
