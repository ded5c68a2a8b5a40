/**
 * Tenants and assistant profiles: the global profile (settings, then the admin's
 * overrides), tenants with their own overrides, members and e-mail domains, and the
 * {@code GET /api/assistant} view of the signed-in user's profile. Documents of a tenant
 * live in the knowledge base; this feature only says who sees them.
 */
@NullMarked
package com.ragchat.tenant;

import org.jspecify.annotations.NullMarked;
