/**
 * Adapters of the pipeline's ports to concrete services, one sub-package each
 * ({@code openai}, {@code anthropic}, {@code ollama}, {@code bedrock}, {@code azure},
 * {@code mock}, {@code extractive}), and the resilience they share (timeouts, retries,
 * circuit breakers, metrics). Only the selected provider's beans exist at run time.
 */
@NullMarked
package com.ragchat.provider;

import org.jspecify.annotations.NullMarked;
