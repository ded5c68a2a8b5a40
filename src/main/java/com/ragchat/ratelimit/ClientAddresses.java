package com.ragchat.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import com.ragchat.platform.InvalidConfigurationException;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The client IP of a request: the socket peer, or the first {@code X-Forwarded-For} entry
 * when the peer is one of the trusted proxies. Anything that is not an IP literal is
 * ignored, so a forged header can neither trigger a DNS lookup nor make up keys.
 */
class ClientAddresses {

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private static final Pattern IP_OR_RANGE = Pattern.compile("[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?");

	private final List<IpAddressMatcher> trusted;

	ClientAddresses(List<String> trustedProxies) {
		this.trusted = trustedProxies.stream().map(ClientAddresses::matcher).toList();
	}

	String clientIp(HttpServletRequest request) {
		String peer = request.getRemoteAddr();
		if (!this.trusted.isEmpty() && isTrusted(peer)) {
			String forwarded = request.getHeader("X-Forwarded-For");
			if (forwarded != null) {
				String first = forwarded.split(",", 2)[0].strip();
				if (IP_LITERAL.matcher(first).matches()) {
					return first;
				}
			}
		}
		return peer;
	}

	/**
	 * The key the client's requests are counted by: its IPv4 address, or the /64 network
	 * of its IPv6 address (one subscriber usually holds a whole /64, so counting single
	 * IPv6 addresses would give each client 2^64 buckets). IPv4-mapped IPv6 addresses
	 * count as their IPv4 address.
	 */
	String clientKey(HttpServletRequest request) {
		String ip = clientIp(request);
		if (ip.indexOf(':') < 0) {
			return ip;
		}
		try {
			// A literal with a colon is parsed as IPv6, never looked up.
			InetAddress address = InetAddress.getByName(ip);
			if (!(address instanceof Inet6Address)) {
				return address.getHostAddress();
			}
			byte[] bytes = address.getAddress();
			Arrays.fill(bytes, 8, 16, (byte) 0);
			return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
		}
		catch (UnknownHostException ex) {
			return ip;
		}
	}

	private boolean isTrusted(String peer) {
		if (!IP_LITERAL.matcher(peer).matches()) {
			return false;
		}
		for (IpAddressMatcher matcher : this.trusted) {
			try {
				if (matcher.matches(peer)) {
					return true;
				}
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}
		return false;
	}

	private static IpAddressMatcher matcher(String entry) {
		if (!IP_OR_RANGE.matcher(entry).matches()) {
			throw new InvalidConfigurationException("TRUSTED_PROXIES",
					"'" + entry + "' is not an IP address or CIDR range");
		}
		try {
			return new IpAddressMatcher(entry);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("TRUSTED_PROXIES",
					"'" + entry + "' is not an IP address or CIDR range");
		}
	}

}
