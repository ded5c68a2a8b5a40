package com.ragchat.archfixture.billing.internal;

/** Internal to the fixture's billing feature: nothing outside billing may use it. */
public class InvoiceNumbers {

	public String next() {
		return "INV-1";
	}

}
