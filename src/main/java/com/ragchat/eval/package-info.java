/**
 * Evaluation as a feature: a golden set of questions (expected articles, key facts,
 * questions that must be refused) run through the answering pipeline with whatever
 * retriever and answer model are configured, and a report of retrieval hits, refusals,
 * key-fact coverage and latency. Run from the command line ({@code --eval=FILE}) or by an
 * admin over HTTP ({@code POST /api/knowledge/eval}).
 */
@NullMarked
package com.ragchat.eval;

import org.jspecify.annotations.NullMarked;
