/**
 * The assistant as an OpenAI-compatible model: {@code GET /v1/models} and
 * {@code POST /v1/chat/completions} (buffered and streamed), answered by the same RAG
 * pipeline as the chat routes, for the chat front ends, SDKs and scripts that speak
 * OpenAI's Chat Completions API. Clients authenticate with personal API keys.
 */
@NullMarked
package com.ragchat.openai;

import org.jspecify.annotations.NullMarked;
