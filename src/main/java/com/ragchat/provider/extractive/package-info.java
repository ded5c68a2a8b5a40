/**
 * The keyless {@code extractive} answer model: cited quotations from the retrieved
 * passages, no language model.
 */
@NullMarked
package com.ragchat.provider.extractive;

import org.jspecify.annotations.NullMarked;
