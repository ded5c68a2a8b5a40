/** A local (or self-hosted) Ollama server through Spring AI, streaming NDJSON. */
@NullMarked
package com.ragchat.provider.ollama;

import org.jspecify.annotations.NullMarked;
