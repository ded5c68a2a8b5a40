package com.ragchat.ratelimit;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.ragchat.platform.InvalidConfigurationException;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTests {

	@Test
	void withoutTrustedProxiesTheForwardedHeaderIsIgnored() {
		ClientAddresses addresses = new ClientAddresses(List.of());
		assertThat(addresses.clientIp(request("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
	}

	@Test
	void aTrustedProxysFirstForwardedEntryIsTheClient() {
		ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8", "2001:db8::1"));
		assertThat(addresses.clientIp(request("10.1.2.3", "198.51.100.1, 10.9.9.9"))).isEqualTo("198.51.100.1");
		assertThat(addresses.clientIp(request("2001:db8::1", "2001:db8:ffff::7"))).isEqualTo("2001:db8:ffff::7");
	}

	@Test
	void anUntrustedPeerCannotChooseItsAddress() {
		ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8"));
		assertThat(addresses.clientIp(request("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
	}

	@Test
	void aForwardedValueThatIsNotAnAddressIsIgnored() {
		ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8"));
		assertThat(addresses.clientIp(request("10.1.2.3", "evil.example.com"))).isEqualTo("10.1.2.3");
		assertThat(addresses.clientIp(request("10.1.2.3", ""))).isEqualTo("10.1.2.3");
		assertThat(addresses.clientIp(request("10.1.2.3", null))).isEqualTo("10.1.2.3");
	}

	@Test
	void aBadProxySettingFailsStartupNamingTheSetting() {
		assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.internal")))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("TRUSTED_PROXIES");
	}

	private static MockHttpServletRequest request(String peer, String forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr(peer);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		return request;
	}

	@Test
	void ipv6ClientsAreKeyedByTheirSlash64AndIpv4ByTheirAddress() {
		ClientAddresses addresses = new ClientAddresses(List.of());
		assertThat(addresses.clientKey(request("2001:db8:1:2:aaaa:bbbb:cccc:dddd", null)))
			.isEqualTo(addresses.clientKey(request("2001:db8:1:2::1", null)))
			.isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(addresses.clientKey(request("2001:db8:1:3::1", null))).isEqualTo("2001:db8:1:3:0:0:0:0/64");
		assertThat(addresses.clientKey(request("198.51.100.7", null))).isEqualTo("198.51.100.7");
		assertThat(addresses.clientKey(request("::ffff:198.51.100.7", null))).isEqualTo("198.51.100.7");
	}

}
