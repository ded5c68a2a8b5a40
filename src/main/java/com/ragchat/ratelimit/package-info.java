/**
 * Request rate limits whose state lives in PostgreSQL, so every replica enforces the same
 * budget.
 */
@NullMarked
package com.ragchat.ratelimit;

import org.jspecify.annotations.NullMarked;
