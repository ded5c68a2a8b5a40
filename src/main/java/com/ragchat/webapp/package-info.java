/**
 * The service's own web app: the static pages at {@code /} (chat, sources, sessions,
 * feedback, knowledge admin) with a strict Content-Security-Policy of their own. It uses
 * the HTTP API like any other client and depends on no feature package.
 */
@NullMarked
package com.ragchat.webapp;

import org.jspecify.annotations.NullMarked;
