/**
 * Deterministic stand-ins for the answer model and the retrievers
 * ({@code LLM_PROVIDER=mock}, {@code RETRIEVER_PROVIDER=mock}): canned answers and the
 * fixed "KB-123" source, for tests, load runs and development without keys.
 */
@NullMarked
package com.ragchat.provider.mock;

import org.jspecify.annotations.NullMarked;
