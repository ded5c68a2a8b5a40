package com.ragchat.rag;

/**
 * A question asked for web research ({@code research_mode: "web"}) on a server where it
 * is off ({@code WEB_RESEARCH_ENABLED=false}).
 */
public final class WebResearchDisabledException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	public WebResearchDisabledException() {
		super("web research is not enabled");
	}

}
