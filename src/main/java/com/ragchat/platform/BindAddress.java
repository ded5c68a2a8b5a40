package com.ragchat.platform;

import java.net.Inet6Address;
import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Binds the HTTP server to {@code BIND_ADDRESS} (see
 * {@link PlatformProperties#bindInetAddress()}). Runs before Spring Boot's own
 * customizer, so an explicit {@code server.address} still wins.
 */
@Component
class BindAddress implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

	private final PlatformProperties properties;

	BindAddress(PlatformProperties properties) {
		this.properties = properties;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		factory.setAddress(this.properties.bindInetAddress());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * The start-up line's account of where the service listens: the URL to try, and what
	 * the bind address means for other machines.
	 */
	static String describe(@Nullable InetAddress address, int port) {
		if (address == null || address.isAnyLocalAddress()) {
			return "listening on every interface, port " + port + " (on this machine: http://127.0.0.1:" + port + ")";
		}
		String url = "http://" + host(address) + ":" + port;
		if (address.isLoopbackAddress()) {
			return "listening on " + url + " (loopback only; set BIND_ADDRESS=0.0.0.0 to accept other machines)";
		}
		return "listening on " + url;
	}

	private static String host(InetAddress address) {
		String literal = address.getHostAddress();
		return (address instanceof Inet6Address) ? "[" + literal + "]" : literal;
	}

}
