package com.ragchat.webapp;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web app's files: its own under {@code /assets/}, and the browser libraries it uses
 * (markdown, sanitizer) from their WebJars under {@code /webjars/}, without a version in
 * the path. Only these two prefixes serve files
 * ({@code spring.web.resources.add-mappings} stays off), so any other unknown path is
 * still a 404 problem.
 */
@Configuration(proxyBeanMethods = false)
class WebAppResources implements WebMvcConfigurer {

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		// Revalidated on each load (Last-Modified): a new jar's files are never stale.
		registry.addResourceHandler("/assets/**")
			.addResourceLocations("classpath:/static/assets/")
			.setCacheControl(CacheControl.noCache());
		registry.addResourceHandler("/webjars/**")
			.addResourceLocations("classpath:/META-INF/resources/webjars/")
			.setCacheControl(CacheControl.noCache())
			.resourceChain(true);
	}

}
