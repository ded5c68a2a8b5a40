package com.ragchat.knowledge;

import java.nio.file.Path;
import java.util.List;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our batched ONNX runner produces the same vectors as LangChain4j's reference wrapper of
 * the same model, and the vectors carry meaning (related texts are closer than unrelated
 * ones).
 */
class MiniLmEmbedderTests {

	@TempDir
	static Path cache;

	private static MiniLmEmbedder embedder;

	@BeforeAll
	static void load() {
		embedder = MiniLmEmbedder.load(cache);
	}

	@AfterAll
	static void close() {
		embedder.close();
	}

	@Test
	void matchesTheReferenceImplementation() {
		List<String> texts = List.of("How do I reset my password?",
				"The campus printers accept jobs from the print portal. Release your job at any printer with your card.",
				"Wi-Fi");
		AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
		float[][] batched = embedder.embed(texts);
		for (int i = 0; i < texts.size(); i++) {
			float[] expected = reference.embed(texts.get(i)).content().vector();
			float[] alone = embedder.embed(List.of(texts.get(i)))[0];
			assertThat(alone).hasSize(MiniLmEmbedder.DIMENSIONS);
			assertThat(dot(alone, expected)).as("cosine to the reference for text %d", i).isGreaterThan(0.9999);
			// The quantized model scales activations per batch, so padding and neighbours
			// move a vector slightly (most for a very short text among long ones, which
			// is why
			// ingestion batches texts of similar length).
			assertThat(dot(batched[i], expected)).as("batched text %d", i).isGreaterThan(0.98);
		}
	}

	@Test
	void relatedTextsAreCloserThanUnrelatedOnes() {
		float[][] vectors = embedder.embed(List.of("I forgot my login password",
				"Reset a forgotten account password with the self-service portal", "Printing costs ten cents a page"));
		assertThat(dot(vectors[0], vectors[1])).isGreaterThan(dot(vectors[0], vectors[2]) + 0.2);
		assertThat(dot(vectors[0], vectors[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
	}

	static double dot(float[] a, float[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

}
