package com.ragchat.archfixture.orders;

import com.ragchat.archfixture.billing.internal.InvoiceNumbers;

/** Breaks the rule on purpose: reaches into billing's internal package. */
public class OrderService {

	private final InvoiceNumbers numbers = new InvoiceNumbers();

	public String place() {
		return this.numbers.next();
	}

}
