/**
 * The question-answering pipeline and its ports. A question is condensed into a
 * standalone question (when there is history), passages are retrieved by a
 * {@link com.ragchat.rag.Retriever}, and an {@link com.ragchat.rag.AnswerModel} streams
 * the answer grounded in them.
 * <p>
 * Providers (the {@code provider} package) and the built-in knowledge base (the
 * {@code knowledge} package) implement the ports; the chat feature drives the pipeline.
 */
@NullMarked
package com.ragchat.rag;

import org.jspecify.annotations.NullMarked;
