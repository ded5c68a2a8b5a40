package com.ragchat.observability;

import org.springframework.core.task.TaskDecorator;
import org.springframework.stereotype.Component;

/**
 * Applied by Spring Boot to its {@code applicationTaskExecutor}, which also runs Spring
 * MVC's asynchronous request work: such tasks log with the request's id.
 */
@Component
class LogContextTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable runnable) {
		return LogContext.wrap(runnable);
	}

}
