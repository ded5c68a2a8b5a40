/**
 * OpenAI chat completions, for OpenAI itself, any OpenAI-compatible server
 * ({@code OPENAI_BASE_URL}: vLLM, llama.cpp, LM Studio, …) and Azure OpenAI deployments.
 */
@NullMarked
package com.ragchat.provider.openai;

import org.jspecify.annotations.NullMarked;
