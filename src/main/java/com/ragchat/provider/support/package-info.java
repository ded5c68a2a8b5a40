/**
 * What the provider adapters share: mapping HTTP failures to
 * {@link com.ragchat.rag.ProviderException} kinds, cancellable blocking calls, and the
 * bridge from a Spring AI chat model to the pipeline's answer-model port. Internal to the
 * {@code provider} feature.
 */
@NullMarked
package com.ragchat.provider.support;

import org.jspecify.annotations.NullMarked;
