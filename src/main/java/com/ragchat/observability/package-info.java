/**
 * The operations surface: health and readiness, request ids, metrics and the access log.
 */
@NullMarked
package com.ragchat.observability;

import org.jspecify.annotations.NullMarked;
