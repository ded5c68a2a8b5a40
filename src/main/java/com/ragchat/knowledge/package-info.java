/**
 * The built-in knowledge base: document ingestion, chunking, in-process embeddings,
 * hybrid (full-text + vector) retrieval as the {@code local} retriever, and its admin
 * API.
 */
@NullMarked
package com.ragchat.knowledge;

import org.jspecify.annotations.NullMarked;
