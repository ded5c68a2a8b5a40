package com.ragchat.eval;

import java.util.concurrent.Semaphore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /api/knowledge/eval}: runs a golden set (the request body; see
 * {@link GoldenSet}) against the configured retriever and answer model and returns the
 * report. Admins only, like every {@code /api/knowledge} route. One evaluation runs at a
 * time per instance; a second gets 409.
 */
@RestController
class EvalController {

	/**
	 * The evaluation route; under {@code /api/knowledge}, so the knowledge admin rule
	 * guards it.
	 */
	static final String ROUTE = "/api/knowledge/eval";

	private final Evaluator evaluator;

	private final Semaphore running = new Semaphore(1);

	EvalController(Evaluator evaluator) {
		this.evaluator = evaluator;
	}

	@PostMapping(ROUTE)
	EvalReport evaluate(@Valid @RequestBody GoldenSet set,
			@RequestParam(name = "split", required = false) @Size(max = 50) @Pattern(regexp = "[\\w.-]+",
					message = "must be a split name") @Nullable String split) {
		if (!this.running.tryAcquire()) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "an evaluation is already running");
		}
		try {
			return this.evaluator.run(set, split);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		finally {
			this.running.release();
		}
	}

}
