package com.ragchat.knowledge;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ingestion jobs that uploads run as ({@code app.knowledge.jobs}); see
 * {@link IngestionJobs}.
 *
 * @param threads documents ingested at once per replica
 * ({@code KNOWLEDGE_INGESTION_THREADS})
 * @param queue uploads that may wait for a thread; beyond it an upload gets 503
 * ({@code KNOWLEDGE_INGESTION_QUEUE})
 * @param uploadWait how long a synchronous upload waits for its job; then the job is
 * cancelled and the upload gets 503 ({@code KNOWLEDGE_UPLOAD_WAIT})
 * @param abandonAfter an asynchronous job nobody polled for this long is cancelled
 * ({@code KNOWLEDGE_JOB_ABANDON_AFTER})
 * @param keep how long finished jobs can still be read ({@code KNOWLEDGE_JOB_KEEP})
 * @param staleAfter an unfinished job not updated for this long was left by a replica
 * that stopped, and is marked failed
 * @param checkInterval how often each replica checks its jobs for cancellation and
 * abandonment
 */
@ConfigurationProperties("app.knowledge.jobs")
@Validated
record IngestionJobProperties(@DefaultValue("1") @Min(1) @Max(64) int threads,
		@DefaultValue("16") @Min(0) @Max(10000) int queue, @DefaultValue("5m") @NotNull Duration uploadWait,
		@DefaultValue("2m") @NotNull Duration abandonAfter, @DefaultValue("24h") @NotNull Duration keep,
		@DefaultValue("30m") @NotNull Duration staleAfter, @DefaultValue("5s") @NotNull Duration checkInterval) {

}
