package com.ragchat.rag;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an answer's passages come from: the knowledge base or a web search. */
public enum SourceKind {

	KB, WEB;

	/** The wire value, {@code kb} or {@code web}. */
	@JsonValue
	public String wireValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
