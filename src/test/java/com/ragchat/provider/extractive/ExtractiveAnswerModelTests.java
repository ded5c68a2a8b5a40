package com.ragchat.provider.extractive;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Passage;
import com.ragchat.rag.RagProperties;
import com.ragchat.rag.Source;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyless answerer quotes, cites, streams, stops when asked, and admits ignorance.
 */
class ExtractiveAnswerModelTests {

	private final ExtractiveAnswerModel model = new ExtractiveAnswerModel(
			new RagProperties("extractive", "local", false, 0.2, 1024, 3, 40, 0, false, NOT_FOUND));

	private static final String NOT_FOUND = RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE;

	private static final Passage PASSWORD = passage("""
			## Reset your password

			1. Go to https://account.aldermoor.example and select Forgot password.
			2. Enter your NetID, not your email address.
			3. Enter the six-digit code. Codes expire after ten minutes.

			The Service Desk never asks for your password.""", "Reset a forgotten password");

	private static final Passage PRINTING = passage(
			"Black and white costs 5 cents a side. Colour costs 20 cents a side. Jobs wait for 24 hours.", "Printing");

	private static final Passage VPN = new Passage("""
			# Install the VPN

			Most services work without a VPN.

			## Install

			1. Go to https://vpn.aldermoor.example and sign in.
			2. Download the client for Windows, macOS or Linux.
			3. Run the installer. On macOS, allow the system extension when asked.

			## Connect

			1. Open the client and enter the portal address.
			2. Approve the MFA request.

			## Related articles

			- VPN troubleshooting (KB0012)""",
			new Source("Install the VPN", "https://help.example/kb/KB0011", "KB0011", null, null, null, null, 0.7));

	@Test
	void answersFromTheBestDocumentsMatchingSectionWithItsStepsInOrderTitleAndLink() {
		String answer = ExtractiveAnswerModel.answer("How do I install the VPN client?", List.of(VPN, PRINTING),
				NOT_FOUND);
		assertThat(answer).startsWith("From \u201CInstall the VPN\u201D (KB0011) [1]:")
			.contains("**Install**\n1. Go to https://vpn.aldermoor.example and sign in.\n"
					+ "2. Download the client for Windows, macOS or Linux.\n3. Run the installer.")
			.contains("Full article: https://help.example/kb/KB0011")
			.doesNotContain("Related articles")
			.doesNotContain("5 cents");
		assertThat(answer.indexOf("1. Go to")).isLessThan(answer.indexOf("3. Run the installer"));
	}

	@Test
	void otherDocumentsGetOnlyASeeAlsoLine() {
		String answer = ExtractiveAnswerModel.answer("How do I reset my password?", List.of(PASSWORD, PRINTING),
				NOT_FOUND);
		assertThat(answer).contains("Go to https://account.aldermoor.example and select Forgot password.")
			.endsWith("See also: [2] Printing")
			.doesNotContain("cents");
	}

	@Test
	void theLatestMessageOfAFollowUpChoosesTheSection() {
		String answer = ExtractiveAnswerModel.answer("How do I install the VPN? and how do I connect?",
				"and how do I connect?", List.of(VPN), NOT_FOUND, "From");
		assertThat(answer).contains("**Connect**\n1. Open the client and enter the portal address.");
	}

	@Test
	void noPassagesMeansAnHonestNotFound() {
		Generation generation = this.model.generate(request("What is the capital of France?", List.of()), (delta) -> {
		}, Cancellation.none());
		assertThat(generation.text()).isEqualTo(NOT_FOUND);
		assertThat(generation.cancelled()).isFalse();
	}

	@Test
	void streamsTheAnswerInSeveralFragmentsThatAddUpToIt() {
		List<String> deltas = new ArrayList<>();
		Generation generation = this.model.generate(request("How do I reset my password?", List.of(PASSWORD)),
				deltas::add, Cancellation.none());
		assertThat(deltas).hasSizeGreaterThan(5);
		assertThat(String.join("", deltas)).isEqualTo(generation.text());
		assertThat(deltas).allSatisfy((delta) -> assertThat(delta.split("\\s+").length).isLessThanOrEqualTo(3));
	}

	@Test
	void stopsStreamingWhenCancelled() {
		Cancellation cancellation = new Cancellation();
		List<String> deltas = new ArrayList<>();
		Generation generation = this.model.generate(request("How do I reset my password?", List.of(PASSWORD)),
				(delta) -> {
					deltas.add(delta);
					if (deltas.size() == 2) {
						cancellation.cancel();
					}
				}, cancellation);
		assertThat(generation.cancelled()).isTrue();
		assertThat(deltas).hasSize(2);
		assertThat(generation.text()).isEqualTo(String.join("", deltas));
	}

	@Test
	void condensingKeepsAStandaloneQuestionAndJoinsAFollowUpToThePreviousOne() {
		List<ChatTurn> history = List.of(new ChatTurn(ChatTurn.Role.USER, "How do I connect to eduroam?"),
				new ChatTurn(ChatTurn.Role.ASSISTANT, "Use the setup tool."));
		assertThat(this.model.complete(condense("What about on my phone?", history), Cancellation.none()).text())
			.isEqualTo("What about on my phone? What about on my phone? How do I connect to eduroam?");
		assertThat(this.model.complete(condense("how big can the file be?", history), Cancellation.none()).text())
			.isEqualTo("how big can the file be? how big can the file be? How do I connect to eduroam?");
		assertThat(this.model.complete(condense("How much does colour printing cost?", history), Cancellation.none())
			.text()).isEqualTo("How much does colour printing cost?");
		assertThat(this.model.complete(condense("Where is the help desk?", List.of()), Cancellation.none()).text())
			.isEqualTo("Where is the help desk?");
	}

	@Test
	void aQuestionForAnAmountGetsTheSectionWithTheFigure() {
		String article = """
				# Guest Wi-Fi

				Visitors use the Guest network.

				## Register

				1. Connect to Guest.
				2. Enter your phone number.

				Access lasts 24 hours and can be renewed.

				## Guest accounts for long visits

				Visitors staying for a long time get a sponsored guest account from their host.
				""";
		String answer = ExtractiveAnswerModel.answer("How long does a guest account last?",
				List.of(passage(article, "Guest Wi-Fi")), "not found");
		assertThat(answer).contains("24 hours");
		String steps = ExtractiveAnswerModel.answer("How do I register for guest wifi?",
				List.of(passage(article, "Guest Wi-Fi")), "not found");
		assertThat(steps).contains("1. Connect to Guest.\n2. Enter your phone number.");
	}

	@Test
	void stemmingMeetsCommonWordForms() {
		assertThat(ExtractiveAnswerModel.stem("resetting")).isEqualTo(ExtractiveAnswerModel.stem("reset"));
		assertThat(ExtractiveAnswerModel.stem("printers")).isEqualTo(ExtractiveAnswerModel.stem("printer"));
		assertThat(ExtractiveAnswerModel.stem("saved")).isEqualTo(ExtractiveAnswerModel.stem("save"));
		assertThat(ExtractiveAnswerModel.stem("installing")).isEqualTo(ExtractiveAnswerModel.stem("install"));
		assertThat(ExtractiveAnswerModel.stem("policies")).isEqualTo(ExtractiveAnswerModel.stem("policy"));
	}

	private static Passage passage(String content, String title) {
		return new Passage(content, new Source(title, null, null, null, null, null, null, 0.6));
	}

	private static GenerationRequest request(String question, List<Passage> passages) {
		return new GenerationRequest(GenerationRequest.Purpose.ANSWER, "system", List.of(), question, question,
				passages, 0.0, 512);
	}

	private static GenerationRequest condense(String question, List<ChatTurn> history) {
		return new GenerationRequest(GenerationRequest.Purpose.CONDENSE, "system", history, question, question,
				List.of(), 0.0, 256);
	}

}
