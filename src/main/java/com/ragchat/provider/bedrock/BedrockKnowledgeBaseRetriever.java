package com.ragchat.provider.bedrock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.FilterAttribute;
import software.amazon.awssdk.services.bedrockagentruntime.model.KnowledgeBaseRetrievalResult;
import software.amazon.awssdk.services.bedrockagentruntime.model.KnowledgeBaseVectorSearchConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrievalFilter;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrievalResultLocation;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveRequest;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.SearchType;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.support.BlockingCalls;
import com.ragchat.provider.support.Settings;
import com.ragchat.provider.support.SourceFields;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;
import com.ragchat.rag.Retriever;

/**
 * A Bedrock Knowledge Base through its {@code Retrieve} API: hybrid or semantic search,
 * an optional metadata filter, results mapped to the contract's Source shape from the
 * documents' metadata (falling back to their location for {@code source}).
 */
public final class BedrockKnowledgeBaseRetriever implements Retriever, AutoCloseable {

	/** Bedrock's bound on {@code numberOfResults}. */
	private static final int MAX_RESULTS = 100;

	private final BedrockAgentRuntimeClient client;

	private final String knowledgeBaseId;

	private final @Nullable SearchType searchType;

	private final @Nullable RetrievalFilter filter;

	private final @Nullable String tenantField;

	private BedrockKnowledgeBaseRetriever(BedrockAgentRuntimeClient client, String knowledgeBaseId,
			@Nullable SearchType searchType, @Nullable RetrievalFilter filter, @Nullable String tenantField) {
		this.client = client;
		this.knowledgeBaseId = knowledgeBaseId;
		this.searchType = searchType;
		this.filter = filter;
		this.tenantField = Settings.present(tenantField) ? tenantField.strip() : null;
	}

	/**
	 * @param searchType {@code hybrid}, {@code semantic}, or empty for the knowledge
	 * base's default
	 * @param metadataFilter {@code key=value[,key=value…]}, or empty
	 * @throws InvalidConfigurationException when the search type or filter is malformed
	 */
	public static BedrockKnowledgeBaseRetriever create(Region region, @Nullable String endpoint, String knowledgeBaseId,
			@Nullable String searchType, @Nullable String metadataFilter, Duration timeout) {
		return create(region, endpoint, knowledgeBaseId, searchType, metadataFilter, null, timeout);
	}

	/**
	 * As {@link #create(Region, String, String, String, String, Duration)}, with tenants:
	 * a document's metadata attribute {@code tenantField} names its tenant's id, or
	 * {@value #SHARED} for a document every user may find; documents without it are found
	 * by nobody once tenants are on.
	 * @param tenantField the attribute, or empty for a knowledge base every tenant shares
	 */
	public static BedrockKnowledgeBaseRetriever create(Region region, @Nullable String endpoint, String knowledgeBaseId,
			@Nullable String searchType, @Nullable String metadataFilter, @Nullable String tenantField,
			Duration timeout) {
		SearchType type = parseSearchType(searchType);
		RetrievalFilter filter = parseFilter(metadataFilter);
		BedrockAgentRuntimeClient client = AwsClients
			.configure(BedrockAgentRuntimeClient.builder(), region, endpoint, timeout)
			.build();
		return new BedrockKnowledgeBaseRetriever(client, knowledgeBaseId, type, filter, tenantField);
	}

	/** The tenant attribute's value of documents every user may find. */
	public static final String SHARED = "shared";

	@Override
	public String provider() {
		return "bedrock";
	}

	@Override
	public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
		return retrieve(query, limit, null, cancellation);
	}

	@Override
	public List<Passage> retrieve(String query, int limit, @Nullable Long tenantId, Cancellation cancellation) {
		KnowledgeBaseVectorSearchConfiguration.Builder search = KnowledgeBaseVectorSearchConfiguration.builder()
			.numberOfResults(Math.max(1, Math.min(limit, MAX_RESULTS)));
		if (this.searchType != null) {
			search.overrideSearchType(this.searchType);
		}
		RetrievalFilter combined = combine(this.filter, tenantFilter(tenantId));
		if (combined != null) {
			search.filter(combined);
		}
		RetrieveRequest request = RetrieveRequest.builder()
			.knowledgeBaseId(this.knowledgeBaseId)
			.retrievalQuery((q) -> q.text(query))
			.retrievalConfiguration((c) -> c.vectorSearchConfiguration(search.build()))
			.build();
		RetrieveResponse response;
		try {
			response = BlockingCalls.call(() -> this.client.retrieve(request), cancellation);
		}
		catch (CancellationException ex) {
			return List.of();
		}
		catch (RuntimeException ex) {
			if (cancellation.isCancelled()) {
				return List.of();
			}
			throw AwsFailures.map(provider(), "retrieve", ex);
		}
		List<Passage> passages = new ArrayList<>();
		for (KnowledgeBaseRetrievalResult result : response.retrievalResults()) {
			String text = (result.content() != null) ? result.content().text() : null;
			if (text == null || text.isBlank()) {
				continue;
			}
			Map<String, Document> metadata = result.hasMetadata() ? result.metadata() : Map.of();
			passages.add(new Passage(text,
					SourceFields.toSource((name) -> text(metadata.get(name)), location(result), result.score())));
			if (passages.size() >= limit) {
				break;
			}
		}
		return passages;
	}

	private static @Nullable String text(@Nullable Document value) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isString()) {
			return value.asString();
		}
		if (value.isNumber()) {
			return value.asNumber().stringValue();
		}
		if (value.isBoolean()) {
			return Boolean.toString(value.asBoolean());
		}
		return value.toString();
	}

	private static @Nullable String location(KnowledgeBaseRetrievalResult result) {
		Map<String, Document> metadata = result.hasMetadata() ? result.metadata() : Map.of();
		String sourceUri = text(metadata.get("x-amz-bedrock-kb-source-uri"));
		if (sourceUri != null) {
			return sourceUri;
		}
		RetrievalResultLocation location = result.location();
		if (location == null) {
			return null;
		}
		if (location.s3Location() != null) {
			return location.s3Location().uri();
		}
		if (location.webLocation() != null) {
			return location.webLocation().url();
		}
		if (location.confluenceLocation() != null) {
			return location.confluenceLocation().url();
		}
		if (location.sharePointLocation() != null) {
			return location.sharePointLocation().url();
		}
		if (location.salesforceLocation() != null) {
			return location.salesforceLocation().url();
		}
		return null;
	}

	static @Nullable SearchType parseSearchType(@Nullable String value) {
		if (!Settings.present(value)) {
			return null;
		}
		return switch (value.strip().toLowerCase(Locale.ROOT)) {
			case "hybrid" -> SearchType.HYBRID;
			case "semantic", "similarity" -> SearchType.SEMANTIC;
			default -> throw new InvalidConfigurationException("RETRIEVER_SEARCH_TYPE",
					"must be hybrid or semantic (or empty for the knowledge base's default)");
		};
	}

	/**
	 * The shared documents and those of {@code tenantId}; null when tenants are off.
	 */
	private @Nullable RetrievalFilter tenantFilter(@Nullable Long tenantId) {
		if (this.tenantField == null) {
			return null;
		}
		if (tenantId == null) {
			return RetrievalFilter.builder()
				.equalsValue(FilterAttribute.builder().key(this.tenantField).value(Document.fromString(SHARED)).build())
				.build();
		}
		return RetrievalFilter.builder()
			.in(FilterAttribute.builder()
				.key(this.tenantField)
				.value(Document
					.fromList(List.of(Document.fromString(SHARED), Document.fromString(Long.toString(tenantId)))))
				.build())
			.build();
	}

	private static @Nullable RetrievalFilter combine(@Nullable RetrievalFilter configured,
			@Nullable RetrievalFilter tenant) {
		if (configured == null) {
			return tenant;
		}
		if (tenant == null) {
			return configured;
		}
		List<RetrievalFilter> all = new ArrayList<>();
		if (configured.hasAndAll()) {
			all.addAll(configured.andAll());
		}
		else {
			all.add(configured);
		}
		all.add(tenant);
		return RetrievalFilter.builder().andAll(all).build();
	}

	static @Nullable RetrievalFilter parseFilter(@Nullable String value) {
		if (!Settings.present(value)) {
			return null;
		}
		List<RetrievalFilter> conditions = new ArrayList<>();
		for (String pair : value.split(",")) {
			int eq = pair.indexOf('=');
			if (eq <= 0 || pair.substring(0, eq).isBlank()) {
				throw new InvalidConfigurationException("BEDROCK_KB_METADATA_FILTER",
						"must be key=value pairs separated by commas");
			}
			conditions.add(RetrievalFilter.builder()
				.equalsValue(FilterAttribute.builder()
					.key(pair.substring(0, eq).strip())
					.value(Document.fromString(pair.substring(eq + 1).strip()))
					.build())
				.build());
		}
		return (conditions.size() == 1) ? conditions.get(0) : RetrievalFilter.builder().andAll(conditions).build();
	}

	@Override
	public void close() {
		this.client.close();
	}

}
