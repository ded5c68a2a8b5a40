/**
 * Pieces of the logging configuration that {@code logback-spring.xml} instantiates by
 * class name (hence public); not an API for other features.
 */
@NullMarked
package com.ragchat.observability.logging;

import org.jspecify.annotations.NullMarked;
