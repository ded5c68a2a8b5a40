/**
 * Cross-cutting configuration shared by every feature: environment loading ({@code .env},
 * {@code DATABASE_URL}), the embedded PostgreSQL of the zero-setup mode, the security
 * filter chain, and RFC 9457 error handling. It depends on no feature package.
 */
@NullMarked
package com.ragchat.platform;

import org.jspecify.annotations.NullMarked;
