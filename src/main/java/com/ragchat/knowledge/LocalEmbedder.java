package com.ragchat.knowledge;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code EMBEDDING_PROVIDER=local}: the in-process MiniLM model. One text per model call:
 * measured on our 2-core machines that is faster than a padded multi-text call (the
 * quantized model rescales its activations per call, so padding costs and shifts
 * results), and it gives a passage exactly the vector a question with the same text would
 * get.
 */
final class LocalEmbedder implements Embedder {

	/** The id stored with MiniLM vectors (also the one migration V8 gives older rows). */
	static final String MODEL_ID = "local:all-minilm-l6-v2-q";

	private final MiniLmEmbedder model;

	LocalEmbedder(MiniLmEmbedder model) {
		this.model = model;
	}

	@Override
	public String modelId() {
		return MODEL_ID;
	}

	@Override
	public int dimensions() {
		return MiniLmEmbedder.DIMENSIONS;
	}

	@Override
	public List<float[]> embed(List<String> texts) {
		List<float[]> vectors = new ArrayList<>(texts.size());
		for (String text : texts) {
			vectors.add(this.model.embed(List.of(text))[0]);
		}
		return vectors;
	}

	@Override
	public void close() {
		this.model.close();
	}

}
