package com.ragchat.archfixture.billing;

/** The fixture billing feature's public API. */
public class BillingService {

}
