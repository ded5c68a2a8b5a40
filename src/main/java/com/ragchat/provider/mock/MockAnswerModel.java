package com.ragchat.provider.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.ConditionalOnLlmProvider;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.RagProperties;

import org.springframework.stereotype.Component;

/**
 * Answers "Mock response to: &lt;question&gt;", streamed two words at a time with
 * {@code STREAM_ARTIFICIAL_DELAY_MS} between fragments; for "hello" the fragments are
 * exactly {@code "Mock response "} and {@code "to: hello"}. Condensing returns the
 * question unchanged. A cancellation ends the answer at once, even mid-pause.
 */
@Component
@ConditionalOnLlmProvider("mock")
class MockAnswerModel implements AnswerModel {

	static final String PREFIX = "Mock response to: ";

	private static final int WORDS_PER_CHUNK = 2;

	private final long delayMs;

	MockAnswerModel(RagProperties properties) {
		this.delayMs = properties.streamArtificialDelayMs();
	}

	@Override
	public String provider() {
		return "mock";
	}

	@Override
	public String model() {
		return "mock";
	}

	@Override
	public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
		long inputTokens = words(request.systemPrompt()) + words(request.userPrompt())
				+ request.history().stream().map(ChatTurn::content).mapToLong(MockAnswerModel::words).sum();
		if (request.purpose() == GenerationRequest.Purpose.CONDENSE) {
			String question = request.question();
			return new Generation(question, new Generation.Usage(inputTokens, words(question)), false);
		}
		CountDownLatch cancelled = new CountDownLatch(1);
		cancellation.onCancel(cancelled::countDown);
		StringBuilder text = new StringBuilder();
		List<String> chunks = chunks(PREFIX + request.question());
		for (int i = 0; i < chunks.size(); i++) {
			if (i > 0 && this.delayMs > 0 && pause(cancelled)) {
				break;
			}
			if (cancellation.isCancelled()) {
				break;
			}
			deltas.accept(chunks.get(i));
			text.append(chunks.get(i));
		}
		return new Generation(text.toString(), new Generation.Usage(inputTokens, words(text)),
				cancellation.isCancelled());
	}

	/** Waits the artificial delay; true when cancelled meanwhile. */
	private boolean pause(CountDownLatch cancelled) {
		try {
			return cancelled.await(this.delayMs, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	/**
	 * Splits {@code text} into fragments of {@value #WORDS_PER_CHUNK} words, each word
	 * keeping the whitespace that follows it, so the fragments concatenate to the text.
	 */
	static List<String> chunks(String text) {
		List<String> chunks = new ArrayList<>();
		int start = 0;
		int words = 0;
		int i = 0;
		while (i < text.length()) {
			while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
				i++;
			}
			if (words == WORDS_PER_CHUNK) {
				chunks.add(text.substring(start, i));
				start = i;
				words = 0;
			}
			if (i == text.length()) {
				break;
			}
			while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
				i++;
			}
			words++;
		}
		if (start < text.length()) {
			chunks.add(text.substring(start));
		}
		return chunks;
	}

	private static long words(CharSequence text) {
		long count = 0;
		boolean inWord = false;
		for (int i = 0; i < text.length(); i++) {
			boolean space = Character.isWhitespace(text.charAt(i));
			if (!space && !inWord) {
				count++;
			}
			inWord = !space;
		}
		return count;
	}

}
