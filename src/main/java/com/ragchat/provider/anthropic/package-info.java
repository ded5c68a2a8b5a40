/**
 * Anthropic's messages API through Spring AI (the official Anthropic Java SDK
 * underneath).
 */
@NullMarked
package com.ragchat.provider.anthropic;

import org.jspecify.annotations.NullMarked;
